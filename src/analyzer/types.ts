/**
 * The inventory model shared by every analyzer, detector and report. Field names follow Trivy's
 * JSON (Go field names), so reports serialize these objects as they are and upstream golden
 * results compare directly.
 */

export type Relationship = 'root' | 'workspace' | 'direct' | 'indirect' | 'unknown';

export interface Location {
  StartLine: number;
  EndLine: number;
}

export interface PackageIdentifier {
  PURL?: string;
  UID?: string;
  BOMRef?: string;
}

export interface LayerRef {
  Digest?: string;
  DiffID?: string;
  CreatedBy?: string;
}

export interface Package {
  /** `name@version` for most ecosystems, `group:artifact:version` for Maven; empty for OS packages. */
  ID?: string;
  Name: string;
  Identifier?: PackageIdentifier;
  Version: string;
  Release?: string;
  Epoch?: number;
  Arch?: string;
  Dev?: boolean;
  SrcName?: string;
  SrcVersion?: string;
  SrcRelease?: string;
  SrcEpoch?: number;
  Licenses?: string[];
  Maintainer?: string;
  Modularitylabel?: string;
  /** Red Hat images only: the build information of the layer that installed the package. */
  BuildInfo?: BuildInfo;
  Indirect?: boolean;
  Relationship?: Relationship;
  DependsOn?: string[];
  Layer?: LayerRef;
  /** For packages found inside an archive or binary: the file they came from. */
  FilePath?: string;
  Digest?: string;
  Locations?: Location[];
  InstalledFiles?: string[];
}

/** OS family names as Trivy spells them (`debian`, `ubuntu`, `alpine`, `redhat`, `centos`, …). */
export interface OS {
  Family: string;
  Name: string;
  /** End of service life, set by the detector. */
  EOSL?: boolean;
  /** Ubuntu Pro / ESM enabled. */
  Extended?: boolean;
}

/** Alpine's `/etc/apk/repositories` release, which overrides the OS version for detection. */
export interface Repository {
  Family: string;
  Release: string;
}

/**
 * Red Hat image build information (Trivy's `BuildInfo`): the content sets of the image's content
 * manifest, and the image's own NVR and architecture from its build Dockerfile. Detection maps
 * them to the `Red Hat CPE` indices an advisory must meet.
 */
export interface BuildInfo {
  ContentSets?: string[];
  Nvr?: string;
  Arch?: string;
}

/** OS packages from one package database file. */
export interface PackageInfo {
  FilePath: string;
  Packages: Package[];
}

/** Language packages from one lock file, manifest or binary. `Type` is Trivy's (`npm`, `pip`, `jar`, …). */
export interface Application {
  Type: string;
  FilePath: string;
  Packages: Package[];
}

export interface AnalysisResult {
  OS?: OS;
  Repository?: Repository;
  PackageInfos?: PackageInfo[];
  Applications?: Application[];
  /** Things the user should know about that did not stop the analysis (e.g. jars not checked by hash). */
  Warnings?: string[];
  /** Dockerfiles and Kubernetes manifests, kept for the misconfiguration scan after layers are applied. */
  ConfigFiles?: ConfigFileContent[];
  /** Red Hat build information found in this layer; the applier gives it to the layer's OS packages. */
  BuildInfo?: BuildInfo;
}

export interface ConfigFileContent {
  readonly path: string;
  readonly content: string;
}

/** What kind of scan is running: `fs` reads lock files, `rootfs` and `image` read installed metadata. */
export type ScanKind = 'fs' | 'rootfs' | 'image';

export interface FileInfo {
  size: number;
  /** Unix mode bits, including the executable bits Go-binary analyzers look at. */
  mode: number;
}

/** The files an analyzer asked for within one layer or directory, by slash-separated relative path. */
export interface CollectedFiles {
  paths(): readonly string[];
  read(path: string): Promise<Buffer>;
  info(path: string): FileInfo | undefined;
}

export interface AnalyzerContext {
  readonly scanKind: ScanKind;
  /** Include development dependencies (`--include-dev-deps`). */
  readonly includeDevDeps: boolean;
}

/**
 * An analyzer picks files by path with a cheap `required` check, then analyzes all of them at
 * once (so multi-file formats such as go.mod + go.sum fit). Its `version` is part of the layer
 * cache key: bump it whenever its output for the same input changes.
 */
export interface Analyzer {
  readonly type: string;
  readonly version: number;
  /** Scan kinds this analyzer runs in (lock files for `fs`; installed metadata for `rootfs`/`image`). */
  readonly scanKinds: readonly ScanKind[];
  /** Largest file it will read; bigger files are skipped with a debug log. */
  readonly maxFileSize?: number;
  /**
   * Each file stands alone (a binary, a jar, one package's metadata): the scan may analyze it as
   * soon as it is read and drop its bytes, so a layer full of executables never sits in memory.
   */
  readonly independentFiles?: boolean;
  required(path: string, info: FileInfo): boolean;
  analyze(files: CollectedFiles, context: AnalyzerContext): Promise<AnalysisResult>;
}
