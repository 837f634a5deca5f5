import { versionScheme } from '../../../version/index.ts';
import type { Package } from '../../types.ts';
import { comparePackages, type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asRecord, asString, asStringMap } from '../document-values.ts';
import { parseYamlTextDocuments } from '../yaml-document.ts';

/** SemVer 2.0.0 exactly, as aquasecurity/go-version's `semver.Parse` (Trivy's check) accepts it. */
const STRICT_SEMVER = versionScheme('semver');

/**
 * pnpm-lock.yaml as Trivy's pnpm parser reads it. v5/v6: the `packages` map, dev packages left
 * out, direct = listed in the top-level `dependencies`. v9: one package per `snapshots` entry
 * (its key, peers included, is the ID), direct and dev from the `importers`, production status
 * spread down the graph. Scalars are read as text (YAML failsafe), as Go decodes them into strings.
 */

const cut = (text: string, separator: string): [string, string] => {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
};

/** Drops the peer-dependency suffix: `_…` before v6, `(…)` from v6. */
function trimPeers(version: string, lockVersion: number): string {
  return cut(version, lockVersion < 6 ? '_' : '(')[0];
}

export interface PnpmKey {
  name: string;
  version: string;
}

/**
 * `REGISTRY-HOST/@babel/generator/7.21.9` or `/lodash/4.17.10` (v5), `/lodash@4.17.10` (v6),
 * `debug@4.3.4(…)` (v9). Before v9 the part up to the first `/` names the registry (empty for the
 * default one); no report field uses it, so it is dropped.
 */
export function parsePnpmKey(key: string, lockVersion: number): PnpmKey {
  let path = key;
  if (lockVersion < 9) path = cut(key, '/')[1];
  let scope = '';
  if (path.startsWith('@')) [scope, path] = cut(path, '/');
  let [name, version] = cut(path, lockVersion < 6 ? '/' : '@');
  if (scope !== '') name = `${scope}/${name}`;
  version = trimPeers(version, lockVersion);
  return { name, version };
}

/** Local paths and URLs are not versions; neither is anything that is not strict SemVer. */
export function parsePnpmVersion(version: string, lockVersion: number): string {
  if (lockVersion < 9 && (version.startsWith('file:') || version.startsWith('http'))) return '';
  return STRICT_SEMVER.isValid(version) ? version : '';
}

function lockfileVersion(value: unknown): number {
  if (typeof value !== 'string' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return -1;
  return Number(value);
}

const isTrue = (value: unknown) => value === 'true' || value === 'True' || value === 'TRUE';

export function parsePnpmLock(text: string): ParsedPackages {
  let documents: unknown[];
  try {
    documents = parseYamlTextDocuments(text);
  } catch (error) {
    throw new SyntaxError(`decode error: ${(error as Error).message}`);
  }
  // pnpm 11 writes its own environment lock as a first document; the project's comes last.
  const lock = asRecord(documents.at(-1)) ?? {};
  const version = lockfileVersion(lock.lockfileVersion);
  if (version < 0) return { packages: [], dependencies: [] };
  const parsed = version >= 9 ? parseV9(lock) : parseV5(lock, version);
  return { packages: parsed.packages.sort(comparePackages), dependencies: parsed.dependencies };
}

function parseV5(lock: Record<string, unknown>, lockVersion: number): ParsedPackages {
  const direct = asRecord(lock.dependencies) ?? {};
  const packages: Package[] = [];
  const dependencies: Dependency[] = [];
  for (const [key, entry] of Object.entries(asRecord(lock.packages) ?? {})) {
    const info = asRecord(entry) ?? {};
    if (isTrue(info.dev)) continue;
    let name = asString(info.name) ?? '';
    let version = asString(info.version) ?? '';
    if (name === '') {
      const parsed = parsePnpmKey(key, lockVersion);
      name = parsed.name;
      version = parsePnpmVersion(parsed.version, lockVersion);
    }
    const id = packageId(name, version);
    packages.push({
      ID: id,
      Name: name,
      Version: version,
      Relationship: Object.hasOwn(direct, name) ? 'direct' : 'indirect',
    });
    const dependsOn = [...asStringMap(info.dependencies)].map(([depName, depVersion]) =>
      packageId(depName, depVersion),
    );
    if (dependsOn.length > 0) dependencies.push({ ID: id, DependsOn: dependsOn.sort() });
  }
  return { packages, dependencies };
}

interface ImporterVersions {
  production: Map<string, Set<string>>;
  development: Map<string, Set<string>>;
}

/** Direct dependency versions across every importer (workspace project), by name. */
function importerVersions(lock: Record<string, unknown>): ImporterVersions {
  const production = new Map<string, Set<string>>();
  const development = new Map<string, Set<string>>();
  const add = (into: Map<string, Set<string>>, section: unknown) => {
    for (const [name, spec] of Object.entries(asRecord(section) ?? {})) {
      const version = asString(asRecord(spec)?.version);
      if (version === undefined) continue;
      const versions = into.get(name) ?? new Set<string>();
      versions.add(trimPeers(version, 9));
      into.set(name, versions);
    }
  };
  for (const importer of Object.values(asRecord(lock.importers) ?? {})) {
    add(development, asRecord(importer)?.devDependencies);
    add(production, asRecord(importer)?.dependencies);
  }
  return { production, development };
}

function parseV9(lock: Record<string, unknown>): ParsedPackages {
  const direct = importerVersions(lock);
  const installed = asRecord(lock.packages) ?? {};
  const byKey = new Map<string, Package>();
  const graph = new Map<string, string[]>();
  for (const [key, entry] of Object.entries(asRecord(lock.snapshots) ?? {})) {
    const snapshot = asRecord(entry) ?? {};
    const { name, version } = parsePnpmKey(key, 9);
    let parsedVersion = parsePnpmVersion(version, 9);
    // Git and tarball installs carry their real version in `packages`.
    const info = asRecord(installed[packageId(name, version)]);
    const infoVersion = Object.hasOwn(installed, packageId(name, version)) ? asString(info?.version) : undefined;
    if (infoVersion) parsedVersion = infoVersion;
    let relationship: 'direct' | 'indirect' = 'indirect';
    let dev = true;
    if (direct.development.get(name)?.has(version)) relationship = 'direct';
    if (direct.production.get(name)?.has(version)) {
      relationship = 'direct';
      dev = false;
    }
    byKey.set(key, { ID: key, Name: name, Version: parsedVersion, Relationship: relationship, Dev: dev });
    const dependsOn: string[] = [];
    const edges = new Map([...asStringMap(snapshot.optionalDependencies), ...asStringMap(snapshot.dependencies)]);
    for (const [depName, depVersion] of edges) {
      // Only dependencies that are installed (present in `packages`) are edges.
      if (Object.hasOwn(installed, packageId(depName, trimPeers(depVersion, 9)))) {
        dependsOn.push(packageId(depName, depVersion));
      }
    }
    if (dependsOn.length > 0) graph.set(key, dependsOn);
  }
  // Whatever a production package needs is production too.
  const visited = new Set<string>();
  const stack = [...byKey.values()].filter((pkg) => !pkg.Dev).map((pkg) => pkg.ID ?? '');
  while (stack.length > 0) {
    const key = stack.pop() as string;
    if (visited.has(key)) continue;
    const pkg = byKey.get(key);
    if (!pkg) continue;
    pkg.Dev = false;
    visited.add(key);
    stack.push(...(graph.get(key) ?? []));
  }
  const dependencies = [...graph].map(([ID, DependsOn]) => ({ ID, DependsOn: DependsOn.sort() }));
  return { packages: [...byKey.values()], dependencies };
}
