import { describeError, isVigilError } from '../../../errors/index.ts';
import { detectExecutableFormat, isExecutableFile } from '../../executable/index.ts';
import type { AnalysisResult, Analyzer, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';

/** Executables above 1 GiB are skipped (the collector logs it), keeping one file's buffer bounded. */
const MAX_EXECUTABLE = 1024 * 1024 * 1024;

import { parseRustBinary } from './rust-binary-parser.ts';

/** Trivy's application type for Rust binaries built with cargo-auditable. */
export const RUST_BINARY = 'rustbinary';

function isNotAuditable(error: unknown): boolean {
  return isVigilError(error) && (error.code === 'RUST_UNRECOGNIZED_EXE' || error.code === 'RUST_NOT_AUDITABLE');
}

/**
 * cargo-auditable binaries in images and root file systems: executable files with ELF, PE or
 * Mach-O magic. Binaries without audit data are skipped silently; damaged audit data warns.
 */
export const rustBinaryAnalyzer: Analyzer = {
  type: RUST_BINARY,
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
      try {
        const app = buildApplication(RUST_BINARY, path, parseRustBinary(data), context);
        if (app) applications.push(app);
      } catch (error) {
        if (!isNotAuditable(error)) warnings.push(`${path}: skipped Rust binary: ${describeError(error)}`);
      }
    }
    const result: AnalysisResult = {};
    if (applications.length > 0) result.Applications = applications;
    if (warnings.length > 0) result.Warnings = warnings;
    return result;
  },
};
