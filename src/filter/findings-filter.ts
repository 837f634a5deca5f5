import { matchesGlob } from 'node:path';
import type { DetectedVulnerability, Result, Severity } from '../report/index.ts';
import { compareVulnerabilities } from '../report/index.ts';
import type { IgnoreRule } from './ignore-file.ts';

export interface FindingFilters {
  severities: readonly Severity[];
  ignoreUnfixed: boolean;
  ignoreRules: readonly IgnoreRule[];
  now: Date;
}

/** A rule applies until the start of its expiry day has passed. */
function ruleActive(rule: IgnoreRule, now: Date): boolean {
  return !rule.expiresAt || now.getTime() < rule.expiresAt.getTime();
}

function ignoredBy(
  rules: readonly IgnoreRule[],
  vulnerability: DetectedVulnerability,
  target: string,
  now: Date,
): boolean {
  return rules.some((rule) => {
    if (!ruleActive(rule, now)) return false;
    if (rule.id !== vulnerability.VulnerabilityID && !(vulnerability.VendorIDs ?? []).includes(rule.id)) return false;
    if (rule.paths?.length) {
      const path = vulnerability.PkgPath ?? target;
      if (!rule.paths.some((pattern) => matchesGlob(path, pattern))) return false;
    }
    if (rule.purls?.length) {
      const purl = vulnerability.PkgIdentifier?.PURL ?? '';
      if (
        !rule.purls.some((wanted) => purl === wanted || purl.startsWith(`${wanted}@`) || purl.startsWith(`${wanted}?`))
      ) {
        return false;
      }
    }
    return true;
  });
}

/** --severity, --ignore-unfixed and --ignorefile, applied to every result; output stays sorted. */
export function filterResults(results: readonly Result[], filters: FindingFilters): Result[] {
  return results.map((result) => {
    if (!result.Vulnerabilities) return result;
    const kept = result.Vulnerabilities.filter((vulnerability) => {
      if (!filters.severities.includes(vulnerability.Severity)) return false;
      if (filters.ignoreUnfixed && !vulnerability.FixedVersion) return false;
      return !ignoredBy(filters.ignoreRules, vulnerability, result.Target, filters.now);
    });
    return { ...result, Vulnerabilities: kept.sort(compareVulnerabilities) };
  });
}
