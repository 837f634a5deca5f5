import type { DataSource, Vulnerability } from '../db/trivydb/index.ts';
import { severityName } from '../db/trivydb/index.ts';
import { describeError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { DetectedVulnerability, Severity } from '../report/index.ts';
import type { AdvisoryStore } from './advisory-store.ts';
import { DbValueError } from './db-values.ts';
import type { RawFinding } from './finding.ts';
import { AUTO_SEVERITY_SOURCE } from './severity-sources.ts';

/** Reference URL prefixes that make a good PrimaryURL for IDs that are not CVE/GHSA/… (by data source). */
const PRIMARY_URL_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  debian: ['http://www.debian.org', 'https://www.debian.org'],
  ubuntu: ['http://www.ubuntu.com', 'https://usn.ubuntu.com'],
  redhat: ['https://access.redhat.com'],
  'suse-cvrf': ['http://lists.opensuse.org', 'https://lists.opensuse.org'],
  'oracle-oval': ['http://linux.oracle.com/errata', 'https://linux.oracle.com/errata'],
  'nodejs-security-wg': ['https://www.npmjs.com', 'https://hackerone.com'],
  'ruby-advisory-db': ['https://groups.google.com'],
};

export interface EnrichOptions {
  /** Severity sources in priority order; `auto` is Trivy's built-in choice (the default). */
  readonly severitySources: readonly string[];
  readonly logger: Logger;
}

/**
 * Trivy's FillInfo (pkg/vulnerability): adds the `vulnerability` bucket's details, picks the
 * severity, sets PrimaryURL and the status. A package-specific severity from the advisory (e.g.
 * Debian's urgency, Red Hat's per-package rating) wins over the vulnerability-wide one.
 */
export function enrichFindings(
  findings: readonly RawFinding[],
  store: AdvisoryStore,
  options: EnrichOptions,
): DetectedVulnerability[] {
  const unrated: string[] = [];
  // One vulnerability is often found in several packages: read its details once.
  const detailsById = new Map<string, Vulnerability | undefined>();
  const out = findings.map((finding) => {
    const id = finding.VulnerabilityID;
    if (!detailsById.has(id)) detailsById.set(id, vulnerabilityDetails(store, id, options.logger));
    const details = detailsById.get(id);
    let severity: Severity = finding.Severity ?? 'UNKNOWN';
    let severitySource = finding.SeveritySource;
    if (details !== undefined && finding.SeveritySource === undefined) {
      const chosen = selectSeverity(finding.VulnerabilityID, details, finding.DataSource, options);
      if (chosen === undefined) unrated.push(finding.VulnerabilityID);
      severity = chosen?.severity ?? 'UNKNOWN';
      severitySource = chosen?.source;
    }
    return assemble(finding, details, severity, severitySource || undefined);
  });
  if (unrated.length > 0) {
    options.logger.warn(
      `No severity found in specified sources (${options.severitySources.join(', ')}): ${[...new Set(unrated)].join(', ')}`,
    );
  }
  return out;
}

function vulnerabilityDetails(store: AdvisoryStore, id: string, logger: Logger): Vulnerability | undefined {
  try {
    const details = store.vulnerability(id);
    if (details === undefined) logger.debug(`no vulnerability details for ${id}`);
    return details;
  } catch (error) {
    if (!(error instanceof DbValueError)) throw error;
    logger.warn(`Error while getting vulnerability details: ${describeError(error)}`);
    return undefined;
  }
}

interface ChosenSeverity {
  severity: Severity;
  /** Empty when the deprecated, source-less severity was used. */
  source: string;
}

function selectSeverity(
  id: string,
  details: Vulnerability,
  dataSource: DataSource | undefined,
  options: EnrichOptions,
): ChosenSeverity | undefined {
  const vendor = details.VendorSeverity ?? {};
  const fromVendor = (source: string | undefined): ChosenSeverity | undefined => {
    if (!source) return undefined;
    const value = vendor[source];
    return value === undefined ? undefined : { severity: severityName(value), source };
  };
  for (const source of options.severitySources) {
    const chosen =
      source === AUTO_SEVERITY_SOURCE ? autoSeverity(id, details, dataSource, fromVendor, options) : fromVendor(source);
    if (chosen !== undefined) return chosen;
  }
  return undefined;
}

/**
 * Trivy's default choice: the advisory's data source (or the source it derives from), GitHub's
 * rating for GHSA IDs and Go advisories, NVD, then the DB's single severity (taken from another
 * vendor, which is worth a note).
 */
