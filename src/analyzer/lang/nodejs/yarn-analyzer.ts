import { DEFAULT_ZIP_LIMITS, ZipArchive } from '../../../archive/zip/index.ts';
import type { Analyzer, AnalyzerContext, Application, CollectedFiles, Package } from '../../types.ts';
import { buildApplication } from '../application.ts';
import { isLicenseFileName } from '../license-text.ts';
import {
  analysisResult,
  baseName,
  dirName,
  joinPath,
  LOCK_FILE_SCANS,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { installedLicenses, licensesUnder, type PackageFiles } from './installed-licenses.ts';
import { resolveYarnDependencies } from './yarn-dependencies.ts';
import { parseYarnLock } from './yarn-lock.ts';

const LOCK_FILE = 'yarn.lock';
/** Yarn's cache zips hold one package each: far fewer entries than a jar may. */
const YARN_CACHE_ZIP_LIMITS = { ...DEFAULT_ZIP_LIMITS, maxEntries: 100_000 };

function isYarnCacheZip(path: string): boolean {
  const dirs = dirName(path).split('/');
  return dirs.at(-2) === '.yarn' && dirs.at(-1) === 'cache' && path.endsWith('.zip');
}

function isInstalledTree(path: string): boolean {
  const dirs = dirName(path).split('/');
  return dirs.includes('node_modules') || dirs.includes('.yarn');
}

/**
 * yarn.lock in `fs` scans, with the package.json beside it (root, workspaces, direct and dev
 * dependencies) and licences from `node_modules` (classic and node-modules linker) or from
 * `.yarn/unplugged` and the `.yarn/cache` zips (Plug'n'Play).
 */
export const yarnAnalyzer: Analyzer = {
  type: 'yarn',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => {
    const name = baseName(path);
    if (name === LOCK_FILE) return !isInstalledTree(path);
    if (name === 'package.json') return true;
    if (isLicenseFileName(name)) return isInstalledTree(path);
    return isYarnCacheZip(path);
  },
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      if (baseName(path) !== LOCK_FILE || isInstalledTree(path)) continue;
      try {
        const lock = parseYarnLock(await readText(files, path));
        warnings.push(...lock.warnings.map((warning) => `${path}: ${warning}`));
        if (lock.packages.length === 0) continue;
        const graph = new Map(lock.dependencies.map((dependency) => [dependency.ID, dependency.DependsOn]));
        const packages = new Map<string, Package>();
        for (const pkg of lock.packages) {
          const dependsOn = graph.get(pkg.ID ?? '');
          packages.set(pkg.ID ?? '', dependsOn ? { ...pkg, DependsOn: dependsOn } : pkg);
        }
        const dir = dirName(path);
        const licenses = await yarnLicenses(files, dir, warnings);
        try {
          await resolveYarnDependencies(files, dir, packages, lock.patterns);
        } catch (error) {
          warnings.push(`${joinPath(dir, 'package.json')}: direct and dev dependencies not resolved: ${String(error)}`);
        }
        const list = [...packages.values()].map((pkg) => {
          const found = licenses.get(pkg.ID ?? '');
          return found ? { ...pkg, Licenses: found } : pkg;
        });
        const app = buildApplication('yarn', path, { packages: list }, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};

/** Classic installs first (`node_modules`), else Plug'n'Play's unplugged packages and cache zips. */
async function yarnLicenses(files: CollectedFiles, dir: string, warnings: string[]): Promise<Map<string, string[]>> {
  const nodeModules = `${joinPath(dir, 'node_modules')}/`;
  if (files.paths().some((path) => path.startsWith(nodeModules))) return installedLicenses(files, dir);
  const licenses = await licensesUnder(files, `${joinPath(dir, '.yarn/unplugged')}/`);
  const cache = `${joinPath(dir, '.yarn/cache')}/`;
  for (const path of files.paths()) {
    if (!path.startsWith(cache) || !isYarnCacheZip(path)) continue;
    try {
      const zip = new ZipArchive(await files.read(path), YARN_CACHE_ZIP_LIMITS);
      for (const [id, found] of await licensesUnder(zipFiles(zip), 'node_modules/')) licenses.set(id, found);
    } catch (error) {
      warnings.push(parseWarning(path, error));
    }
  }
  return licenses;
}

/** The members of a zip archive as package files (directories left out). */
function zipFiles(zip: ZipArchive): PackageFiles {
  const members = new Map(zip.entries.filter((entry) => entry.kind !== 'directory').map((e) => [e.name, e]));
  return {
    paths: () => [...members.keys()],
    read: async (path) => {
      const member = members.get(path);
      if (!member) throw new Error(`${path} is not in the archive`);
      return zip.read(member, 4 * 1024 * 1024);
    },
  };
}
