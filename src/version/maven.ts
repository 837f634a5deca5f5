import { satisfiesComparison } from './comparison-operator.ts';
import { readGoConstraintBounds } from './go-constraint.ts';
import { compareMavenVersions, type MavenItem, parseMavenVersion } from './maven-version.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, ok } from './types.ts';

/**
 * Maven versions (ComparableVersion order, see maven-version.ts) and the two constraint syntaxes
 * Trivy's Maven comparer (masahiro331/go-mvn-version `NewComparer`) accepts, tried in this order:
 * - operator constraints: `= == != > < >= => <= =<`, `,`/whitespace for AND, `||` for OR; a bare
 *   version means `=`;
 * - Maven version ranges: `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, `[1.0]`, several joined by `,` (OR).
 *
 * Deviations from go-mvn-version: `[1.0.1]` means exactly 1.0.1 (go-mvn-version drops the last
 * character of the version), and `_` and `+` are accepted inside ranges as they are in constraints.
 */

const OPERATORS = ['', '=', '==', '!=', '>', '<', '>=', '=>', '<=', '=<'];
const CONSTRAINT_VERSION = /[0-9A-Za-z\-~._+]+/y;
const RANGE = /[[(][0-9A-Za-z\-.,_+~]+[\])]/g;

type Test = (order: Comparison) => boolean;

type MavenVersion = MavenItem;

interface Bound {
  readonly version: MavenVersion;
  readonly test: Test;
}

function matchesAll(version: MavenVersion, bounds: readonly Bound[]): boolean {
  return bounds.every((bound) => bound.test(compareMavenVersions(version, bound.version)));
}

function operatorConstraint(constraint: string): Checked<Bound[][]> {
  // Every string is a Maven version.
  const read = readGoConstraintBounds(constraint, OPERATORS, CONSTRAINT_VERSION, (term) =>
    ok(parseMavenVersion(term.version)),
  );
  if (!read.ok) return read;
  return ok(
    read.value.map((terms) =>
      terms.map(({ operator, bound }) => ({
        version: bound,
        test: (order: Comparison) => satisfiesComparison(operator, order) === true,
      })),
    ),
  );
}

/** One `[a,b)` range: its two bounds, or one equality bound for `[a]`. */
function rangeBounds(range: string): Checked<Bound[]> {
  const parts = range.split(',');
  if (parts.length > 2) return failure(`improper requirement length: ${range}`);
  const [lower, upper] = parts as [string, string | undefined];
  if (upper === undefined) {
    return ok([{ version: parseMavenVersion(range.slice(1, -1)), test: (o) => o === 0 }]);
  }
  // An empty side is unbounded.
  const bounds: Bound[] = [];
  const lowerText = lower.slice(1);
  const upperText = upper.slice(0, -1);
  if (lowerText !== '') {
    bounds.push({ version: parseMavenVersion(lowerText), test: lower.startsWith('[') ? (o) => o >= 0 : (o) => o > 0 });
  }
  if (upperText !== '') {
    bounds.push({ version: parseMavenVersion(upperText), test: upper.endsWith(']') ? (o) => o <= 0 : (o) => o < 0 });
  }
  return ok(bounds);
}

function rangeConstraint(constraint: string): Checked<Bound[][] | 'any'> {
  const compact = constraint.replace(/\s+/g, '');
  const ranges = compact.match(RANGE) ?? [];
  if (ranges.length === 0) {
    // A bare version is Maven's "soft requirement": a preference that every version satisfies.
    return /^[0-9A-Za-z\-._+~]+$/.test(compact) ? ok('any') : failure(`improper requirements: ${constraint}`);
  }
  const alternatives: Bound[][] = [];
  for (const range of ranges) {
    const bounds = rangeBounds(range);
    if (!bounds.ok) return bounds;
    alternatives.push(bounds.value);
  }
  return ok(alternatives);
}

function predicateOf(parsed: Bound[][] | 'any'): VersionPredicate<MavenVersion> {
  return parsed === 'any' ? () => true : (version) => parsed.some((bounds) => matchesAll(version, bounds));
}

/** Matches a Maven version range alone (`[1.0,2.0)`, `(,1.0]`, a bare soft requirement). */
export function matchMavenRange(version: string, range: string): Checked<boolean> {
  const parsed = rangeConstraint(range);
  return parsed.ok ? ok(predicateOf(parsed.value)(parseMavenVersion(version))) : parsed;
}

export class MavenScheme extends ParsedVersionScheme<MavenVersion> {
  readonly name = 'maven';

  protected parseVersion(version: string): Checked<MavenVersion> {
    if (version.trim() === '') return failure('maven version is empty');
    return ok(parseMavenVersion(version));
  }

  protected compareParsed(a: MavenVersion, b: MavenVersion): Comparison {
    return compareMavenVersions(a, b);
  }

  protected parseConstraint(constraint: string): Checked<VersionPredicate<MavenVersion>> {
    const operators = operatorConstraint(constraint);
    if (operators.ok) return ok(predicateOf(operators.value));
    const ranges = rangeConstraint(constraint);
    if (ranges.ok) return ok(predicateOf(ranges.value));
    return failure(`maven constraint '${constraint}': ${operators.error}; ${ranges.error}`);
  }
}
