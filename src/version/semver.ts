import { satisfiesComparison } from './comparison-operator.ts';
import { readGoConstraint } from './go-constraint.ts';
import {
  ANY,
  comparePart,
  comparePrerelease,
  isAny,
  isEmptyPart,
  isNull,
  listPart,
  newPart,
  newParts,
  numberPart,
  type Part,
  parseUint64,
  ZERO,
} from './go-parts.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, type MatchOptions, ok } from './types.ts';

/**
 * Strict Semantic Versioning 2.0 (`MAJOR.MINOR.PATCH[-pre][+build]`, no `v`, no leading zeros),
 * aquasecurity/go-version `pkg/semver`, with its npm-like constraints: x-ranges (`1.x`, `1.2.*`,
 * a missing component meaning "any", or 0 with `zeroPadding`), `~`, `^`, comparison operators,
 * `,`/whitespace for AND and `||` for OR; pre-releases satisfy a range only when one of its
 * bounds is a pre-release, unless `includePrerelease`.
 *
 * Bitnami's fork of this package (github.com/bitnami/go-version), which Trivy uses for Bitnami
 * advisories, reads the `-` part as a package revision that sorts after the bare version:
 * `revisions: true` selects that reading.
 */
export interface SemanticVersion {
  readonly major: Part;
  readonly minor: Part;
  readonly patch: Part;
  readonly prerelease: readonly Part[];
  readonly build: string;
}

