import { type Checked, failure, ok } from './types.ts';

/**
 * The constraint grammar shared by aquasecurity/go-version and the libraries built on it
 * (go-npm-version, go-pep440-version, Bitnami's fork): `||` separates alternatives; within one,
 * `operator version` terms follow each other, separated by whitespace and/or one comma, and all
 * must hold. Read with a scanner rather than Go's validating regular expression, which would
 * backtrack exponentially in JavaScript on long runs of digits.
 */
export interface ConstraintTerm {
  readonly operator: string;
  readonly version: string;
}

const WHITESPACE = /\s*/y;

function skipWhitespace(text: string, position: number): number {
  WHITESPACE.lastIndex = position;
  WHITESPACE.exec(text);
  return WHITESPACE.lastIndex;
}

/**
 * Splits a constraint into alternatives of terms. `operators` may include `''` (a bare version);
 * `version` must be a sticky expression for one version. An alternative with no terms is returned
 * empty: whether that means "any" or an error is the scheme's choice.
 */
export function readGoConstraint(
  constraint: string,
  operators: readonly string[],
  version: RegExp,
): Checked<ConstraintTerm[][]> {
  const byLength = [...operators].sort((a, b) => b.length - a.length);
  const alternatives: ConstraintTerm[][] = [];
  for (const alternative of constraint.split('||')) {
    const terms: ConstraintTerm[] = [];
    let position = skipWhitespace(alternative, 0);
    while (position < alternative.length) {
      let term: ConstraintTerm | undefined;
      for (const operator of byLength) {
        if (!alternative.startsWith(operator, position)) continue;
        version.lastIndex = skipWhitespace(alternative, position + operator.length);
        const match = version.exec(alternative);
        if (match === null || match[0] === '') continue;
        term = { operator, version: match[0] };
        position = version.lastIndex;
        break;
      }
      if (term === undefined) return failure(`improper constraint: ${alternative.trim()}`);
      terms.push(term);
      position = skipWhitespace(alternative, position);
      if (alternative[position] === ',') position = skipWhitespace(alternative, position + 1);
    }
    alternatives.push(terms);
  }
  return ok(alternatives);
}

export interface ConstraintBound<V> {
  readonly operator: string;
  readonly bound: V;
}

/**
 * A constraint read into alternatives of parsed bounds, for schemes where an alternative without
 * terms is an error; `parse` gives the bound of one term, or the scheme's error for it.
 */
export function readGoConstraintBounds<V>(
  constraint: string,
  operators: readonly string[],
  version: RegExp,
  parse: (term: ConstraintTerm) => Checked<V>,
): Checked<ConstraintBound<V>[][]> {
  const read = readGoConstraint(constraint, operators, version);
  if (!read.ok) return read;
  const alternatives: ConstraintBound<V>[][] = [];
  for (const terms of read.value) {
    if (terms.length === 0) return failure(`improper constraint: ${constraint}`);
    const bounds: ConstraintBound<V>[] = [];
    for (const term of terms) {
      const bound = parse(term);
      if (!bound.ok) return bound;
      bounds.push({ operator: term.operator, bound: bound.value });
    }
    alternatives.push(bounds);
  }
  return ok(alternatives);
}
