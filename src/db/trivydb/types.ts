/**
 * trivy-db's value types with its Go field names (trivy-db pkg/types), so objects read from the
 * DB and objects written by `vigil db build` are the same JSON Trivy reads and writes.
 */

/** `data-source` bucket value: where the advisories of one platform bucket come from. */
export interface DataSource {
  ID: string;
  Name: string;
  URL: string;
  /** The source this one derives from (e.g. `debian` for a derivative). */
  BaseID?: string;
}

/** Status as stored in the DB (an int); `STATUS_NAMES` gives the string Trivy reports. */
export const STATUS_NAMES = [
  'unknown',
  'not_affected',
  'affected',
  'fixed',
  'under_investigation',
  'will_not_fix',
  'fix_deferred',
  'end_of_life',
] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

export function statusName(status: number | undefined): StatusName {
  return STATUS_NAMES[status ?? 0] ?? 'unknown';
}

/** Accepts the stored int or, as trivy-db's Status.UnmarshalJSON does, its string name. */
export function statusFromJson(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const index = (STATUS_NAMES as readonly string[]).indexOf(value.toLowerCase());
    return Math.max(index, 0);
  }
  return undefined;
}

/** Severity as stored (0..4) and its names. */
export const SEVERITY_NAMES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export function severityName(severity: number | undefined): SeverityName {
  return SEVERITY_NAMES[severity ?? 0] ?? 'UNKNOWN';
}

/** An advisory for one package. `VulnerabilityID` comes from the key, `DataSource` from `data-source`. */
export interface Advisory {
  VulnerabilityID: string;
  VendorIDs?: string[];
  OSes?: string[];
  Arches?: string[];
  Status?: number;
  Severity?: number;
  FixedVersion?: string;
  AffectedVersion?: string;
  VulnerableVersions?: string[];
  PatchedVersions?: string[];
  UnaffectedVersions?: string[];
  DataSource?: DataSource;
  Custom?: unknown;
}

export interface Cvss {
  V2Vector?: string;
  V3Vector?: string;
  V40Vector?: string;
  V2Score?: number;
  V3Score?: number;
  V40Score?: number;
}

/** `vulnerability` bucket value. */
export interface Vulnerability {
  Title?: string;
  Description?: string;
  /** Deprecated in trivy-db, still written. */
  Severity?: string;
  CweIDs?: string[];
  VendorSeverity?: Record<string, number>;
  CVSS?: Record<string, Cvss>;
  References?: string[];
  PublishedDate?: string;
  LastModifiedDate?: string;
  Custom?: unknown;
}

/** One entry of a `Red Hat` bucket value `{"Entries":[…]}` (trivy-db redhat-oval). */
export interface RedHatEntry {
  FixedVersion?: string;
  Cves?: Array<{ ID?: string; Severity?: number }>;
  Arches?: string[];
  Status?: number;
  /** Indices into `Red Hat CPE`: the products the entry applies to. */
  Affected?: number[];
}

/** Language ecosystems as trivy-db names them in `<ecosystem>::<data source>` buckets. */
export const LANGUAGE_ECOSYSTEMS = [
  'npm',
  'composer',
  'pip',
  'rubygems',
  'cargo',
  'julia',
  'nuget',
  'maven',
  'go',
  'conan',
  'erlang',
  'pub',
  'swift',
  'cocoapods',
  'bitnami',
  'k8s',
] as const;

/**
 * Package names as trivy-db stores them (vulnerability.NormalizePkgName): pip lowercased with `_`
 * as `-`; swift without `https://` and `.git`; go, cocoapods and julia as they are; others lowercased.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  switch (ecosystem) {
    case 'pip':
      return name.toLowerCase().replaceAll('_', '-');
    case 'swift':
      return name.replace(/^https:\/\//, '').replace(/\.git$/, '');
    case 'go':
    case 'cocoapods':
    case 'julia':
      return name;
    default:
      return name.toLowerCase();
  }
}
