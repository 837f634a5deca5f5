/**
 * One interface for every version scheme (Debian, RPM, APK, npm, PEP 440, Maven, RubyGems, the
 * generic go-version scheme, strict SemVer, Bitnami). Semantics follow the libraries Trivy uses, so
 * a finding appears or not exactly as it would in Trivy; deliberate deviations are documented on
 * each scheme.
 *
 * Nothing here throws for bad input: versions and constraints come from lock files and advisory
 * databases, so a malformed one is an error value the caller can log and skip.
 */

export type SchemeName =
  | 'deb'
  | 'rpm'
  | 'apk'
  | 'npm'
  | 'pep440'
  | 'maven'
  | 'rubygems'
  | 'generic'
  | 'semver'
  | 'bitnami';

export type Comparison = -1 | 0 | 1;

/** A result or the reason there is none (malformed version or constraint). */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface MatchOptions {
  /**
   * Trivy matches npm and PEP 440 advisories with this on; off by default, as in npm and pip.
   * npm, semver: a pre-release may satisfy a range whose bounds name another release.
   * pep440: `<V` also takes pre-releases of V (go-pep440-version's WithPreRelease).
   */
  readonly includePrerelease?: boolean;
  /** npm: node-semver's loose parsing. */
  readonly loose?: boolean;
  /**
   * pep440: allow local labels in specifiers and compare local segments strictly
   * (`4.2.8+sp1` no longer matches `== 4.2.8`), as Trivy does for Seal and Echo packages.
   */
  readonly allowLocalSpecifier?: boolean;
  /** semver: a missing minor or patch in a constraint means 0 rather than "any". */
  readonly zeroPadding?: boolean;
}

export interface VersionScheme {
  readonly name: SchemeName;
  /** Whether the string is a version this scheme can compare. */
  isValid(version: string): boolean;
  /** Orders two versions; an error value when either does not parse. */
  compare(a: string, b: string): Checked<Comparison>;
  /**
   * Whether a version satisfies a constraint in this scheme's syntax (operators, `,` AND, `||` OR
   * and the scheme's own forms, such as Maven ranges or npm x-ranges).
   */
  satisfies(version: string, constraint: string, options?: MatchOptions): Checked<boolean>;
}

export function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function failure<T = never>(error: string): Checked<T> {
  return { ok: false, error };
}

export function sign(n: number): Comparison {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
