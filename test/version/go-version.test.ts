import assert from 'node:assert/strict';
import { test } from 'node:test';
import { versionScheme } from '../../src/version/index.ts';
import type { MatchOptions, SchemeName } from '../../src/version/types.ts';
import {
  ASSERTION_OPERATORS,
  type AssertionRow,
  type ComparisonRow,
  type ConstraintRow,
  checkRows,
  constraintKey,
  loadRows,
  outcome,
  pairKey,
  type ValidityRow,
} from './corpus.ts';

/** aquasecurity/go-version: `generic` is pkg/version (Trivy's default comparer), `semver` is pkg/semver. */
for (const [scheme, prefix] of [
  ['generic', 'generic'],
  ['semver', 'semver'],
] as const satisfies readonly (readonly [SchemeName, string])[]) {
  const versions = versionScheme(scheme);

  test(`${prefix}.json: every pair, in both directions`, () => {
    checkRows(loadRows<ComparisonRow>(`${prefix}.json`), pairKey, (row) => ({
      expected: [row.cmp, -row.cmp || 0],
      actual: [outcome(versions.compare(row.a, row.b)), outcome(versions.compare(row.b, row.a))],
    }));
  });

  test(`${prefix}.valid.json: validity`, () => {
    checkRows(
      loadRows<ValidityRow>(`${prefix}.valid.json`),
      (row) => JSON.stringify(row.version),
      (row) => ({ expected: row.valid, actual: versions.isValid(row.version) }),
    );
  });

  test(`${prefix}.constraints.json: constraints`, () => {
    checkRows(
      loadRows<ConstraintRow>(`${prefix}.constraints.json`),
      (row) => `${constraintKey(row)} ${JSON.stringify(row.options ?? {})}`,
      (row) => {
        const options: MatchOptions = {
          includePrerelease: row.options?.includePreRelease === true,
          zeroPadding: row.options?.zeroPadding === true,
        };
        return { expected: row.match, actual: outcome(versions.satisfies(row.version, row.constraint, options)) };
      },
    );
  });
}

test('generic.assertions.json: go-version ordering facts', () => {
  const generic = versionScheme('generic');
  checkRows(
    loadRows<AssertionRow>('generic.assertions.json'),
    (row) => `${row.a} ${row.op} ${row.b}`,
    (row) => {
      const order = generic.compare(row.a, row.b);
      return { expected: row.expect, actual: order.ok && ASSERTION_OPERATORS[row.op]?.includes(order.value) };
    },
  );
});

test('Go module versions: v prefix, pseudo-versions before their release, +incompatible ignored', () => {
  const generic = versionScheme('generic');
  assert.deepEqual(generic.compare('v1.13.1', 'v1.13.2'), { ok: true, value: -1 });
  assert.deepEqual(generic.compare('v0.0.0-20210101000000-abcdef123456', 'v0.0.0-20220101000000-abcdef123456'), {
    ok: true,
    value: -1,
  });
  assert.deepEqual(generic.compare('v1.2.4-0.20210101000000-abcdef123456', 'v1.2.4'), { ok: true, value: -1 });
  assert.deepEqual(generic.compare('v1.2.4-0.20210101000000-abcdef123456', 'v1.2.3'), { ok: true, value: 1 });
  assert.deepEqual(generic.compare('v17.12.0+incompatible', 'v17.12.0'), { ok: true, value: 0 });
  assert.deepEqual(generic.satisfies('v23.0.14+incompatible', '< 23.0.15'), { ok: true, value: true });
  assert.deepEqual(generic.satisfies('1.2.3', '*'), { ok: false, error: 'improper constraint: *' });
});

test('components beyond 64 bits are refused, as go-version refuses them', () => {
  const generic = versionScheme('generic');
  assert.equal(generic.isValid('18446744073709551615.1'), true);
  assert.equal(generic.isValid('18446744073709551616.1'), false);
});
