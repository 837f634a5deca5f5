import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { canonicalMavenVersion, mavenVersionsEqual } from '../../../../src/analyzer/lang/java/maven-version.ts';
import { fixture } from '../trivy-goldens.ts';

test('Maven version equality: every ordered pair of go-mvn-version (Trivy’s comparator) stays unequal', () => {
  const pairs = JSON.parse(readFileSync(fixture('java', 'versions/maven.go-mvn-version.json'), 'utf8')) as {
    a: string;
    b: string;
    cmp: number;
  }[];
  assert.equal(pairs.length, 507);
  for (const { a, b, cmp } of pairs) assert.equal(mavenVersionsEqual(a, b), cmp === 0, `${a} vs ${b}`);
});

test('Maven 3 canonical forms: trailing zeros, qualifier aliases, shorthand qualifiers', () => {
  for (const [a, b] of [
    ['1.1', '1.1.0'],
    ['1', '1.0.0.0'],
    ['1.0-final', '1'],
    ['1-ga', '1.0'],
    ['1.0-release', '1'],
    ['1.0-cr1', '1.0-rc-1'],
    ['1.0a1', '1.0-alpha-1'],
    ['1.0b2', '1.0-beta-2'],
    ['1.0m3', '1.0-milestone-3'],
    ['1.0-SNAPSHOT', '1-snapshot'],
    ['2.17.0', '2.17'],
  ]) {
    assert.ok(mavenVersionsEqual(a, b), `${a} = ${b}`);
  }
  assert.equal(canonicalMavenVersion('1.0.0.RELEASE'), '1');
  assert.equal(mavenVersionsEqual('2.12.3', '2.13.4'), false);
});
