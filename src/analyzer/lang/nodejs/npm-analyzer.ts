import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';
import {
  analysisResult,
  baseName,
  dirName,
  hasPathSegment,
  LOCK_FILE_SCANS,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { installedLicenses, isNodeModulesLicenseSource } from './installed-licenses.ts';
import { parsePackageLock } from './package-lock.ts';

const LOCK_FILE = 'package-lock.json';

/**
 * package-lock.json in `fs` scans, with licences from the `node_modules` tree next to it when
 * it was installed. Lock files inside `node_modules` are copies shipped by packages: skipped.
 */
export const npmAnalyzer: Analyzer = {
  type: 'npm',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) =>
    (baseName(path) === LOCK_FILE && !hasPathSegment(path, 'node_modules')) || isNodeModulesLicenseSource(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      if (baseName(path) !== LOCK_FILE || hasPathSegment(path, 'node_modules')) continue;
      try {
        const parsed = parsePackageLock(await readText(files, path));
        const licenses = await installedLicenses(files, dirName(path));
        for (const pkg of parsed.packages) {
          const found = pkg.ID === undefined ? undefined : licenses.get(pkg.ID);
          if (found) pkg.Licenses = found;
        }
        const app = buildApplication('npm', path, parsed, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
