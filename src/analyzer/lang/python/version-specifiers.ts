import { satisfies, valid, validRange } from '@renovatebot/pep440';

/** Whether `version` is a PEP 440 version (what Trivy's go-pep440-version accepts). */
export function isPep440Version(version: string): boolean {
  return valid(version) !== null;
}

/**
 * Whether a version satisfies a PEP 440 specifier set, pre-releases allowed, as Trivy matches
 * poetry.lock dependency ranges. `*` matches anything; `||` separates alternatives. Throws for a
 * version or specifier that does not parse (the caller drops that dependency edge).
 */
export function satisfiesPep440(version: string, specifiers: string): boolean {
  if (!isPep440Version(version)) throw new Error(`invalid version ${version}`);
  const alternatives = specifiers.split('||').map((part) => part.trim());
  return alternatives.some((part) => {
    if (part === '*') return true;
    if (part === '' || validRange(part) === null) throw new Error(`invalid specifier ${specifiers}`);
    return satisfies(version, part, { prereleases: true });
  });
}
