import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchMavenRange, SCHEME_NAMES, versionScheme } from '../../src/version/index.ts';
import { MAX_CONSTRAINT_LENGTH, MAX_VERSION_LENGTH } from '../../src/version/scheme-base.ts';
import { pick, seededRandom } from './random-versions.ts';

const ALPHABET = '0123456789.-_+~^:*xXvV!=<>|, ()[]abcdefghijklmnopqrstuvwyzABCZ\t é';

function garbage(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += pick(random, [...ALPHABET]);
  return text;
}

function isChecked(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  return value.ok === true ? 'value' in value : typeof (value as { error?: unknown }).error === 'string';
}

test('arbitrary input never throws: every scheme answers with a value or an error value', () => {
  const random = seededRandom(555);
  for (const name of SCHEME_NAMES) {
    const scheme = versionScheme(name);
    for (let i = 0; i < 600; i++) {
      const a = garbage(random, Math.floor(random() * 24));
      const b = garbage(random, Math.floor(random() * 24));
      const constraint = garbage(random, Math.floor(random() * 40));
      assert.equal(typeof scheme.isValid(a), 'boolean');
      assert.ok(isChecked(scheme.compare(a, b)), `${name} compare ${a} ${b}`);
      for (const options of [
        {},
        { includePrerelease: true, allowLocalSpecifier: true, zeroPadding: true, loose: true },
      ]) {
        assert.ok(isChecked(scheme.satisfies(a, constraint, options)), `${name} ${a} ~ ${constraint}`);
      }
    }
  }
  assert.ok(isChecked(matchMavenRange('1.0', '[1.0,,2.0]')));
});

test('inputs that make backtracking regular expressions crawl finish promptly', { timeout: 20_000 }, () => {
  const long = MAX_VERSION_LENGTH - 2;
  const versions = [
    '1'.repeat(long),
    `1${'.1'.repeat(long / 2 - 1)}!`,
    `1-${'a'.repeat(long - 3)}!`,
    `1-${'a-'.repeat(long / 2 - 2)}!`,
    `1${'a1'.repeat(long / 2 - 1)}!`,
    `v1.0.0-${'0a'.repeat(long / 2 - 5)}+!`,
    `1.0${'.post'.repeat(long / 5 - 1)}`,
  ];
  const constraints = [
    `${'1'.repeat(MAX_CONSTRAINT_LENGTH - 1)}!`,
    `${'>=1 '.repeat(MAX_CONSTRAINT_LENGTH / 4 - 1)}!`,
    `${'1 '.repeat(MAX_CONSTRAINT_LENGTH / 2 - 1)}!`,
    `${'>=1.0, <2.0 || '.repeat(MAX_CONSTRAINT_LENGTH / 16 - 1)}!`,
    `${'['.repeat(MAX_CONSTRAINT_LENGTH - 1)}`,
  ];
  for (const name of SCHEME_NAMES) {
    const scheme = versionScheme(name);
    for (const version of versions) {
      assert.ok(isChecked(scheme.compare(version, '1.0')), name);
      for (const constraint of constraints) assert.ok(isChecked(scheme.satisfies('1.0', constraint)), name);
    }
  }
});

test('versions and constraints beyond the length limits are refused, not parsed', () => {
  for (const name of SCHEME_NAMES) {
    const scheme = versionScheme(name);
    assert.equal(scheme.isValid('1'.repeat(MAX_VERSION_LENGTH + 1)), false, name);
    assert.equal(scheme.compare('1.0', '1'.repeat(MAX_VERSION_LENGTH + 1)).ok, false, name);
    const result = scheme.satisfies('1.0', `>=${'1'.repeat(MAX_CONSTRAINT_LENGTH)}`);
    assert.equal(result.ok, false, name);
  }
});
