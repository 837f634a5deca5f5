/**
 * The two checks Trivy borrows from golang.org/x/mod: semver.IsValid (a `v` prefix, shorthands
 * `v1` and `v1.2` allowed, but not with pre-release or build suffixes) and
 * module.IsPseudoVersion (`v0.0.0-20210121094942-22b2f8951d46` and its relatives).
 */
const NUMBER = '(?:0|[1-9][0-9]*)';
const IDENT = '[0-9A-Za-z-]+';
const PRERELEASE_IDENT = `(?:${NUMBER}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`;
const FULL = new RegExp(
  `^v${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-${PRERELEASE_IDENT}(?:\\.${PRERELEASE_IDENT})*)?(?:\\+${IDENT}(?:\\.${IDENT})*)?$`,
);
const SHORT = new RegExp(`^v${NUMBER}(?:\\.${NUMBER})?$`);

export function isValidGoSemver(version: string): boolean {
  return FULL.test(version) || SHORT.test(version);
}

const PSEUDO = /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+)?$/;

export function isPseudoVersion(version: string): boolean {
  return (version.match(/-/g)?.length ?? 0) >= 2 && isValidGoSemver(version) && PSEUDO.test(version);
}
