import type { Package } from '../analyzer/types.ts';
import { statusName } from '../db/trivydb/index.ts';
import type { DetectedVulnerability, Severity } from '../report/index.ts';
import type { StoredAdvisory } from './advisory-store.ts';

/**
 * A finding as a detector makes it, before enrichment (Trivy's DetectedVulnerability before
 * FillInfo): `Severity` is set only when the advisory carries a package-specific severity, and
 * then `SeveritySource` names where it came from.
 */
export type RawFinding = Omit<DetectedVulnerability, 'Severity'> & {
  Severity?: Severity;
  /** Vendor data passed through from the advisory (Trivy's `Custom`). */
  Custom?: unknown;
};

export interface FindingFacts {
  installedVersion: string;
  fixedVersion?: string;
  vendorIds?: string[];
  /** The advisory's status (as stored, an int); 0 or undefined leaves it to enrichment. */
  status?: number;
  severity?: Severity;
  severitySource?: string;
}

/** A finding for an OS package from one advisory, with the package's identity and layer. */
export function osFinding(pkg: Package, advisory: StoredAdvisory, facts: FindingFacts): RawFinding {
  const finding: RawFinding = { VulnerabilityID: advisory.VulnerabilityID, PkgName: pkg.Name, InstalledVersion: '' };
  if (facts.vendorIds !== undefined && facts.vendorIds.length > 0) finding.VendorIDs = [...facts.vendorIds];
  if (pkg.ID) finding.PkgID = pkg.ID;
  finding.PkgName = pkg.Name;
  if (pkg.Identifier !== undefined) finding.PkgIdentifier = { ...pkg.Identifier };
  finding.InstalledVersion = facts.installedVersion;
  if (facts.fixedVersion) finding.FixedVersion = facts.fixedVersion;
  if (facts.status) finding.Status = statusName(facts.status);
  if (pkg.Layer !== undefined && (pkg.Layer.Digest || pkg.Layer.DiffID || pkg.Layer.CreatedBy)) {
    finding.Layer = { ...pkg.Layer };
  }
  if (facts.severitySource !== undefined) finding.SeveritySource = facts.severitySource;
  if (advisory.DataSource !== undefined) finding.DataSource = { ...advisory.DataSource };
  if (facts.severity !== undefined) finding.Severity = facts.severity;
  if (advisory.Custom !== undefined) finding.Custom = advisory.Custom;
  return finding;
}
