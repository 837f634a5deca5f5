// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and Dockerfile words, not templates.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { expandShellWord, ShellWordError, WordLimitError } from '../../../src/analyzer/buildinfo/index.ts';

/**
 * Dockerfile word processing. For words without spaces or globs, BuildKit's lexer and a POSIX
 * shell agree, so the machine's `sh` is the oracle: `printf %s WORD` with the same variables.
 */

const variables = new Map([
  ['A', '1'],
  ['E', ''],
  ['arch', 'x86_64'],
]);

function shell(word: string): { ok: true; value: string } | { ok: false } {
  try {
    const value = execFileSync('sh', ['-c', `printf '%s' ${word}`], {
      env: { A: '1', E: '', arch: 'x86_64' },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString('utf8');
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

const AGREED = [
  '$A',
  '${A}x',
  '$Ax',
  'x$1y',
  '${U:-def}',
  '${E:-def}',
  '${E-def}',
  '${U-def}',
  '${A:+alt}',
  '${E:+alt}',
  '${E+alt}',
  '${U+alt}',
  "'$A'",
  '"$A"',
  '\\$A',
  '"a\\$b"',
  '"a\\zb"',
  'a\\zb',
  'pre$',
  '$',
  'a"b c"d',
  '${U:-$A}',
  '${U:-${E:-deep}}',
  '${A:?unset}',
  '"${arch}"\'${arch}\'',
  '"say \\"hi\\""',
  'ubi8-container-$arch',
];

const REJECTED = ['${U:?not set}', '${E:?empty}', '"open', "'open", '${A'];

describe('expandShellWord', () => {
  for (const word of AGREED) {
    it(`${word} as sh reads it`, () => {
      const expected = shell(word);
      assert.ok(expected.ok, `sh accepts ${word}`);
      assert.equal(expandShellWord(word, variables), expected.value);
    });
  }
  for (const word of REJECTED) {
    it(`${word} is an error, as in sh`, () => {
      assert.equal(shell(word).ok, false, `sh rejects ${word}`);
      assert.throws(() => expandShellWord(word, variables), ShellWordError);
    });
  }

  it('never splits a word on spaces', () => {
    assert.equal(expandShellWord('"a  b"  c', variables), 'a  b  c');
  });

  it('takes the escape character the Dockerfile chose', () => {
    assert.equal(expandShellWord('C:\\dir\\$A', variables, '`'), 'C:\\dir\\1');
    assert.equal(expandShellWord('a`$A', variables, '`'), 'a$A');
    assert.equal(expandShellWord('"a`"b"', variables, '`'), 'a"b');
  });

  it('stops at a nesting depth and at a word length', () => {
    assert.equal(expandShellWord(`${'${U:-'.repeat(30)}deep${'}'.repeat(30)}`, variables), 'deep');
    assert.throws(() => expandShellWord(`${'${U:-'.repeat(40)}deep${'}'.repeat(40)}`, variables), ShellWordError);
    const big = new Map([['x', 'y'.repeat(40_000)]]);
    assert.equal(expandShellWord('$x', big).length, 40_000);
    assert.throws(() => expandShellWord('$x$x', big), WordLimitError);
    assert.throws(() => expandShellWord('"$x$x"', big), WordLimitError);
  });

  it('refuses substitution forms it does not know instead of guessing', () => {
    assert.throws(() => expandShellWord('${A%1}', variables), /unsupported substitution/);
    assert.throws(() => expandShellWord('${}', variables), /bad substitution/);
  });
});
