import { satisfiesComparison } from './comparison-operator.ts';
import { readGoConstraintBounds } from './go-constraint.ts';
import { compareLists, newPart, normalizeParts, numberPart, type Part, padParts, parseUint64 } from './go-parts.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, ok } from './types.ts';

/**
 * RubyGems versions and requirements (Gem::Version, Gem::Requirement) as
 * aquasecurity/go-gem-version implements them for Trivy; CocoaPods uses the same rules. A version
 * is numbers and words separated by dots (`1.2.3`, `1.0.a.2`, `2.0.0.rc1`); a `-` reads as
 * `.pre.`, so `1.9.25-x86-mingw32` is a pre-release of 1.9.25. Any letter makes a pre-release,
 * which sorts before the release; the empty string is version 0. Requirements: `= != > < >= <= ~>`
 * (`==`, `=>`, `=<` accepted), `,` or whitespace for AND, `||` for OR; `~> 1.5.5` means `>= 1.5.5, < 1.6`.
 */
export interface GemVersion {
  /** The version with `-` rewritten, for the equality shortcut. */
  readonly text: string;
  /** Segments up to the first word. */
  readonly numeric: readonly Part[];
  /** The first word and everything after it. */
  readonly words: readonly Part[];
}

const PATTERN = String.raw`[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;
const WHOLE_VERSION = new RegExp(String.raw`^\s*(?:${PATTERN})?\s*$`);
const REQUIREMENT_VERSION = new RegExp(PATTERN, 'y');
const OPERATORS = ['', '=', '==', '!=', '>', '<', '>=', '=>', '<=', '=<', '~>'];
const SEGMENT = /[0-9]+|[a-zA-Z]+/g;

export function parseGemVersion(input: string): Checked<GemVersion> {
  if (!WHOLE_VERSION.test(input)) return failure(`invalid gem version '${input}'`);
  const text = (input.trim() || '0').replaceAll('-', '.pre.');
  const numeric: Part[] = [];
  const words: Part[] = [];
  for (const segment of text.match(SEGMENT) ?? []) {
    const number = parseUint64(segment);
    if (words.length === 0 && number !== undefined) numeric.push(numberPart(number));
    else words.push(number === undefined ? { kind: 'prestring', value: segment } : numberPart(number));
  }
  return ok({ text, numeric, words });
}

function canonical(v: GemVersion): Part[] {
  return [...normalizeParts(v.numeric), ...normalizeParts(v.words)];
}

export function compareGemVersions(a: GemVersion, b: GemVersion): Comparison {
  if (a.text === b.text) return 0;
  const left = canonical(a);
  const right = canonical(b);
  return compareLists(padParts(left, right.length), padParts(right, left.length));
}

/** The version without its pre-release part (`1.2.0.a` → `1.2.0`). */
function release(v: GemVersion): GemVersion {
  const numeric = normalizeParts(v.numeric);
  return { text: numeric.map((part) => (part.kind === 'number' ? part.value : '')).join('.'), numeric, words: [] };
}

/** `~>`'s upper bound: the last numeric segment dropped and the one before raised (`5.3.1` → `5.4`). */
function bump(v: GemVersion): GemVersion {
  const numeric = v.numeric.slice(0, Math.max(v.numeric.length, 2) - 1);
  const last = numeric[numeric.length - 1];
  numeric[numeric.length - 1] = last?.kind === 'number' ? numberPart(last.value + 1n) : newPart('1');
  return release({ text: '', numeric, words: [] });
}

function check(operator: string, v: GemVersion, c: GemVersion): boolean {
  const order = compareGemVersions(v, c);
  switch (operator) {
    case '~>':
      return order >= 0 && compareGemVersions(release(v), bump(c)) < 0;
    default:
      return satisfiesComparison(operator, order) ?? false;
  }
}

export function gemRequirementPredicate(constraint: string): Checked<VersionPredicate<GemVersion>> {
  const read = readGoConstraintBounds(constraint, OPERATORS, REQUIREMENT_VERSION, (term) => {
    const bound = parseGemVersion(term.version);
    return bound.ok ? bound : failure(`improper constraint: ${term.operator}${term.version}`);
  });
  if (!read.ok) return read;
  const alternatives = read.value;
  return ok((version) => alternatives.some((terms) => terms.every((t) => check(t.operator, version, t.bound))));
}

export class RubyGemsScheme extends ParsedVersionScheme<GemVersion> {
  readonly name = 'rubygems';

  protected parseVersion(version: string): Checked<GemVersion> {
    return parseGemVersion(version);
  }

  protected compareParsed(a: GemVersion, b: GemVersion): Comparison {
    return compareGemVersions(a, b);
  }

  protected parseConstraint(constraint: string): Checked<VersionPredicate<GemVersion>> {
    return gemRequirementPredicate(constraint);
  }
}
