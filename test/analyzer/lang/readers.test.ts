import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchGoPath } from '../../../src/analyzer/lang/go-path-match.ts';
import { parseLocatedJson } from '../../../src/analyzer/lang/located-json.ts';
import { assertYamlNestingBounded, parseYamlText } from '../../../src/analyzer/lang/yaml-document.ts';

test('located JSON: object and array line ranges, element lines, JSONC, bounded depth', () => {
  const json = parseLocatedJson('{\n  "a": {\n    "b": [1,\n      2]\n  },\n  "__proto__": {"x": 1}\n}\n');
  const root = json.value as Record<string, Record<string, unknown>>;
  assert.deepEqual(json.locationOf(root.a), { StartLine: 2, EndLine: 5 });
  assert.deepEqual(json.locationOf(root.a?.b), { StartLine: 3, EndLine: 4 });
  assert.deepEqual(json.elementLines(root.a?.b), [3, 4]);
  assert.ok(Object.hasOwn(root, '__proto__'), '__proto__ is an ordinary key');
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.deepEqual(parseLocatedJson('{"a": [1, 2,], // note\n /* c */ }', { jsonc: true }).value, { a: [1, 2] });
  assert.throws(() => parseLocatedJson('{"a": [1, 2,]}'), /line 1/);
  assert.throws(() => parseLocatedJson('['.repeat(600)), /nesting deeper than 512/);
  assert.throws(() => parseLocatedJson('{"a": 1}\n{'), /unexpected data/);
  assert.equal(parseLocatedJson('"\\u00e9\\n"').value, 'é\n');
});

// Go's path.Match table (src/path/match_test.go); patterns Go rejects as malformed match nothing.
const GO_MATCH: [string, string, boolean][] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['a[/]b', 'a/b', true],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', false],
  ['[-]', '-', false],
  ['[x-]', 'x', false],
  ['[x-]', '-', false],
  ['[x-]', 'z', false],
  ['[-x]', 'x', false],
  ['[-x]', '-', false],
  ['[-x]', 'a', false],
  ['\\', 'a', false],
  ['[a-b-c]', 'a', false],
  ['[', 'a', false],
  ['[^', 'a', false],
  ['[^bc', 'a', false],
  ['a[', 'a', false],
  ['a[', 'ab', false],
  ['a[', 'x', false],
  ['a/b[', 'x', false],
  ['*x', 'xxx', true],
];

test("workspace globs match as Go's path.Match does", () => {
  for (const [pattern, name, want] of GO_MATCH) assert.equal(matchGoPath(pattern, name), want, `${pattern} ${name}`);
  assert.equal(matchGoPath(`${'*a'.repeat(30)}b`, 'a'.repeat(60)), false, 'many stars stay fast');
});

test('YAML: scalars read as text, nesting bounded before parsing', () => {
  assert.deepEqual(parseYamlText('a: 1.10\nb: true\nc: [1, 2]\n'), { a: '1.10', b: 'true', c: ['1', '2'] });
  assert.throws(() => assertYamlNestingBounded('['.repeat(1000)), /nesting/);
  assert.throws(() => assertYamlNestingBounded('- '.repeat(1000)), /nesting/);
  assert.throws(() => assertYamlNestingBounded(`a:\n${' '.repeat(2000)}b: 1\n`), /nesting/);
  assert.doesNotThrow(() => assertYamlNestingBounded('k: "[[[[" \nv: a[0]\n'.repeat(500)));
});
