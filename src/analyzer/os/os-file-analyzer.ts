import type { AnalysisResult, Analyzer, CollectedFiles, OS, Repository } from '../types.ts';
import { mergeOs } from './merge.ts';
import { isUnrecognizedOs } from './unrecognized.ts';

/** What one OS analyzer reads and how it turns one file's text into an OS or repository. */
export interface OsFileSpec {
  readonly type: string;
  readonly version: number;
  /** Exact paths, in order of preference when several are present. */
  readonly paths: readonly string[];
  parse(text: string): { OS?: OS; Repository?: Repository } | undefined;
}

/** OS files are a few hundred bytes; anything near this size is not one. */
const MAX_OS_FILE_SIZE = 1024 * 1024;

/** An analyzer over small text files; a file that names no known OS is skipped, as Trivy does. */
export function osFileAnalyzer(spec: OsFileSpec): Analyzer {
  return {
    type: spec.type,
    version: spec.version,
    scanKinds: ['rootfs', 'image'],
    maxFileSize: MAX_OS_FILE_SIZE,
    required: (path) => spec.paths.includes(path),
    analyze: async (files: CollectedFiles) => {
      const present = new Set(files.paths());
      const result: AnalysisResult = {};
      for (const path of spec.paths) {
        if (!present.has(path)) continue;
        const text = (await files.read(path)).toString('utf8');
        let found: ReturnType<OsFileSpec['parse']>;
        try {
          found = spec.parse(text);
        } catch (error) {
          if (isUnrecognizedOs(error)) continue;
          throw error;
        }
        if (found?.OS) result.OS = mergeOs(result.OS, found.OS);
        if (found?.Repository && !result.Repository) result.Repository = found.Repository;
      }
      if (!result.OS) delete result.OS;
      return result;
    },
  };
}
