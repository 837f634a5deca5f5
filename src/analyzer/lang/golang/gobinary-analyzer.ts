import { describeError, isVigilError } from '../../../errors/index.ts';
import { detectExecutableFormat, isExecutableFile } from '../../executable/index.ts';
import type { AnalysisResult, Analyzer, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';

/** Executables above 1 GiB are skipped (the collector logs it), keeping one file's buffer bounded. */
const MAX_EXECUTABLE = 1024 * 1024 * 1024;

import { parseGoBinary } from './binary-parser.ts';

/** Trivy's application type for Go binaries. */
export const GO_BINARY = 'gobinary';

/** Trivy's two silent outcomes: not an executable it can read, or no Go build info. */
function isNotGoBinary(error: unknown): boolean {
  return isVigilError(error) && (error.code === 'GO_UNRECOGNIZED_EXE' || error.code === 'GO_NOT_GO_BINARY');
}

/**
 * Go binaries in images and root file systems: every executable file (exec bit, or `.exe`)
 * whose magic says ELF, PE or Mach-O. Scripts and non-Go binaries are skipped silently, as in
 * Trivy; a Go binary whose build info is damaged gives a warning.
 */
export const goBinaryAnalyzer: Analyzer = {
  type: GO_BINARY,
  version: 1,
  scanKinds: ['rootfs', 'image'],
  maxFileSize: MAX_EXECUTABLE,
  independentFiles: true,
  required: (path, info) => isExecutableFile(path, info.mode),
  analyze: async (files: CollectedFiles, context): Promise<AnalysisResult> => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      const data = await files.read(path);
      if (detectExecutableFormat(data) === undefined) continue;
      let parsed: ReturnType<typeof parseGoBinary>;
      try {
        parsed = parseGoBinary(data);
      } catch (error) {
        if (!isNotGoBinary(error)) warnings.push(`${path}: skipped Go binary: ${describeError(error)}`);
        continue;
      }
      const app = buildApplication(GO_BINARY, path, parsed, context);
      if (app) applications.push(app);
    }
    const result: AnalysisResult = {};
    if (applications.length > 0) result.Applications = applications;
    if (warnings.length > 0) result.Warnings = warnings;
    return result;
  },
};
