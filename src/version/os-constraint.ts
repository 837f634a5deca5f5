import { satisfiesComparison } from './comparison-operator.ts';
import type { VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, ok } from './types.ts';

/**
 * Constraints on OS package versions as Trivy writes them for distributions whose advisories carry
 * ranges (trivy `pkg/detector/ospkg/version/constraint.go`): `>=1.2.3-1, <1.2.5` or the same
 * separated by spaces; every part must hold (AND). A bare version means `=`. There is no `||`.
 */

/** Trivy's operators; a scheme may add its own (apk's fuzzy `~`). */
const TRIVY_OPERATORS = ['>=', '<=', '!=', '==', '>', '<', '='] as const;

/** A version in an OS constraint: starts with a digit (Trivy), may hold `^` for RPM snapshots. */
const CONSTRAINT_VERSION = /^[0-9][0-9a-zA-Z.\-+~:_^]*$/;

export interface OsConstraintTerm {
  readonly operator: string;
  readonly version: string;
}

/** Splits an OS constraint into its terms; `extraOperators` are tried before Trivy's own. */
export function parseOsConstraintTerms(
  constraint: string,
  extraOperators: readonly string[] = [],
): Checked<OsConstraintTerm[]> {
  if (constraint.trim() === '') return failure('constraint is empty');
  const operators = [...extraOperators, ...TRIVY_OPERATORS].sort((a, b) => b.length - a.length);
  const parts = constraint.includes(',') ? constraint.split(',') : constraint.trim().split(/\s+/);
  const terms: OsConstraintTerm[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') continue;
    const operator = operators.find((candidate) => part.startsWith(candidate)) ?? '';
    const version = part.slice(operator.length).trim();
    if (!CONSTRAINT_VERSION.test(version)) return failure(`invalid constraint '${part}'`);
    terms.push({ operator, version });
  }
  if (terms.length === 0) return failure('no constraints specified');
  return ok(terms);
}

/**
 * Builds an AND of the terms over a scheme's parser and ordering. `matchOperator` lets a scheme
 * handle operators of its own; it returns undefined for the common ones.
 */
export function osConstraintPredicate<V>(
  constraint: string,
  parse: (version: string) => Checked<V>,
  compare: (a: V, b: V) => Comparison,
  extraOperators: readonly string[] = [],
  matchOperator?: (operator: string, version: V, bound: V) => boolean | undefined,
): Checked<VersionPredicate<V>> {
  const terms = parseOsConstraintTerms(constraint, extraOperators);
  if (!terms.ok) return terms;
  const checks: VersionPredicate<V>[] = [];
  for (const term of terms.value) {
    const bound = parse(term.version);
    if (!bound.ok) return failure(`invalid constraint version '${term.version}': ${bound.error}`);
    checks.push((version) => {
      const own = matchOperator?.(term.operator, version, bound.value);
      if (own !== undefined) return own;
      return satisfiesComparison(term.operator, compare(version, bound.value)) === true;
    });
  }
  return ok((version) => checks.every((check) => check(version)));
}
