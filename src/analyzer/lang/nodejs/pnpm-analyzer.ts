import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication, packageId } from '../application.ts';
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
import { parsePnpmLock } from './pnpm-lock.ts';

const LOCK_FILE = 'pnpm-lock.yaml';

const isLockFile = (path: string) => baseName(path) === LOCK_FILE && !hasPathSegment(path, 'node_modules');

/** pnpm-lock.yaml in `fs` scans, with licences from the installed `node_modules` (virtual store included). */
export const pnpmAnalyzer: Analyzer = {
  type: 'pnpm',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => isLockFile(path) || isNodeModulesLicenseSource(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      if (!isLockFile(path)) continue;
      try {
        const parsed = parsePnpmLock(await readText(files, path));
        const licenses = await installedLicenses(files, dirName(path));
        for (const pkg of parsed.packages) {
          // v9 IDs carry peer suffixes; installed manifests are known by name and version.
          const found = licenses.get(packageId(pkg.Name, pkg.Version)) ?? licenses.get(pkg.ID ?? '');
          if (found) pkg.Licenses = found;
        }
        const app = buildApplication('pnpm', path, parsed, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
