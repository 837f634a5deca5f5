import assert from 'node:assert/strict';
import { test } from 'node:test';
import { versionScheme } from '../../src/version/index.ts';
import {
  type ComparisonRow,
  type ConstraintRow,
  checkRows,
  constraintKey,
  exceptionsOf,
  loadRows,
  outcome,
  pairKey,
  type ValidityRow,
} from './corpus.ts';
import { goCompare, goValid } from './oracles.ts';
import { apkVersion, seededRandom, versionPairs } from './random-versions.ts';

const apk = versionScheme('apk');
const APK_TOOLS_3 = 'alpinelinux/apk-tools:test/unit/version.data';
const GO_APK = 'knqyf263/go-apk-version:version.data';

/**
 * apk.json holds apk-tools 3's test data next to the apk-tools 2 data go-apk-version ports.
 * Trivy uses go-apk-version (apk-tools 2 rules), and so does Vigil; where the two generations
 * disagree, Trivy's answer is kept.
 */
const COMPARISON_EXCEPTIONS = exceptionsOf([
  [
    'apk-tools 3 orders these differently; apk-tools 2 / go-apk-version (Trivy) read a leading zero run as its own component',
    [`${APK_TOOLS_3}: 8.2.0 <=> 8.2.001`, `${APK_TOOLS_3}: 8.2.0015 <=> 8.2.002`, `${APK_TOOLS_3}: 6.0_pre1 <=> 6.0`],
  ],
  [
    'apk-tools 3 build suffix `~hash`; invalid in apk-tools 2 / go-apk-version, so Trivy refuses the version',
    [
      `${APK_TOOLS_3}: 1.0~1234 <=> 1.0~2345`,
      `${APK_TOOLS_3}: 1.0~1234-r1 <=> 1.0~2345-r0`,
      `${APK_TOOLS_3}: 1.0~1234-r1 <=> 1.0~1234-r0`,
    ],
  ],
  [
    "invalid by go-apk-version's Valid(): Trivy's APK comparer refuses it (the raw comparison of the test data still orders it)",
    [
      `${APK_TOOLS_3}: 23_foo <=> 4_beta`,
      `${GO_APK}: 23_foo <=> 4_beta`,
      `${APK_TOOLS_3}: 1.0 <=> 1.0bc`,
      `${GO_APK}: 1.0 <=> 1.0bc`,
    ],
  ],
]);

const VALIDITY_EXCEPTIONS = exceptionsOf([
  [
    'apk-tools 3 rejects it; apk-tools 2 / go-apk-version (Trivy) accept it',
    ['"0.1a1"', '"0.1-r"', '"0.1-r2-r3"', '".1"', '"a"', '"_pre1"', '"-r1"'],
  ],
  ['apk-tools 3 build suffix `~hash`, unknown to apk-tools 2 / go-apk-version', ['"0.1_pre2~1234abcd"']],
]);

test('apk.json (apk-tools 3 and go-apk-version data): every pair, in both directions', () => {
  const rows = loadRows<ComparisonRow>('apk.json');
  const result = checkRows(
    rows,
    (row) => `${row.src}: ${pairKey(row)}`,
    (row) => ({
      expected: [row.cmp, -row.cmp || 0],
      actual: [outcome(apk.compare(row.a, row.b)), outcome(apk.compare(row.b, row.a))].map((v) => (v === 0 ? 0 : v)),
    }),
    COMPARISON_EXCEPTIONS,
  );
  assert.equal(result.checked, 1424);
});

test("apk.trivy.json: Trivy's APK comparer", () => {
  checkRows(loadRows<ComparisonRow>('apk.trivy.json'), pairKey, (row) => ({
    expected: row.cmp,
    actual: outcome(apk.compare(row.a, row.b)),
  }));
});

test('apk.valid.json: validity', () => {
  checkRows(
    loadRows<ValidityRow>('apk.valid.json'),
    (row) => JSON.stringify(row.version),
    (row) => ({ expected: row.valid, actual: apk.isValid(row.version) }),
    VALIDITY_EXCEPTIONS,
  );
});

test('apk.constraints.json: fuzzy ~, <~ and >~ prefix matches', () => {
  checkRows(
    loadRows<ConstraintRow>('apk.constraints.json'),
    constraintKey,
    (row) => ({ expected: row.match, actual: outcome(apk.satisfies(row.version, row.constraint)) }),
    exceptionsOf([
      [
        '`_post` is an apk-tools 3 suffix; in apk-tools 2 / go-apk-version (Trivy) the version is invalid',
        ['3.6.9_post1 ~ ~3.6', '3.6.9_post1 ~ ~3.8'],
      ],
    ]),
  );
});

test("every apk.json version and 4000 random ones: validity and order of Trivy's go-apk-version", () => {
  const random = seededRandom(31337);
  const pairs: [string, string][] = [
    ...loadRows<ComparisonRow>('apk.json').map((row): [string, string] => [row.a, row.b]),
    ...versionPairs(random, 4000, apkVersion, '0123456789._-rabpz'),
  ];
  const versions = [...new Set(pairs.flat())];
  const goValidity = goValid('apk', versions);
  // go-apk-version calls the empty string valid; Vigil does not.
  const validityDisagreements = versions.filter(
    (version, i) => goValidity[i] !== apk.isValid(version) && version !== '',
  );
  assert.deepEqual(validityDisagreements, []);
  const valid = pairs.filter(([a, b]) => apk.isValid(a) && apk.isValid(b));
  assert.ok(valid.length > 2000, `enough valid pairs (${valid.length})`);
  const answers = goCompare('apk', valid);
  const disagreements = valid
    .map(([a, b], i) => ({ a, b, go: answers[i], ours: outcome(apk.compare(a, b)) }))
    .filter((row) => row.go !== row.ours);
  assert.deepEqual(disagreements, []);
});

test('apk suffix order: pre-releases before the release, post-releases and revisions after', () => {
  const ordered = [
    '1.2_alpha1',
    '1.2_beta',
    '1.2_pre2',
    '1.2_rc1',
    '1.2',
    '1.2-r1',
    '1.2_cvs',
    '1.2_p1',
    '1.2a',
    '1.2.1',
  ];
  for (let i = 0; i + 1 < ordered.length; i++) {
    assert.deepEqual(apk.compare(ordered[i] as string, ordered[i + 1] as string), { ok: true, value: -1 });
  }
  assert.deepEqual(
    goCompare(
      'apk',
      ordered.slice(1).map((b, i): [string, string] => [ordered[i] as string, b]),
    ),
    ordered.slice(1).map(() => -1),
  );
});

test('a zero run before a suffix is its own component, as in apk-tools 2 and Trivy: 6.0_pre1 > 6.0', () => {
  assert.deepEqual(apk.compare('6.0_pre1', '6.0'), { ok: true, value: 1 });
  assert.deepEqual(goCompare('apk', [['6.0_pre1', '6.0']]), [1]);
});
