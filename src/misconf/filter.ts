import type { Result, Severity } from '../report/index.ts';

export interface MisconfFilter {
  readonly severities: readonly Severity[];
  /** Keep PASS results in the list (they are always counted in MisconfSummary). */
  readonly includeNonFailures?: boolean;
}

/**
 * Trivy's misconfiguration filter: results outside the chosen severities are dropped, the rest
 * are counted in MisconfSummary, and only failures stay listed. Other result classes pass through.
 */
export function filterMisconfigurations(results: readonly Result[], filter: MisconfFilter): Result[] {
  return results.map((result) => {
    if (result.Class !== 'config' || !result.Misconfigurations) return result;
    const kept = result.Misconfigurations.filter((m) => filter.severities.includes(m.Severity));
    const summary = {
      Successes: kept.filter((m) => m.Status === 'PASS').length,
      Failures: kept.filter((m) => m.Status === 'FAIL').length,
    };
    return {
      ...result,
      MisconfSummary: summary,
      Misconfigurations: filter.includeNonFailures ? kept : kept.filter((m) => m.Status === 'FAIL'),
    };
  });
}

/** Number of failures left in the results, for `--exit-code`. */
export function countMisconfigurationFailures(results: readonly Result[]): number {
  return results.reduce(
    (total, result) => total + (result.Misconfigurations ?? []).filter((m) => m.Status === 'FAIL').length,
    0,
  );
}
