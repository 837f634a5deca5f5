import { describeError } from '../../errors/index.ts';
import { detectExecutableFormat, isExecutableFile } from '../executable/index.ts';
import type { Analyzer, Application, CollectedFiles } from '../types.ts';
import { buildApplication, type ParsedPackages } from './application.ts';
import { analysisResult, INSTALLED_SCANS } from './lock-file-analyzer.ts';

/** Executables above 1 GiB are skipped (the collector logs it), keeping one file's buffer bounded. */
const MAX_EXECUTABLE = 1024 * 1024 * 1024;

export interface BinaryAnalyzerSpec {
  type: string;
  version: number;
  /** What the binaries are, for warnings: "Go binary". */
  label: string;
  parse(data: Buffer): ParsedPackages;
  /** Errors that only mean "not one of ours" (another language, no build data): skipped silently, as in Trivy. */
  isNotApplicable(error: unknown): boolean;
}

/**
 * Packages built into executables in images and root file systems: every executable file (exec
 * bit, or `.exe`) whose magic says ELF, PE or Mach-O is parsed; scripts are never read further.
 * A binary of the right kind whose build data is damaged gives a warning.
 */
export function binaryAnalyzer(spec: BinaryAnalyzerSpec): Analyzer {
  return {
    type: spec.type,
    version: spec.version,
    scanKinds: INSTALLED_SCANS,
    maxFileSize: MAX_EXECUTABLE,
    independentFiles: true,
    required: (path, info) => isExecutableFile(path, info.mode),
    analyze: async (files: CollectedFiles, context) => {
      const applications: Application[] = [];
      const warnings: string[] = [];
      for (const path of [...files.paths()].sort()) {
        const data = await files.read(path);
        if (detectExecutableFormat(data) === undefined) continue;
        try {
          const app = buildApplication(spec.type, path, spec.parse(data), context);
          if (app) applications.push(app);
        } catch (error) {
          if (!spec.isNotApplicable(error)) warnings.push(`${path}: skipped ${spec.label}: ${describeError(error)}`);
        }
      }
      return analysisResult(applications, warnings);
    },
  };
}
