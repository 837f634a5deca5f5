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
 * Red Hat image build information (content manifests, image labels): the content sets and the
 * image NVR select the `Red Hat CPE` indices an advisory must meet (Trivy's `Package.BuildInfo`).
 */
export interface RedHatBuildInfo {
  ContentSets?: string[];
  Nvr?: string;
  Arch?: string;
}

/** Where an OS package was installed from; Trivy's class names (`official`, `third-party`, `unknown`). */
export interface PackageRepository {
  Class?: string;
}

/**
 * An OS package with the optional facts some detectors use beyond the inventory model: Red Hat
 * build information, and the repository class (packages from third-party repositories such as
 * EPEL or Docker are not matched against the OS vendor's advisories).
 */
export type DetectablePackage = Package & {
  BuildInfo?: RedHatBuildInfo;
  Repository?: PackageRepository;
};

/**
 * Inventory + vulnerability DB → findings, enriched with the `vulnerability` bucket's details
 * (title, description, severity, CVSS, references, dates). One instance per scan.
 */
export interface Detector {
  detectOs(os: OS, repository: Repository | undefined, packages: readonly DetectablePackage[]): Promise<OsDetection>;
  /** Language packages of one application (`Type` is Trivy's application type: npm, pip, jar, …). */
  detectPackages(applicationType: string, packages: readonly Package[]): Promise<DetectedVulnerability[]>;
}
