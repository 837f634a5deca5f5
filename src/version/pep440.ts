import { readGoConstraint } from './go-constraint.ts';
import {
  comparePep440Versions,
  isPep440PostRelease,
  isPep440Prerelease,
  PEP440_PATTERN,
  type Pep440Version,
  parsePep440Version,
  pep440Public,
  pep440ToString,
} from './pep440-version.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, type MatchOptions, ok } from './types.ts';

/**
 * Python versions and specifiers with the semantics of aquasecurity/go-pep440-version, which Trivy
 * uses for pip advisories (always with pre-releases included). Specifiers are PEP 440's
 * (`== != < <= > >= ~= ===`, `.*` prefixes) plus Trivy's additions: a bare version or `=` means
 * `==`, `*` means any version, `||` separates alternatives and whitespace works like `,`.
 *
 * Where go-pep440-version differs from PEP 440 and pypa/packaging, this follows Trivy, so that the
 * same advisories match:
 * - with `includePrerelease`, `<V` also accepts pre-releases of V (`2.0a1` satisfies `<2`);
 *   without it, pre-releases are not filtered out of ranges in general, only from `<V`;
 * - `==V.*` compares the specifier's text, not its normalised form, and pads the shorter release
 *   only partway (`2` does not match `==2.0.0.*`), and takes the post/dev tail of the candidate
 *   from the specifier (`2.0.post2` matches `==2.0.post1.*`);
 * - local labels split on `.` only (`1.0+a-b` and `1.0+a.b` differ).
 */

const OPERATORS = ['', '=', '==', '!=', '>', '<', '>=', '<=', '~=', '==='];
const SPECIFIER_VERSION = new RegExp(String.raw`${PEP440_PATTERN}(?:\.\*)?`, 'iy');
const PREFIX_SPLIT = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/;

interface Specifier {
  readonly operator: string;
  /** The specifier's version as written (prefix matching and `===` work on the text). */
  readonly text: string;
  /** Parsed, except for `===` and `.*` prefixes. */
  readonly version: Pep440Version | undefined;
}

/** Dot-split, with `1rc1` split into `1` and `rc1`. */
function versionSplit(version: string): string[] {
  return version.split('.').flatMap((piece) => {
    const match = PREFIX_SPLIT.exec(piece);
    return match === null ? [piece] : [match[1] as string, match[2] as string];
  });
}

const isDigits = (text: string) => /^[+-]?[0-9]+$/.test(text);

/** go-pep440-version's padVersion, including its partial padding and its use of `left` for both tails. */
function padVersion(left: string[], right: string[]): [string[], string[]] {
  const leftRelease = left.filter(isDigits);
  const rightRelease = right.filter(isDigits);
  const leftRest = left.slice(leftRelease.length);
  const rightRest = left.slice(rightRelease.length);
  for (let i = 0; i < leftRelease.length - rightRelease.length; i++) rightRelease.push('0');
  for (let i = 0; i < rightRelease.length - leftRelease.length; i++) leftRelease.push('0');
  return [
    [...leftRelease, ...leftRest],
    [...rightRelease, ...rightRest],
  ];
}

function equal(prospective: Pep440Version, spec: string, specVersion: Pep440Version | undefined, allowLocal: boolean) {
  if (specVersion === undefined) {
    const splitSpec = versionSplit(spec.slice(0, -2));
    let splitProspective = versionSplit(pep440ToString(pep440Public(prospective)));
    if (splitProspective.length > splitSpec.length) splitProspective = splitProspective.slice(0, splitSpec.length);
    const [paddedSpec, paddedProspective] = padVersion(splitSpec, splitProspective);
    return (
      paddedSpec.length === paddedProspective.length && paddedSpec.every((piece, i) => piece === paddedProspective[i])
    );
  }
  const candidate = !allowLocal && specVersion.local === '' ? pep440Public(prospective) : prospective;
  return comparePep440Versions(specVersion, candidate) === 0;
}

/** Same epoch and release (`1.0rc1` and `1.0.0.post2` share `1.0`). */
function sameBase(a: Pep440Version, b: Pep440Version): boolean {
  const base = (v: Pep440Version): Pep440Version => ({
    ...v,
    preLetter: '',
    preNumber: 0n,
    postLetter: '',
    postNumber: 0n,
    devLetter: '',
    devNumber: 0n,
    local: '',
  });
  return comparePep440Versions(base(a), base(b)) === 0;
}

function lessThan(prospective: Pep440Version, s: Pep440Version, allowLocal: boolean, prereleases: boolean): boolean {
  const candidate = !allowLocal && prospective.local !== '' ? pep440Public(prospective) : prospective;
  if (comparePep440Versions(candidate, s) >= 0) return false;
  // `<3.1` does not take 3.1.dev0 unless pre-releases are wanted.
  if (!prereleases && !isPep440Prerelease(s) && isPep440Prerelease(candidate) && sameBase(candidate, s)) return false;
  return true;
}

