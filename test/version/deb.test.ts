import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDebianVersion } from '../../src/version/deb.ts';
import { compareVersions, versionScheme } from '../../src/version/index.ts';
import {
  ASSERTION_OPERATORS,
  type AssertionRow,
  type ComparisonRow,
  checkRows,
  loadRows,
  outcome,
  pairKey,
  type ValidityRow,
} from './corpus.ts';
import { dpkgCompare, goCompare, goValid } from './oracles.ts';
import { debianVersion, seededRandom, versionPairs } from './random-versions.ts';

const deb = versionScheme('deb');

test('deb.json (dpkg and apt test suites): every pair, in both directions', () => {
  const rows = loadRows<ComparisonRow>('deb.json');
  checkRows(rows, pairKey, (row) => ({
    expected: [row.cmp, -row.cmp || 0],
    actual: [outcome(deb.compare(row.a, row.b)), outcome(deb.compare(row.b, row.a))].map((v) => (v === 0 ? 0 : v)),
  }));
  assert.equal(rows.length, 122);
});

test("deb.trivy.json: Trivy's DEB comparer, including its errors on invalid versions", () => {
  const rows = loadRows<ComparisonRow>('deb.trivy.json');
  checkRows(rows, pairKey, (row) => ({
    expected: row.error ? 'error' : row.cmp,
    actual: outcome(compareVersions('deb', row.a, row.b)),
  }));
});

test('deb.valid.json: dpkg and go-deb-version validity', () => {
  checkRows(
    loadRows<ValidityRow>('deb.valid.json'),
    (row) => JSON.stringify(row.version),
    (row) => ({ expected: row.valid, actual: deb.isValid(row.version) }),
  );
});

test('deb.parse.json: epoch, upstream version and revision as dpkg splits them', () => {
  const rows = loadRows<{ input: string; epoch: number; upstream: string; revision: string }>('deb.parse.json');
  checkRows(
    rows,
    (row) => JSON.stringify(row.input),
    (row) => {
      const parsed = parseDebianVersion(row.input);
      return {
        expected: { epoch: row.epoch, upstream: row.upstream, revision: row.revision },
        actual: parsed.ok ? parsed.value : parsed.error,
      };
    },
  );
});

test('deb.assertions.json: go-deb-version ordering facts', () => {
  checkRows(
    loadRows<AssertionRow>('deb.assertions.json'),
    (row) => `${row.a} ${row.op} ${row.b}`,
    (row) => {
      const order = deb.compare(row.a, row.b);
      return { expected: row.expect, actual: order.ok && ASSERTION_OPERATORS[row.op]?.includes(order.value) };
    },
  );
});

test('random valid Debian versions: the order dpkg --compare-versions gives', () => {
  // dpkg runs once per question, so fewer pairs than for the one-process oracles.
  const pairs = versionPairs(seededRandom(20260101), 50, debianVersion, '0123456789.+~:-abzA');
  const both = pairs.filter(([a, b]) => deb.isValid(a) && deb.isValid(b));
  assert.ok(both.length > 30, `enough valid pairs (${both.length})`);
  const answers = dpkgCompare(both);
  const disagreements = both
    .map(([a, b], i) => ({ a, b, dpkg: answers[i], ours: outcome(deb.compare(a, b)) }))
    .filter((row) => row.dpkg !== row.ours);
  assert.deepEqual(disagreements, []);
});

test("random Debian versions: the order and validity of Trivy's go-deb-version", () => {
  const pairs = versionPairs(seededRandom(7), 600, debianVersion, '0123456789.+~:-_abzA');
  const versions = pairs.flat();
  const goValidity = goValid('deb', versions);
  // go-deb-version accepts an empty revision (`1.0-`), which dpkg refuses and so do we.
  const validityDisagreements = versions
    .map((version, i) => ({ version, go: goValidity[i], ours: deb.isValid(version) }))
    .filter((row) => row.go !== row.ours && !(row.go && row.version.endsWith('-')));
  assert.deepEqual(validityDisagreements, []);
  // go-deb-version loops forever on two spellings of one version (`1.01`, `1.1`): Trivy would hang,
  // dpkg and Vigil say equal. Those pairs are left out here and checked against dpkg below.
  const valid = pairs.filter(
    ([a, b]) => deb.isValid(a) && deb.isValid(b) && (a === b || outcome(deb.compare(a, b)) !== 0),
  );
  assert.ok(valid.length > 400, `enough valid pairs (${valid.length})`);
  const answers = goCompare('deb', valid);
  const disagreements = valid
    .map(([a, b], i) => ({ a, b, go: answers[i], ours: outcome(deb.compare(a, b)) }))
    .filter((row) => row.go !== row.ours);
  assert.deepEqual(disagreements, []);
});

test('two spellings of one version are equal, as in dpkg (go-deb-version never returns)', () => {
  const pairs: [string, string][] = [
    ['1.01', '1.1'],
    ['1:2.0-01', '1:2.00-1'],
    ['0:1.0', '1.0'],
  ];
  assert.deepEqual(
    pairs.map(([a, b]) => outcome(deb.compare(a, b))),
    [0, 0, 0],
  );
  assert.deepEqual(dpkgCompare(pairs), [0, 0, 0]);
});

test('digit runs longer than 64 bits compare exactly, as dpkg does (go-deb-version caps them)', () => {
  assert.deepEqual(deb.compare('1.99999999999999999999', '1.99999999999999999998'), { ok: true, value: 1 });
  assert.deepEqual(dpkgCompare([['1.99999999999999999999', '1.99999999999999999998']]), [1]);
});
