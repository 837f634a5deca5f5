import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type SchemeName, satisfiesConstraint } from '../../src/version/index.ts';

/**
 * The plain comparison operators, one table for every scheme: each operator against a bound
 * below, equal to and above the version. `=>` and `=<` are go-version's other spellings of `>=`
 * and `<=` (its constraintOperators), which the corpora never use.
 */
const ACCEPTS: Readonly<Record<string, readonly [below: boolean, equal: boolean, above: boolean]>> = {
  '': [false, true, false],
  '=': [false, true, false],
  '==': [false, true, false],
  '!=': [true, false, true],
  '>': [true, false, false],
  '<': [false, false, true],
  '>=': [true, true, false],
  '=>': [true, true, false],
  '<=': [false, true, true],
  '=<': [false, true, true],
};

/** Schemes with a version, a bound below and one above it, and the operators their syntax has. */
const SCHEMES: readonly [SchemeName, string, string, string, readonly string[]][] = [
  ['generic', '1.2.3', '1.2.2', '1.2.4', Object.keys(ACCEPTS)],
  ['rubygems', '1.2.3', '1.2.2', '1.2.4', Object.keys(ACCEPTS)],
  ['semver', '1.2.3', '1.2.2', '1.2.4', Object.keys(ACCEPTS)],
  ['maven', '1.2.3', '1.2.2', '1.2.4', Object.keys(ACCEPTS)],
  // Trivy's OS constraints know neither `=>` nor `=<`.
  ['deb', '1.2-1', '1.2-0', '1.2-2', ['', '=', '==', '!=', '>', '<', '>=', '<=']],
  ['rpm', '1.2-1', '1.2-0', '1.2-2', ['', '=', '==', '!=', '>', '<', '>=', '<=']],
  ['apk', '1.2-r1', '1.2-r0', '1.2-r2', ['', '=', '==', '!=', '>', '<', '>=', '<=']],
];

test('plain comparison operators mean the same in every scheme', () => {
  for (const [scheme, version, below, above, operators] of SCHEMES) {
    for (const operator of operators) {
      const expected = ACCEPTS[operator] ?? assert.fail(operator);
      [below, version, above].forEach((bound, i) => {
        const result = satisfiesConstraint(scheme, version, `${operator}${bound}`);
        assert.deepEqual(result, { ok: true, value: expected[i] }, `${scheme}: ${version} ${operator}${bound}`);
      });
    }
  }
});
