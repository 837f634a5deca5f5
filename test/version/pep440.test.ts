import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as renovatePep440 from '@renovatebot/pep440';
import { versionScheme } from '../../src/version/index.ts';
import { parsePep440Version, pep440ToString } from '../../src/version/pep440-version.ts';
import type { Comparison } from '../../src/version/types.ts';
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

const pep440 = versionScheme('pep440');

/**
 * Where pypa/packaging (the reference implementation) and aquasecurity/go-pep440-version (what
 * Trivy matches pip advisories with) disagree, Vigil answers as Trivy does.
 */
const PACKAGING_EXCEPTIONS = exceptionsOf([
  [
    "go-pep440-version's prefix match (`==V.*`) pads the shorter release only partway and compares the specifier's text unnormalised",
    [
      '2c1.post1.dev1 ~ ==2.0.*',
      '2rc1 ~ ==2.0.*',
      '2 ~ ==2.0.*',
      '2 ~ ==2.0.0.*',
      '2 ~ ==0!2.*',
      '2!1.0.0 ~ ==2!1.0.0.0.*',
      '2c1.post1.dev1 ~ !=2.0.*',
      '2rc1 ~ !=2.0.*',
      '2 ~ !=2.0.*',
      '2 ~ !=2.0.0.*',
    ],
  ],
  [
    "go-pep440-version builds `~=`'s prefix from the version split at the pre-release (1.0a1 → 1.0.*), packaging from the release (→ 1.*)",
    ['1.1 ~ ~=1.0a1'],
  ],
  [
    "go-pep440-version's `>V` refuses every local version of V's release; packaging only those not above V",
    [
      '1.0+local ~ >1.0.dev1',
      '4.1.0a2.dev1235+local ~ >4.1.0a2.dev1234',
      '1.0a2+local ~ >1.0a1',
      '1.0b2+local ~ >1.0b1',
      '1.0rc2+local ~ >1.0rc1',
      '1.0.post2+local ~ >1.0.post1',
      '1.0.dev2+local ~ >1.0.dev1',
      '1.0a1.dev2+local ~ >1.0a1.dev1',
      '1.0.post1.dev2+local ~ >1.0.post1.dev1',
    ],
  ],
  [
    '`===` compares text in packaging; go-pep440-version parses the candidate first and refuses "invalid"',
    ['invalid ~ ===invalid'],
  ],
  [
    'known disagreement (a): with pre-releases on, go-pep440-version lets `<V` take pre-releases of V (Trivy flags 2.0a1 for `<2`)',
    [
      '2.0a1 ~ <2',
      '2.0.dev1 ~ <2',
      '2.0a1.post1 ~ <2',
      '2.0b1 ~ <2',
      '2.0b2.dev1 ~ <2',
      '2.0c1 ~ <2',
      '2.0c1.post1.dev1 ~ <2',
      '2.0rc1 ~ <2',
    ],
  ],
]);

test('pep440.json (packaging and go-pep440-version orderings): every pair, in both directions', () => {
  const result = checkRows(loadRows<ComparisonRow>('pep440.json'), pairKey, (row) => ({
    expected: [row.cmp, -row.cmp || 0],
    actual: [outcome(pep440.compare(row.a, row.b)), outcome(pep440.compare(row.b, row.a))],
  }));
  assert.equal(result.checked, 5709);
});

test('the same versions sort as @renovatebot/pep440 (a port of packaging) sorts them', () => {
  const versions = [...new Set(loadRows<ComparisonRow>('pep440.json').flatMap((row) => [row.a, row.b]))];
  const ours = [...versions].sort((a, b) => (pep440.compare(a, b) as { value: Comparison }).value);
  const renovate = [...versions].sort(renovatePep440.compare);
  const rank = (sorted: string[]) => sorted.map((v) => versions.filter((w) => renovatePep440.eq(v, w))[0]);
  assert.deepEqual(rank(ours), rank(renovate));
  assert.ok(versions.length > 100);
});

test('pep440.valid.json: validity', () => {
  checkRows(
    loadRows<ValidityRow>('pep440.valid.json'),
    (row) => JSON.stringify(row.version),
    (row) => ({ expected: row.valid, actual: pep440.isValid(row.version) }),
  );
});

test('pep440.normalize.json: the normalised form', () => {
  checkRows(
    loadRows<{ input: string; normalized: string }>('pep440.normalize.json'),
    (row) => JSON.stringify(row.input),
    (row) => {
      const parsed = parsePep440Version(row.input);
      return { expected: row.normalized, actual: parsed.ok ? pep440ToString(parsed.value) : parsed.error };
    },
  );
});

test('pep440.constraints.json: specifiers (packaging rows with pre-releases on; go-pep440-version rows as written)', () => {
  const rows = loadRows<ConstraintRow>('pep440.constraints.json');
  const fromPackaging = (row: ConstraintRow) => row.src.startsWith('pypa/packaging');
  checkRows(
    rows,
    (row) =>
      fromPackaging(row)
        ? constraintKey(row)
        : `go-pep440-version: ${constraintKey(row)} ${JSON.stringify(row.options ?? {})}`,
    (row) => {
      const result = pep440.satisfies(row.version, row.constraint, {
        includePrerelease: row.options?.prereleases === true,
      });
      // packaging's `contains` answers False for a version it cannot parse.
      return { expected: row.match, actual: result.ok ? result.value : fromPackaging(row) ? false : 'error' };
    },
    PACKAGING_EXCEPTIONS,
  );
});

test('local labels in specifiers: refused by default, compared strictly with allowLocalSpecifier (Seal, Echo)', () => {
  assert.equal(pep440.satisfies('4.2.8+sp1', '>= 4.2.8+sp1, < 4.2.8+sp999').ok, false);
  assert.deepEqual(pep440.satisfies('4.2.8+sp1', '== 4.2.8'), { ok: true, value: true });
  const strict = { allowLocalSpecifier: true };
  assert.deepEqual(pep440.satisfies('4.2.8+sp1', '== 4.2.8', strict), { ok: true, value: false });
  assert.deepEqual(pep440.satisfies('4.2.8+sp1', '>= 4.2.8+sp1, < 4.2.8+sp999', strict), { ok: true, value: true });
  assert.deepEqual(pep440.satisfies('4.2.8+sp999', '>= 4.2.8+sp1, < 4.2.8+sp999', strict), { ok: true, value: false });
});

test("Trivy's additions: `*`, bare versions and `=`, `||`, whitespace as AND", () => {
  assert.deepEqual(pep440.satisfies('0.1.dev1', '*'), { ok: true, value: true });
  assert.deepEqual(pep440.satisfies('2.1.0.post1', '2.1.0.post1 || 2.0.0'), { ok: true, value: true });
  assert.deepEqual(pep440.satisfies('1.5', '>=1.0 <2.0'), { ok: true, value: true });
  assert.deepEqual(pep440.satisfies('2.5', '>=1.0 <2.0 || =2.5'), { ok: true, value: true });
  assert.equal(pep440.satisfies('1.0', '!1.0.0').ok, false);
  assert.equal(pep440.satisfies('1.0', '== 1.0.*+local').ok, false);
});