const WHOLE_VERSION =
  /^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(?<patch>0|[1-9]\d*)(?:-(?<pre>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+(?<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A constraint version: components may be wildcards or missing. (`|` in the class is go-version's.) */
const CONSTRAINT_VERSION =
  /v?(?<major>[0-9|xX*]+)(?<minor>\.[0-9|xX*]+)?(?<patch>\.[0-9|xX*]+)?(?:-(?<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+(?<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?/y;

const OPERATORS = ['', '=', '==', '!=', '>', '<', '>=', '=>', '<=', '=<', '~', '^'];
const MAX_UINT64 = 0xffffffffffffffffn;

export function parseSemanticVersion(text: string): Checked<SemanticVersion> {
  const groups = WHOLE_VERSION.exec(text)?.groups;
  if (groups === undefined) return failure('invalid semantic version');
  const numbers = [groups.major, groups.minor, groups.patch].map((n) => parseUint64(n ?? ''));
  if (numbers.some((n) => n === undefined)) return failure('invalid semantic version: component out of range');
  const [major, minor, patch] = numbers as bigint[];
  return ok({
    major: numberPart(major as bigint),
    minor: numberPart(minor as bigint),
    patch: numberPart(patch as bigint),
    prerelease: newParts(groups.pre ?? ''),
    build: groups.build ?? '',
  });
}

export function isSemanticPrerelease(v: SemanticVersion): boolean {
  return !isNull(listPart(v.prerelease));
}

function isAnyVersion(v: SemanticVersion): boolean {
  return isAny(v.major) || isAny(v.minor) || isAny(v.patch);
}

export function compareSemanticVersions(a: SemanticVersion, b: SemanticVersion, revisions = false): Comparison {
  for (const key of ['major', 'minor', 'patch'] as const) {
    const result = comparePart(a[key], b[key]);
    if (result !== 0 || isAny(a[key]) || isAny(b[key])) return result;
  }
  if (revisions) {
    const aHas = isSemanticPrerelease(a);
    const bHas = isSemanticPrerelease(b);
    if (aHas !== bHas) return aHas ? 1 : -1;
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

function increment(part: Part): Part {
  return part.kind === 'number' ? numberPart(part.value + 1n) : part;
}

function incMajor(v: SemanticVersion): SemanticVersion {
  return { major: increment(v.major), minor: ZERO, patch: ZERO, prerelease: [], build: '' };
}

function incMinor(v: SemanticVersion): SemanticVersion {
  return { major: v.major, minor: increment(v.minor), patch: ZERO, prerelease: [], build: '' };
}

function incPatch(v: SemanticVersion): SemanticVersion {
  return { ...v, patch: increment(v.patch), prerelease: [], build: '' };
}

const isOpen = (part: Part) => isAny(part) || isEmptyPart(part);

function tildeBump(v: SemanticVersion): SemanticVersion {
  if (isOpen(v.major)) return { ...v, major: numberPart(MAX_UINT64) };
  if (isOpen(v.minor)) return incMajor(v);
  return incMinor(v);
}

function caretBump(v: SemanticVersion): SemanticVersion {
  if (isOpen(v.major)) return { ...v, major: numberPart(MAX_UINT64) };
  if (comparePart(v.major, ZERO) !== 0) return incMajor(v);
  if (isOpen(v.minor)) return incMajor(v);
  if (comparePart(v.minor, ZERO) !== 0) return incMinor(v);
  if (isOpen(v.patch)) return incMinor(v);
  return incPatch(v);
}

/** The smallest version a wildcard constraint version covers (`1.2.*` → `1.2.0`). */
function minimum(v: SemanticVersion): SemanticVersion {
  const zeroIfAny = (part: Part) => (isAny(part) ? ZERO : part);
  return {
    major: zeroIfAny(v.major),
    minor: zeroIfAny(v.minor),
    patch: zeroIfAny(v.patch),
    prerelease: isAny(listPart(v.prerelease)) ? [] : v.prerelease,
    build: '',
  };
}

interface Bound {
  readonly operator: string;
  readonly version: SemanticVersion;
}

function constraintVersion(text: string, zeroPadding: boolean): SemanticVersion | undefined {
  CONSTRAINT_VERSION.lastIndex = 0;
  const groups = CONSTRAINT_VERSION.exec(text)?.groups;
  if (groups === undefined) return undefined;
  const component = (raw: string | undefined) => {
    const value = (raw ?? '').replace(/^\./, '');
    return value === '' ? ({ kind: 'empty', any: !zeroPadding } as const) : newPart(value);
  };
  const version = {
    major: component(groups.major),
    minor: component(groups.minor),
    patch: component(groups.patch),
    build: groups.build ?? '',
  };
  let prerelease = newParts(groups.pre ?? '');
  if (isNull(listPart(prerelease)) && isAnyVersion({ ...version, prerelease })) prerelease = [...prerelease, ANY];
  return { ...version, prerelease };
}

function checkBound(v: SemanticVersion, bound: Bound, options: MatchOptions, revisions: boolean): boolean {
  const c = bound.version;
  if (!revisions) {
    if (!options.includePrerelease && isSemanticPrerelease(v) && !isSemanticPrerelease(c)) return false;
    if (isSemanticPrerelease(c) && isAnyVersion(c)) return false;
  }
  const compare = (x: SemanticVersion, y: SemanticVersion) => compareSemanticVersions(x, y, revisions);
  const order = compare(v, c);
  switch (bound.operator) {
    case '<':
      return compare(v, minimum(c)) < 0;
    case '~':
      return order >= 0 && compare(v, tildeBump(c)) < 0;
    case '^':
      return order >= 0 && compare(v, caretBump(c)) < 0;
    default:
      return satisfiesComparison(bound.operator, order) ?? false;
  }
}

export function semanticConstraintPredicate(
  constraint: string,
  options: MatchOptions,
  revisions = false,
): Checked<VersionPredicate<SemanticVersion>> {
  const read = readGoConstraint(constraint, OPERATORS, CONSTRAINT_VERSION);
  if (!read.ok) return read;
  const alternatives: Bound[][] = [];
  for (const terms of read.value) {
    const bounds: Bound[] = [];
    for (const term of terms) {
      const version = constraintVersion(term.version, options.zeroPadding === true);
      if (version === undefined) return failure(`improper constraint: ${term.version}`);
      bounds.push({ operator: term.operator, version });
    }
    // An empty alternative means any version.
    if (bounds.length === 0) {
      const any = { kind: 'any' } as const;
      bounds.push({ operator: '', version: { major: any, minor: any, patch: any, prerelease: [ANY], build: '' } });
    }
    alternatives.push(bounds);
  }
  return ok((version) =>
    alternatives.some((bounds) => bounds.every((b) => checkBound(version, b, options, revisions))),
  );
}

export class SemverScheme extends ParsedVersionScheme<SemanticVersion> {
  readonly name = 'semver';

  protected parseVersion(version: string): Checked<SemanticVersion> {
    return parseSemanticVersion(version);
  }

  protected compareParsed(a: SemanticVersion, b: SemanticVersion): Comparison {
    return compareSemanticVersions(a, b);
  }

  protected parseConstraint(constraint: string, options: MatchOptions): Checked<VersionPredicate<SemanticVersion>> {
    return semanticConstraintPredicate(constraint, options);
  }
}
