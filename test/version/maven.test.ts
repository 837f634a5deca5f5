import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchMavenRange, mavenVersionsEqual, versionScheme } from '../../src/version/index.ts';
import {
  ASSERTION_OPERATORS,
  type AssertionRow,
  type ComparisonRow,
  type ConstraintRow,
  checkRows,
  constraintKey,
  exceptionsOf,
  loadRows,
  outcome,
  pairKey,
} from './corpus.ts';

const maven = versionScheme('maven');
const APACHE = 'apache/maven';

/**
 * maven.json pairs Apache Maven's ComparableVersionTest (master, Maven 4 rules) with
 * masahiro331/go-mvn-version's tests (Trivy's comparer). Vigil follows go-mvn-version, which
 * passes all of its own rows; Apache rows for rules added since Maven 3.8.7 are listed here.
 */
const keyOf = (row: ComparisonRow) => `${row.src.split(':')[0]}: ${pairKey(row)}`;
const qualifierFamilies = ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC'];
const COMPARISON_EXCEPTIONS = exceptionsOf([
  [
    'MNG-6420 / MNG-7559 (Maven 3.8.7+): a qualifier after a dot gets a list of its own (`2.0.abc` = `2-abc`, `1.0.0.x1` < `1.0.0-x2`); go-mvn-version (Trivy) keeps the older order, as its README warns',
    qualifierFamilies.flatMap((q) => [
      `${APACHE}: 1.0.0.${q}1 <=> 1.0.0-${q}2`,
      `${APACHE}: 2-${q} <=> 2.0.${q}`,
      `${APACHE}: 2-${q} <=> 2.0.0.${q}`,
      `${APACHE}: 2.0.${q} <=> 2.0.0.${q}`,
    ]),
  ],
  [
    'MNG-7714 (Maven 4): `sp` now sorts above `final` inside qualifiers; go-mvn-version (Trivy) ranks by the older rule',
    [
      `${APACHE}: 1.0.final-redhat <=> 1.0-sp1-redhat`,
      `${APACHE}: 1.0.final-redhat <=> 1.0-sp-1-redhat`,
      `${APACHE}: 1.0.final-redhat <=> 1.0-sp.1-redhat`,
    ],
  ],
  [
    'known disagreement (b): Maven 4 orders `2.0.a` before `2-1`; go-mvn-version (Trivy) the other way, as its own row in this file says',
    [`${APACHE}: 2.0.a <=> 2-1`],
  ],
]);

test('maven.json: every pair in both directions; go-mvn-version rows all hold', () => {
  const result = checkRows(
    loadRows<ComparisonRow>('maven.json'),
    keyOf,
    (row) => ({
      expected: [row.cmp, -row.cmp || 0],
      actual: [outcome(maven.compare(row.a, row.b)), outcome(maven.compare(row.b, row.a))],
    }),
    COMPARISON_EXCEPTIONS,
  );
  assert.equal(result.checked, 1483);
});

test('maven.assertions.json: go-mvn-version ordering facts', () => {
  checkRows(
    loadRows<AssertionRow>('maven.assertions.json'),
    (row) => `${row.a} ${row.op} ${row.b}`,
    (row) => {
      const order = maven.compare(row.a, row.b);
      return { expected: row.expect, actual: order.ok && ASSERTION_OPERATORS[row.op]?.includes(order.value) };
    },
  );
});

test('maven.constraints.json: operator constraints, Maven ranges, and both as Trivy tries them', () => {
  const rows = loadRows<ConstraintRow>('maven.constraints.json');
  checkRows(
    rows,
    (row) => `${row.syntax ?? 'maven'}: ${constraintKey(row)}`,
    (row) => {
      // `maven-range` rows test range parsing alone, where a bare version is a soft requirement
      // that any version meets; the others go through the comparer (constraints first).
      const result =
        row.syntax === 'maven-range'
          ? matchMavenRange(row.version, row.constraint)
          : maven.satisfies(row.version, row.constraint);
      return { expected: row.match, actual: outcome(result) };
    },
  );
  assert.equal(rows.length, 196);
});

test('ranges: open and closed bounds, exact versions, several ranges as OR', () => {
  const cases: [string, string, boolean][] = [
    ['1.0', '[1.0,2.0)', true],
    ['2.0', '[1.0,2.0)', false],
    ['2.0', '[1.0,2.0]', true],
    ['1.0', '(1.0,2.0]', false],
    ['0.1', '(,1.0]', true],
    ['99.0', '[1.5,)', true],
    ['1.0.1', '[1.0.1]', true],
    ['1.0', '[1.0.1]', false],
    ['3.1', '[1.0,2.0), [3.0,4.0)', true],
    ['2.5', '[1.0,2.0), [3.0,4.0)', false],
    ['1.2_3', '[1.2_1,1.2_9)', true],
  ];
  for (const [version, range, expected] of cases) {
    assert.deepEqual(maven.satisfies(version, range), { ok: true, value: expected }, `${version} in ${range}`);
  }
  assert.equal(maven.satisfies('1.0', '[1.0,2.0,3.0]').ok, false);
  assert.equal(maven.satisfies('1.0', '{1.0}').ok, false);
});

test('qualifier order: alpha < beta < milestone < rc = cr < snapshot < release = ga = final < sp < other', () => {
  const ordered = ['1-alpha', '1-beta', '1-milestone', '1-rc', '1-snapshot', '1', '1-sp', '1-foo'];
  for (let i = 0; i + 1 < ordered.length; i++) {
    assert.deepEqual(maven.compare(ordered[i] as string, ordered[i + 1] as string), { ok: true, value: -1 });
  }
  for (const same of ['1-ga', '1-final', '1-release', '1.0.0', '1.FINAL'])
    assert.deepEqual(maven.compare(same, '1'), { ok: true, value: 0 });
  assert.deepEqual(maven.compare('1-cr', '1-rc'), { ok: true, value: 0 });
});

test('mavenVersionsEqual: go-mvn-version pairs equal exactly when they compare equal', () => {
  const rows = loadRows<ComparisonRow>('maven.json').filter((row) => row.src.startsWith('masahiro331/go-mvn-version:'));
  assert.equal(rows.length, 507);
  for (const { a, b, cmp } of rows) assert.equal(mavenVersionsEqual(a, b), cmp === 0, `${a} vs ${b}`);
});

test('mavenVersionsEqual: Maven 3 canonical forms (trailing zeros, qualifier aliases, shorthand qualifiers)', () => {
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
    ['1.0.0.RELEASE', '1'],
  ] as const) {
    assert.ok(mavenVersionsEqual(a, b), `${a} = ${b}`);
  }
  assert.equal(mavenVersionsEqual('2.12.3', '2.13.4'), false);
  assert.equal(mavenVersionsEqual('', ''), true);
  assert.equal(mavenVersionsEqual('', '1'), false);
});
