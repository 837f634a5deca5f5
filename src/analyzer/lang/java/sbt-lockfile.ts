import type { Package } from '../../types.ts';
import { packageId, uniquePackages } from '../application.ts';
import { parseLocatedJson } from '../located-json.ts';
import { lockFileAnalyzer } from '../lock-file-analyzer.ts';

/** Trivy's application type for sbt lock files. */
export const SBT = 'sbt';

/** sbt-dependency-lock's `build.sbt.lock`: dependencies of the compile or runtime configurations. */
export function parseSbtLockfile(text: string): Package[] {
  const json = parseLocatedJson(text);
  const root = json.value as { dependencies?: unknown };
  if (typeof root !== 'object' || root === null) throw new SyntaxError('sbt lock file is not a JSON object');
  const dependencies = Array.isArray(root.dependencies) ? root.dependencies : [];
  const packages: Package[] = [];
  for (const entry of dependencies) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { org, name, version, configurations } = entry as Record<string, unknown>;
    const configs = Array.isArray(configurations) ? configurations : [];
    if (!configs.some((config) => config === 'compile' || config === 'runtime')) continue;
    const fullName = `${typeof org === 'string' ? org : ''}:${typeof name === 'string' ? name : ''}`;
    const pkgVersion = typeof version === 'string' ? version : '';
    const location = json.locationOf(entry);
    packages.push({
      ID: packageId(fullName, pkgVersion, ':'),
      Name: fullName,
      Version: pkgVersion,
      Locations: location ? [location] : undefined,
    });
  }
  return uniquePackages(packages);
}

export const sbtLockAnalyzer = lockFileAnalyzer({
  type: 'sbt-lockfile',
  appType: SBT,
  version: 1,
  scanKinds: ['fs'],
  required: (path) => path === 'build.sbt.lock' || path.endsWith('/build.sbt.lock'),
  parse: (text) => ({ packages: parseSbtLockfile(text) }),
});