function autoSeverity(
  id: string,
  details: Vulnerability,
  dataSource: DataSource | undefined,
  fromVendor: (source: string | undefined) => ChosenSeverity | undefined,
  options: EnrichOptions,
): ChosenSeverity {
  const chosen =
    fromVendor(dataSource?.ID) ??
    fromVendor(dataSource?.BaseID) ??
    (id.startsWith('GHSA-') || dataSource?.ID === 'govulndb' ? fromVendor('ghsa') : undefined) ??
    fromVendor('nvd');
  if (chosen !== undefined) return chosen;
  if (!details.Severity) return { severity: 'UNKNOWN', source: '' };
  options.logger.debug(`${id}: neither the data source nor NVD rates it; using the severity from another vendor`);
  return { severity: severityName(Math.max(0, SEVERITY_ORDER.indexOf(details.Severity))), source: '' };
}

const SEVERITY_ORDER = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** Trivy's PrimaryURL: a canonical page for well-known ID schemes, else the data source's own reference. */
export function primaryUrl(
  id: string,
  references: readonly string[],
  sourceId: string | undefined,
): string | undefined {
  if (id.startsWith('CVE-')) return `https://avd.aquasec.com/nvd/${id.toLowerCase()}`;
  if (id.startsWith('RUSTSEC-')) return `https://osv.dev/vulnerability/${id}`;
  if (id.startsWith('GHSA-')) return `https://github.com/advisories/${id}`;
  if (id.startsWith('TEMP-')) return `https://security-tracker.debian.org/tracker/${id}`;
  for (const prefix of PRIMARY_URL_PREFIXES[sourceId ?? ''] ?? []) {
    const reference = references.find((ref) => ref.startsWith(prefix));
    if (reference !== undefined) return reference;
  }
  return undefined;
}

/** The finding in Trivy's JSON field order, with the details merged in. */
function assemble(
  finding: RawFinding,
  details: Vulnerability | undefined,
  severity: Severity,
  severitySource: string | undefined,
): DetectedVulnerability {
  const out = { VulnerabilityID: finding.VulnerabilityID } as DetectedVulnerability;
  if (finding.VendorIDs) out.VendorIDs = finding.VendorIDs;
  if (finding.PkgID) out.PkgID = finding.PkgID;
  out.PkgName = finding.PkgName;
  if (finding.PkgPath) out.PkgPath = finding.PkgPath;
  if (finding.PkgIdentifier) out.PkgIdentifier = finding.PkgIdentifier;
  out.InstalledVersion = finding.InstalledVersion;
  if (finding.FixedVersion) out.FixedVersion = finding.FixedVersion;
  out.Status =
    finding.Status && finding.Status !== 'unknown' ? finding.Status : finding.FixedVersion ? 'fixed' : 'affected';
  if (finding.Layer) out.Layer = finding.Layer;
  if (severitySource) out.SeveritySource = severitySource;
  const url =
    details === undefined
      ? undefined
      : primaryUrl(finding.VulnerabilityID, details.References ?? [], finding.DataSource?.ID);
  if (url) out.PrimaryURL = url;
  if (finding.DataSource) out.DataSource = finding.DataSource;
  if (details?.Title) out.Title = details.Title;
  if (details?.Description) out.Description = details.Description;
  out.Severity = severity;
  if (details?.CweIDs?.length) out.CweIDs = details.CweIDs;
  if (details?.VendorSeverity && Object.keys(details.VendorSeverity).length > 0)
    out.VendorSeverity = details.VendorSeverity;
  if (details?.CVSS && Object.keys(details.CVSS).length > 0) out.CVSS = cvssInTrivyOrder(details.CVSS);
  if (details?.References?.length) out.References = details.References;
  if (details?.PublishedDate) out.PublishedDate = details.PublishedDate;
  if (details?.LastModifiedDate) out.LastModifiedDate = details.LastModifiedDate;
  return out;
}

const CVSS_FIELDS = ['V2Vector', 'V3Vector', 'V40Vector', 'V2Score', 'V3Score', 'V40Score'] as const;

/**
 * Scores with their fields in the order Trivy's report prints them (its struct's order), whatever
 * order the DB value stored them in, so reports read and diff the same as Trivy's.
 */
function cvssInTrivyOrder(cvss: NonNullable<Vulnerability['CVSS']>): NonNullable<DetectedVulnerability['CVSS']> {
  const ordered: NonNullable<DetectedVulnerability['CVSS']> = {};
  for (const [source, score] of Object.entries(cvss)) {
    const fields: Record<string, string | number> = {};
    for (const field of CVSS_FIELDS) {
      const value = score[field];
      if (value !== undefined) fields[field] = value;
    }
    ordered[source] = fields;
  }
  return ordered;
}
