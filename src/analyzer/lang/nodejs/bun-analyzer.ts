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
import { parseBunLock } from './bun-lock.ts';
import { installedLicenses, isNodeModulesLicenseSource } from './installed-licenses.ts';

const LOCK_FILE = 'bun.lock';

const isLockFile = (path: string) => baseName(path) === LOCK_FILE && !hasPathSegment(path, 'node_modules');

/** bun.lock in `fs` scans, with licences from the installed `node_modules` beside it. */
export const bunAnalyzer: Analyzer = {
  type: 'bun',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => isLockFile(path) || isNodeModulesLicenseSource(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      if (!isLockFile(path)) continue;
      try {
        const parsed = parseBunLock(await readText(files, path));
        const licenses = await installedLicenses(files, dirName(path));
        for (const pkg of parsed.packages) {
          const found = licenses.get(pkg.ID ?? '');
          if (found) pkg.Licenses = found;
        }
        const app = buildApplication('bun', path, parsed, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
