import { parse } from 'smol-toml';
import type { Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';
import { normalizePythonName } from './package-names.ts';
import { satisfiesPep440 } from './version-specifiers.ts';

/**
 * poetry.lock (v1 `category`, v2 `groups`): every package, dev when it is not in the main
 * group; dependency edges resolved by matching each range against the locked versions of that
 * name (dev-category packages of v1 locks are not edge targets, as in Trivy).
 */
export function parsePoetryLock(text: string): ParsedPackages {
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`failed to decode poetry.lock: ${(error as Error).message.split('\n')[0]}`);
  }
  const entries = (asArray(document.package) ?? []).map((entry) => asRecord(entry) ?? {});
  const versions = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry.category === 'dev') continue;
    const name = asString(entry.name) ?? '';
    versions.set(name, [...(versions.get(name) ?? []), asString(entry.version) ?? '']);
  }
  const packages: Package[] = [];
  const dependencies: Dependency[] = [];
  for (const entry of entries) {
    const name = asString(entry.name) ?? '';
    const version = asString(entry.version) ?? '';
    const id = packageId(name, version);
    const groups = asArray(entry.groups);
    const dev = groups ? !groups.includes('main') : entry.category === 'dev';
    packages.push({ ID: id, Name: name, Version: version, Dev: dev });
    const dependsOn: string[] = [];
    for (const [depName, range] of Object.entries(asRecord(entry.dependencies) ?? {})) {
      const resolved = resolveDependency(depName, range, versions);
      if (resolved) dependsOn.push(resolved);
    }
    if (dependsOn.length > 0) dependencies.push({ ID: id, DependsOn: dependsOn.sort() });
  }
  return { packages, dependencies };
}

/** The locked `name@version` a dependency range selects; undefined when none does or it cannot be read. */
function resolveDependency(name: string, range: unknown, versions: Map<string, string[]>): string | undefined {
  const normalized = normalizePythonName(name);
  const specifier = typeof range === 'string' ? range : (asString(asRecord(range)?.version) ?? '');
  for (const version of versions.get(normalized) ?? []) {
    try {
      if (satisfiesPep440(version, specifier)) return packageId(normalized, version);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
