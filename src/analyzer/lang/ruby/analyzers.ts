import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';
import {
  analysisResult,
  baseName,
  INSTALLED_SCANS,
  LOCK_FILE_SCANS,
  lockFileAnalyzer,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { parseGemfileLock } from './gemfile-lock.ts';
import { parseGemspec } from './gemspec.ts';

export const bundlerAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'bundler',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'Gemfile.lock',
  parse: (text) => parseGemfileLock(text),
});

const SPECIFICATION = /.*\/specifications\/.+\.gemspec/;

/** Installed gems (RubyGems' `specifications/*.gemspec`) in `rootfs` and `image` scans. */
export const gemspecAnalyzer: Analyzer = {
  type: 'gemspec',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => SPECIFICATION.test(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      try {
        const pkg = { ...parseGemspec(await readText(files, path)), FilePath: path };
        const app = buildApplication('gemspec', path, { packages: [pkg] }, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
