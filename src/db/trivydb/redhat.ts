import type { Advisory, DataSource, RedHatEntry } from './types.ts';

/**
 * Flattens `Red Hat` bucket values into advisories the way trivy-db's redhat-oval Get does: one
 * advisory per entry and CVE; entries whose CPE indices do not meet `cpeIndices` are dropped
 * (no filter when undefined). Under an RHSA key the CVE ID comes from the entry and the RHSA
 * becomes a vendor ID; under a CVE key the key is the ID.
 */
export function flattenRedHatAdvisories(
  values: ReadonlyMap<string, readonly RedHatEntry[]>,
  cpeIndices: ReadonlySet<number> | undefined,
  dataSource: DataSource | undefined,
): Advisory[] {
  const advisories: Advisory[] = [];
  for (const [key, entries] of values) {
    for (const entry of entries) {
      if (cpeIndices !== undefined && !(entry.Affected ?? []).some((index) => cpeIndices.has(index))) continue;
      for (const cve of entry.Cves ?? []) {
        const advisory: Advisory = { VulnerabilityID: key.startsWith('CVE-') ? key : (cve.ID ?? key) };
        if (!key.startsWith('CVE-')) advisory.VendorIDs = [key];
        if (cve.Severity) advisory.Severity = cve.Severity;
        if (entry.FixedVersion) advisory.FixedVersion = entry.FixedVersion;
        if (entry.Arches?.length) advisory.Arches = entry.Arches;
        if (entry.Status) advisory.Status = entry.Status;
        if (dataSource !== undefined) advisory.DataSource = dataSource;
        advisories.push(advisory);
      }
    }
  }
  return advisories.sort((a, b) =>
    a.VulnerabilityID < b.VulnerabilityID ? -1 : a.VulnerabilityID > b.VulnerabilityID ? 1 : 0,
  );
}
