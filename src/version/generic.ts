import { satisfiesComparison } from './comparison-operator.ts';
import { readGoConstraintBounds } from './go-constraint.ts';
import { compareNumericSegments, comparePrerelease, newParts, numberPart, type Part, parseUint64 } from './go-parts.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, ok } from './types.ts';

/**
 * The generic scheme, aquasecurity/go-version `pkg/version`, which Trivy uses for every language
 * ecosystem without a comparer of its own: Go modules (`v` prefix, pseudo-versions, `+incompatible`
 * as build metadata), Cargo, Composer, NuGet, Pub, Hex, Conan, Swift, Julia and Kubernetes.
 * Any number of numeric components (trailing zeros ignored), an optional pre-release (with or
 * without `-`) and build metadata (ignored). Constraints: `= == != > < >= => <= =<`, `~>`
 * (pessimistic), `~` and `^` (npm-like), `,` or whitespace for AND, `||` for OR.
 */
export interface GenericVersion {
  readonly segments: readonly bigint[];
  readonly prerelease: readonly Part[];
  readonly build: string;
}

const SEGMENTS = String.raw`v?(?<segments>[0-9]+(?:\.[0-9]+)*)`;
const PRERELEASE =
  String.raw`(?:-(?<numericPre>[0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)` +
  String.raw`|-?(?<wordPre>[A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*))?`;
const BUILD = String.raw`(?:\+(?<build>[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*))?`;
const VERSION_PATTERN = SEGMENTS + PRERELEASE + BUILD;

const WHOLE_VERSION = new RegExp(`^${VERSION_PATTERN}$`);
const CONSTRAINT_VERSION = new RegExp(VERSION_PATTERN, 'y');
const OPERATORS = ['', '=', '==', '!=', '>', '<', '>=', '=>', '<=', '=<', '~>', '~', '^'];

export function parseGenericVersion(text: string): Checked<GenericVersion> {
  const match = WHOLE_VERSION.exec(text);
  if (match?.groups === undefined) return failure(`malformed version: ${text}`);
  const segments: bigint[] = [];
  for (const segment of (match.groups.segments ?? '').split('.')) {
    const value = parseUint64(segment);
    if (value === undefined) return failure(`error parsing version: ${segment} is out of range`);
    segments.push(value);
  }
  return ok({
    segments,
    prerelease: newParts(match.groups.wordPre ?? match.groups.numericPre ?? ''),
    build: match.groups.build ?? '',
  });
}

export function compareGenericVersions(a: GenericVersion, b: GenericVersion): Comparison {
  return (
    compareNumericSegments(a.segments.map(numberPart), b.segments.map(numberPart)) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

/** `~>`: the last component dropped and the one before it raised (`1.2.3` → `1.3.0`, `1` → `2`). */
function pessimisticBump(v: GenericVersion): GenericVersion {
  const segments = [...v.segments];
  if (segments.length === 1) return { ...v, segments: [(segments[0] as bigint) + 1n] };
  segments[segments.length - 1] = 0n;
  segments[segments.length - 2] = (segments[segments.length - 2] as bigint) + 1n;
  return { segments, prerelease: [], build: '' };
}

/** `~`: `1.2` → `1.3`, otherwise as `~>`. */
function tildeBump(v: GenericVersion): GenericVersion {
  if (v.segments.length === 2) return { ...v, segments: [v.segments[0] as bigint, (v.segments[1] as bigint) + 1n] };
  return pessimisticBump(v);
}

/** `^`: the first non-zero component raised and the rest zeroed; all zeros raise the last one. */
function caretBump(v: GenericVersion): GenericVersion {
  const segments = [...v.segments];
  const first = segments.findIndex((segment) => segment !== 0n);
  if (first >= 0) {
    segments[first] = (segments[first] as bigint) + 1n;
    segments.fill(0n, first + 1);
  } else {
    segments[segments.length - 1] = (segments[segments.length - 1] as bigint) + 1n;
  }
  return { segments, prerelease: [], build: '' };
}

function check(operator: string, v: GenericVersion, c: GenericVersion): boolean {
  const order = compareGenericVersions(v, c);
  switch (operator) {
    case '~>':
      return order >= 0 && compareGenericVersions(v, pessimisticBump(c)) < 0;
    case '~':
      return order >= 0 && compareGenericVersions(v, tildeBump(c)) < 0;
    case '^':
      return order >= 0 && compareGenericVersions(v, caretBump(c)) < 0;
    default:
      return satisfiesComparison(operator, order) ?? false;
  }
}

export function genericConstraintPredicate(constraint: string): Checked<VersionPredicate<GenericVersion>> {
  const read = readGoConstraintBounds(constraint, OPERATORS, CONSTRAINT_VERSION, (term) => {
    const bound = parseGenericVersion(term.version);
    return bound.ok ? bound : failure(`version parse error (${term.version}): ${bound.error}`);
  });
  if (!read.ok) return read;
  const alternatives = read.value;
  return ok((version) => alternatives.some((terms) => terms.every((t) => check(t.operator, version, t.bound))));
}

export class GenericScheme extends ParsedVersionScheme<GenericVersion> {
  readonly name = 'generic';

  protected parseVersion(version: string): Checked<GenericVersion> {
    return parseGenericVersion(version);
  }

  protected compareParsed(a: GenericVersion, b: GenericVersion): Comparison {
    return compareGenericVersions(a, b);
  }

  protected parseConstraint(constraint: string): Checked<VersionPredicate<GenericVersion>> {
    return genericConstraintPredicate(constraint);
  }
}
