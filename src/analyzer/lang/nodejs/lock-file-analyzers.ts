import type { Analyzer, Package } from '../../types.ts';
import { type ParsedPackages, packageId } from '../application.ts';
import { baseName, dirName, hasPathSegment, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parseBunLock } from './bun-lock.ts';
import { installedLicenses, isNodeModulesLicenseSource } from './installed-licenses.ts';
import { parsePackageLock } from './package-lock.ts';
import { parsePnpmLock } from './pnpm-lock.ts';

interface NodeLockFileSpec {
  type: string;
  version: number;
  lockFile: string;
  parse(text: string): ParsedPackages;
  /** A package's entry in the installed licences, which are keyed by `name@version`. */
  licensesOf(pkg: Package, installed: ReadonlyMap<string, string[]>): string[] | undefined;
}

/**
 * A Node.js lock file in `fs` scans, with licences from the `node_modules` tree installed beside
 * it. Lock files inside `node_modules` are copies shipped by packages: skipped.
 */
function nodeLockFileAnalyzer(spec: NodeLockFileSpec): Analyzer {
  const isLockFile = (path: string) => baseName(path) === spec.lockFile && !hasPathSegment(path, 'node_modules');
  return lockFileAnalyzer({
    type: spec.type,
    version: spec.version,
    scanKinds: LOCK_FILE_SCANS,
    required: (path) => isLockFile(path) || isNodeModulesLicenseSource(path),
    parses: isLockFile,
    parse: (text) => spec.parse(text),
    enrich: async (parsed, { files, path }) => {
      const installed = await installedLicenses(files, dirName(path));
      for (const pkg of parsed.packages) {
        const found = spec.licensesOf(pkg, installed);
        if (found) pkg.Licenses = found;
      }
      return parsed;
    },
  });
}

/** package-lock.json (v1–v3). */
export const npmAnalyzer: Analyzer = nodeLockFileAnalyzer({
  type: 'npm',
  version: 1,
  lockFile: 'package-lock.json',
  parse: parsePackageLock,
  licensesOf: (pkg, installed) => (pkg.ID === undefined ? undefined : installed.get(pkg.ID)),
});

/** pnpm-lock.yaml; its virtual store under node_modules is read for licences too. */
export const pnpmAnalyzer: Analyzer = nodeLockFileAnalyzer({
  type: 'pnpm',
  version: 1,
  lockFile: 'pnpm-lock.yaml',
  parse: parsePnpmLock,
  // v9 IDs carry peer suffixes; installed manifests are known by name and version.
  licensesOf: (pkg, installed) => installed.get(packageId(pkg.Name, pkg.Version)) ?? installed.get(pkg.ID ?? ''),
});

/** bun.lock. */
export const bunAnalyzer: Analyzer = nodeLockFileAnalyzer({
  type: 'bun',
  version: 1,
  lockFile: 'bun.lock',
  parse: parseBunLock,
  licensesOf: (pkg, installed) => installed.get(pkg.ID ?? ''),
});