function greaterThan(prospective: Pep440Version, s: Pep440Version, allowLocal: boolean): boolean {
  if (comparePep440Versions(prospective, s) <= 0) return false;
  // `>3.1` takes neither 3.1.post0 nor 3.1+local.
  if (!isPep440PostRelease(s) && isPep440PostRelease(prospective) && sameBase(prospective, s)) return false;
  if (!allowLocal && prospective.local !== '' && sameBase(prospective, s)) return false;
  return true;
}

function compatible(prospective: Pep440Version, spec: Pep440Version, allowLocal: boolean): boolean {
  const prefixElements: string[] = [];
  for (const piece of versionSplit(pep440ToString(pep440Public(spec)))) {
    if (piece.startsWith('post') || piece.startsWith('dev')) break;
    prefixElements.push(piece);
  }
  const prefix = `${prefixElements.slice(0, -1).join('.')}.*`;
  return (
    comparePep440Versions(allowLocal ? prospective : pep440Public(prospective), spec) >= 0 &&
    equal(prospective, prefix, undefined, allowLocal)
  );
}

function check(specifier: Specifier, v: Pep440Version, options: MatchOptions): boolean {
  const allowLocal = options.allowLocalSpecifier === true;
  const { operator, text, version: spec } = specifier;
  if (operator === '===') return pep440ToString(v).toLowerCase() === text.toLowerCase();
  if (operator === '' || operator === '=' || operator === '==') return equal(v, text, spec, allowLocal);
  if (operator === '!=') return !equal(v, text, spec, allowLocal);
  if (spec === undefined) return false;
  switch (operator) {
    case '<':
      return lessThan(v, spec, allowLocal, options.includePrerelease === true);
    case '>':
      return greaterThan(v, spec, allowLocal);
    case '<=':
      return comparePep440Versions(allowLocal ? v : pep440Public(v), spec) <= 0;
    case '>=':
      return comparePep440Versions(allowLocal ? v : pep440Public(v), spec) >= 0;
    case '~=':
      return compatible(v, spec, allowLocal);
    default:
      return false;
  }
}

/** The rules go-pep440-version applies to a specifier's version. */
function validateSpecifier(operator: string, text: string, allowLocal: boolean): string | undefined {
  if (operator === '===') return undefined;
  const wildcard = text.endsWith('.*');
  const parsed = parsePep440Version(wildcard ? text.slice(0, -2) : text);
  if (!parsed.ok) return parsed.error;
  const v = parsed.value;
  if (operator === '' || operator === '=' || operator === '==' || operator === '!=') {
    if (wildcard && (v.devLetter !== '' || v.devNumber !== 0n || v.local !== '')) {
      return 'the (non)equality operators allow no wildcard together with a dev or local version';
    }
    return undefined;
  }
  if (wildcard) return 'a wildcard is not allowed';
  if (operator === '~=' && v.release.length < 2) {
    return 'the compatible operator requires at least two release components';
  }
  if (v.local !== '' && !allowLocal) return 'local versions cannot be specified';
  return undefined;
}

export function pep440SpecifierPredicate(
  constraint: string,
  options: MatchOptions,
): Checked<VersionPredicate<Pep440Version>> {
  const normalized = constraint
    .split('||')
    .map((alternative) => (alternative.trim() === '*' ? '>=0.0.0' : alternative))
    .join('||');
  const read = readGoConstraint(normalized, OPERATORS, SPECIFIER_VERSION);
  if (!read.ok) return read;
  const alternatives: Specifier[][] = [];
  for (const terms of read.value) {
    if (terms.length === 0) return failure(`improper constraint: ${constraint}`);
    const specifiers: Specifier[] = [];
    for (const term of terms) {
      const problem = validateSpecifier(term.operator, term.version, options.allowLocalSpecifier === true);
      if (problem !== undefined) return failure(`invalid specifier '${term.operator}${term.version}': ${problem}`);
      const parsed =
        term.operator === '===' || term.version.endsWith('.*') ? undefined : parsePep440Version(term.version);
      specifiers.push({ operator: term.operator, text: term.version, version: parsed?.ok ? parsed.value : undefined });
    }
    alternatives.push(specifiers);
  }
  return ok((version) => alternatives.some((specifiers) => specifiers.every((s) => check(s, version, options))));
}

export class Pep440Scheme extends ParsedVersionScheme<Pep440Version> {
  readonly name = 'pep440';

  protected parseVersion(version: string): Checked<Pep440Version> {
    return parsePep440Version(version);
  }

  protected compareParsed(a: Pep440Version, b: Pep440Version): Comparison {
    return comparePep440Versions(a, b);
  }

  protected parseConstraint(constraint: string, options: MatchOptions): Checked<VersionPredicate<Pep440Version>> {
    return pep440SpecifierPredicate(constraint, options);
  }
}
