import { describeError } from '../../errors/index.ts';
import type { AnalysisResult, Analyzer, AnalyzerContext, Application, CollectedFiles, ScanKind } from '../types.ts';
import { buildApplication, type ParsedPackages } from './application.ts';

/** Kinds of scan per Trivy's analyzer groups: lock files in `fs`, installed metadata in images. */
export const LOCK_FILE_SCANS: readonly ScanKind[] = ['fs'];
export const INSTALLED_SCANS: readonly ScanKind[] = ['rootfs', 'image'];
export const EVERY_SCAN: readonly ScanKind[] = ['fs', 'rootfs', 'image'];

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** `a/b` + `c` → `a/b/c`; the scan root is the empty string. */
export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** Whether one of the path's directories (or the file) is named `segment`. */
export function hasPathSegment(path: string, segment: string): boolean {
  return path.split('/').includes(segment);
}

/** Reads a collected file as UTF-8 text. */
export async function readText(files: CollectedFiles, path: string): Promise<string> {
  return (await files.read(path)).toString('utf8');
}

/** The warning for a file that could not be read: the scan goes on without its packages. */
export function parseWarning(path: string, error: unknown): string {
  return `${path}: skipped, unable to parse: ${describeError(error)}`;
}

/** Packs applications and warnings into an AnalysisResult, leaving out what is empty. */
export function analysisResult(applications: readonly Application[], warnings: readonly string[]): AnalysisResult {
  const result: AnalysisResult = {};
  if (applications.length > 0) result.Applications = [...applications];
  if (warnings.length > 0) result.Warnings = [...warnings];
  return result;
}

export interface LockFileAnalyzerSpec {
  type: string;
  /** The application type when it differs from the analyzer type (`conan-lock` → `conan`). */
  appType?: string;
  version: number;
  scanKinds: readonly ScanKind[];
  required(path: string): boolean;
  /** Which of the required files are parsed; the others only serve `enrich` (default: all of them). */
  parses?(path: string): boolean;
  /** Bytes to text; UTF-8 unless the format says otherwise. */
  decode?(bytes: Buffer): string;
  parse(text: string, path: string): ParsedPackages;
  /**
   * Adds what other files tell about the parsed packages (installed licences, the manifest's
   * direct dependencies); a throw skips the file as a parse error does.
   */
  enrich?(parsed: ParsedPackages, source: LockFileSource): Promise<ParsedPackages>;
  /**
   * Installed trees hold many such files: the files that cannot be read are counted in one
   * warning that names the first, instead of one warning each (`package.json file(s)`).
   */
  summarizeWarningsAs?: string;
}

/** The lock file being enriched, the files the analyzer collected, and the warnings it gives. */
export interface LockFileSource {
  path: string;
  files: CollectedFiles;
  /** The collected paths, for lookups. */
  available: ReadonlySet<string>;
  warnings: string[];
}

/** An analyzer for formats where one file is one application, perhaps enriched from files beside it. */
export function lockFileAnalyzer(spec: LockFileAnalyzerSpec): Analyzer {
  const appType = spec.appType ?? spec.type;
  return {
    type: spec.type,
    version: spec.version,
    scanKinds: spec.scanKinds,
    required: (path) => spec.required(path),
    analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
      const applications: Application[] = [];
      const warnings: string[] = [];
      const available = new Set(files.paths());
      for (const path of [...available].sort()) {
        if (spec.parses && !spec.parses(path)) continue;
        try {
          const bytes = await files.read(path);
          const text = spec.decode ? spec.decode(bytes) : bytes.toString('utf8');
          let parsed = spec.parse(text, path);
          if (spec.enrich) parsed = await spec.enrich(parsed, { path, files, available, warnings });
          const app = buildApplication(appType, path, parsed, context);
          if (app) applications.push(app);
        } catch (error) {
          warnings.push(parseWarning(path, error));
        }
      }
      if (spec.summarizeWarningsAs === undefined || warnings.length === 0) {
        return analysisResult(applications, warnings);
      }
      const summary = `${warnings.length} ${spec.summarizeWarningsAs} could not be read; first: ${warnings[0]}`;
      return analysisResult(applications, [summary]);
    },
  };
}

/**
 * An `enrich` step from the manifest `name` beside the lock file (Cargo.toml, pyproject.toml,
 * composer.json, …), when it was collected. A manifest that cannot be read costs only what it
 * would add: the packages stay as parsed, with a warning.
 */
export function fromManifestBeside(
  name: string,
  apply: (
    parsed: ParsedPackages,
    manifest: string,
    source: LockFileSource & { manifestPath: string },
  ) => Promise<ParsedPackages> | ParsedPackages,
): (parsed: ParsedPackages, source: LockFileSource) => Promise<ParsedPackages> {
  return async (parsed, source) => {
    const manifestPath = joinPath(dirName(source.path), name);
    if (!source.available.has(manifestPath)) return parsed;
    try {
      return await apply(parsed, await readText(source.files, manifestPath), { ...source, manifestPath });
    } catch (error) {
      source.warnings.push(`${manifestPath}: direct dependencies not identified: ${String(error)}`);
      return parsed;
    }
  };
}
