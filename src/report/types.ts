import type { LayerRef, Package, PackageIdentifier } from '../analyzer/types.ts';
import type { ImageConfig } from '../oci/image/index.ts';

/** Trivy's report model (JSON schema version 2); field names are Trivy's so pipelines keep working. */
export type Severity = 'UNKNOWN' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export const SEVERITIES: readonly Severity[] = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export interface DataSource {
  ID: string;
  Name: string;
  URL: string;
  BaseID?: string;
}

export interface CvssScore {
  V2Vector?: string;
  V3Vector?: string;
  V40Vector?: string;
  V2Score?: number;
  V3Score?: number;
  V40Score?: number;
}

export interface DetectedVulnerability {
  VulnerabilityID: string;
  VendorIDs?: string[];
  PkgID?: string;
  PkgName: string;
  PkgPath?: string;
  PkgIdentifier?: PackageIdentifier;
  InstalledVersion: string;
  FixedVersion?: string;
  Status?: string;
  Layer?: LayerRef;
  SeveritySource?: string;
  PrimaryURL?: string;
  DataSource?: DataSource;
  Title?: string;
  Description?: string;
  Severity: Severity;
  CweIDs?: string[];
  VendorSeverity?: Record<string, number>;
  CVSS?: Record<string, CvssScore>;
  References?: string[];
  PublishedDate?: string;
  LastModifiedDate?: string;
}

/** A finding a VEX statement suppressed, shown with --show-suppressed. */
export interface ModifiedFinding {
  Type: 'vulnerability';
  Status: string;
  Statement?: string;
  Source: string;
  Finding: DetectedVulnerability;
}

/** One line of the source shown with a misconfiguration (Trivy's `Code.Lines`). */
export interface CodeLine {
  Number: number;
  Content: string;
  IsCause: boolean;
  Annotation: string;
  Truncated: boolean;
  FirstCause: boolean;
  LastCause: boolean;
}

export interface CauseMetadata {
  Resource?: string;
  Provider?: string;
  Service?: string;
  StartLine?: number;
  EndLine?: number;
  Code?: { Lines: CodeLine[] };
}

/** A misconfiguration check result (Trivy's DetectedMisconfiguration). */
export interface DetectedMisconfiguration {
  Type: string;
  ID: string;
  AVDID?: string;
  Title: string;
  Description: string;
  Message: string;
  Namespace: string;
  Query: string;
  Resolution: string;
  Severity: Severity;
  PrimaryURL?: string;
  References?: string[];
  Status: 'FAIL' | 'PASS';
  CauseMetadata: CauseMetadata;
}

/** Checks passed and failed for one config file, counted before the failures-only filter. */
export interface MisconfSummary {
  Successes: number;
  Failures: number;
}

export interface Result {
  Target: string;
  Class: 'os-pkgs' | 'lang-pkgs' | 'config';
  Type?: string;
  Packages?: Package[];
  MisconfSummary?: MisconfSummary;
  Vulnerabilities?: DetectedVulnerability[];
  ModifiedFindings?: ModifiedFinding[];
  Misconfigurations?: DetectedMisconfiguration[];
}

/** The OS as Trivy's report prints it: its Ubuntu Pro / ESM flag is the lower-case `extended`. */
export interface ReportOs {
  Family: string;
  Name: string;
  EOSL?: boolean;
  extended?: boolean;
}

export interface ReportMetadata {
  Size?: number;
  OS?: ReportOs;
  ImageID?: string;
  DiffIDs?: string[];
  RepoTags?: string[];
  RepoDigests?: string[];
  ImageConfig?: ImageConfig;
  Layers?: Array<{ Size: number; Digest?: string; DiffID: string }>;
}

export interface Report {
  SchemaVersion: 2;
  CreatedAt: string;
  ArtifactName: string;
  ArtifactType: 'container_image' | 'filesystem' | 'repository';
  Metadata: ReportMetadata;
  Results: Result[];
  /** Vigil's addition: which databases and VEX sources the results rest on (ignored by Trivy readers). */
  Vigil?: Record<string, unknown>;
}

export function severityRank(severity: string): number {
  const index = SEVERITIES.indexOf(severity as Severity);
  return Math.max(index, 0);
}

/** Trivy's order: package, installed version, severity (high first), ID, path. */
export function compareVulnerabilities(a: DetectedVulnerability, b: DetectedVulnerability): number {
  if (a.PkgName !== b.PkgName) return a.PkgName < b.PkgName ? -1 : 1;
  if (a.InstalledVersion !== b.InstalledVersion) return a.InstalledVersion < b.InstalledVersion ? -1 : 1;
  const bySeverity = severityRank(b.Severity) - severityRank(a.Severity);
  if (bySeverity !== 0) return bySeverity;
  if (a.VulnerabilityID !== b.VulnerabilityID) return a.VulnerabilityID < b.VulnerabilityID ? -1 : 1;
  const pathA = a.PkgPath ?? '';
  const pathB = b.PkgPath ?? '';
  return pathA === pathB ? 0 : pathA < pathB ? -1 : 1;
}
