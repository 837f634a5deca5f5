import type { OS, Package, Repository } from '../analyzer/types.ts';
import type { DetectedVulnerability } from '../report/index.ts';

/** What OS detection says besides the findings themselves. */
export interface OsDetection {
  vulnerabilities: DetectedVulnerability[];
  /** The OS release is past its end of service life (the report warns; findings may be incomplete). */
  eosl: boolean;
  /** False when no detector knows this family or release: nothing was checked. */
  supported: boolean;
}

/**
 * Inventory + vulnerability DB → findings, enriched with the `vulnerability` bucket's details
 * (title, description, severity, CVSS, references, dates). One instance per scan.
 */
export interface Detector {
  detectOs(os: OS, repository: Repository | undefined, packages: readonly Package[]): Promise<OsDetection>;
  /** Language packages of one application (`Type` is Trivy's application type: npm, pip, jar, …). */
  detectPackages(applicationType: string, packages: readonly Package[]): Promise<DetectedVulnerability[]>;
}
