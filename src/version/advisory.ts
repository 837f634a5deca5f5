import { type Ecosystem, ecosystemMatchOptions, ecosystemScheme } from './ecosystem.ts';
import { versionScheme } from './registry.ts';
import type { MatchOptions, VersionScheme } from './types.ts';

/** The range fields of a trivy-db language advisory; null and missing mean empty. */
export interface AdvisoryRanges {
  readonly VulnerableVersions?: readonly string[] | null;
  readonly PatchedVersions?: readonly string[] | null;
  readonly UnaffectedVersions?: readonly string[] | null;
}

export interface AdvisoryVerdict {
  readonly vulnerable: boolean;
  /** Why the ranges could not be evaluated (Trivy logs this and treats the package as not vulnerable). */
  readonly error?: string;
}

/**
 * Trivy's `compare.IsVulnerable`: an empty string among the vulnerable or patched ranges means
 * vulnerable outright; otherwise the version must match the vulnerable ranges (OR-joined, when
 * there are any) and must not match the patched and unaffected ranges (OR-joined). A range or
 * version that does not parse makes the verdict "not vulnerable", with the reason.
 */
export function matchAdvisory(
  scheme: VersionScheme,
  version: string,
  ranges: AdvisoryRanges,
  options: MatchOptions = {},
): AdvisoryVerdict {
  const vulnerable = ranges.VulnerableVersions ?? [];
  const patched = ranges.PatchedVersions ?? [];
  if (vulnerable.includes('') || patched.includes('')) return { vulnerable: true };
  let matched = false;
  if (vulnerable.length > 0) {
    const result = scheme.satisfies(version, vulnerable.join(' || '), options);
    if (!result.ok) return { vulnerable: false, error: result.error };
    if (!result.value) return { vulnerable: false };
    matched = true;
  }
  const secure = [...patched, ...(ranges.UnaffectedVersions ?? [])];
  if (secure.length === 0) return { vulnerable: matched };
  const result = scheme.satisfies(version, secure.join(' || '), options);
  if (!result.ok) return { vulnerable: false, error: result.error };
  return { vulnerable: !result.value };
}

/**
 * Matches a language advisory the way Trivy does for the ecosystem: its scheme and its default
 * options (pre-releases included for npm and pip); `options` add to those (`allowLocalSpecifier`
 * for supplier builds).
 */
export function isVulnerable(
  ecosystem: Ecosystem,
  version: string,
  ranges: AdvisoryRanges,
  options: MatchOptions = {},
): AdvisoryVerdict {
  const scheme = versionScheme(ecosystemScheme(ecosystem));
  return matchAdvisory(scheme, version, ranges, { ...ecosystemMatchOptions(ecosystem), ...options });
}

/**
 * The FixedVersion Trivy reports for a language advisory (`createFixedVersions`): the patched
 * ranges, or else the `<X` bounds of the vulnerable ranges (not `<=X`); duplicates dropped in
 * first-seen order, joined with ", ".
 */
export function advisoryFixedVersion(ranges: AdvisoryRanges): string {
  const patched = ranges.PatchedVersions ?? [];
  if (patched.length > 0) return [...new Set(patched)].join(', ');
  const bounds: string[] = [];
  for (const range of ranges.VulnerableVersions ?? []) {
    for (const part of range.split(',')) {
      const term = part.trim();
      if (term.startsWith('<') && !term.startsWith('<=')) bounds.push(term.slice(1).trim());
    }
  }
  return [...new Set(bounds)].join(', ');
}
