import type { Location, Package } from '../../types.ts';
import { compareLocations, type Dependency, type ParsedPackages, packageId, uniquePackages } from '../application.ts';
import { asRecord, asString, asStringMap } from '../document-values.ts';
import { matchGoPath } from '../go-path-match.ts';
import { parseLocatedJson } from '../located-json.ts';
import { packageJsonWorkspaces } from './package-json.ts';
import { packageJsonLicenses } from './package-licenses.ts';

const NODE_MODULES = 'node_modules';

/**
 * package-lock.json (npm lockfile v1, v2 and v3) as Trivy's npm parser reads it: v1 walks the
 * nested `dependencies` tree (no direct/indirect information); v2/v3 read the flat `packages`
 * map, resolve workspace links under `node_modules/`, and mark the root's dependencies direct.
 */
export function parsePackageLock(text: string): ParsedPackages {
  const json = parseLocatedJson(text);
  const lock = asRecord(json.value);
  if (!lock) throw new SyntaxError('package-lock.json is not a JSON object');
  const located = (node: unknown): Location[] => {
    const location = json.locationOf(node);
    return location ? [location] : [];
  };
  const parsed =
    lock.lockfileVersion === 1
      ? parseV1(asRecord(lock.dependencies) ?? {}, new Map(), located)
      : parseV2(asRecord(lock.packages) ?? {}, located);
  return { packages: uniquePackages(parsed.packages), dependencies: uniqueDependencies(parsed.dependencies ?? []) };
}

type Locate = (node: unknown) => Location[];

function parseV1(
  dependencies: Record<string, unknown>,
  inherited: Map<string, string>,
  locate: Locate,
): ParsedPackages {
  // Nested versions take precedence over the ones of enclosing levels.
  const versions = new Map(inherited);
  for (const [name, entry] of Object.entries(dependencies))
    versions.set(name, asString(asRecord(entry)?.version) ?? '');
  const packages: Package[] = [];
  const graph: Dependency[] = [];
  for (const [name, entry] of Object.entries(dependencies)) {
    const dep = asRecord(entry);
    if (!dep) continue;
    const version = asString(dep.version) ?? '';
    const id = packageId(name, version);
    packages.push({
      ID: id,
      Name: name,
      Version: version,
      Dev: dep.dev === true,
      Relationship: 'unknown',
      Locations: locate(dep),
    });
    const nested = asRecord(dep.dependencies);
    const dependsOn: string[] = [];
    for (const required of asStringMap(dep.requires).keys()) {
      const nestedVersion = asString(asRecord(nested?.[required])?.version);
      if (nested && Object.hasOwn(nested, required)) dependsOn.push(packageId(required, nestedVersion ?? ''));
      else if (versions.has(required)) dependsOn.push(packageId(required, versions.get(required) ?? ''));
    }
    if (dependsOn.length > 0) graph.push({ ID: id, DependsOn: dependsOn });
    if (nested) {
      const child = parseV1(nested, versions, locate);
      packages.push(...child.packages);
      graph.push(...(child.dependencies ?? []));
    }
  }
  return { packages, dependencies: graph };
}

interface LockPackage {
  name?: string;
  version: string;
  resolved?: string;
  dev: boolean;
  link: boolean;
  licenses: string[];
  dependsOn: Map<string, string>;
  node: Record<string, unknown>;
}

/** `{name: range}` objects merged, later ones winning, string values only. */
function mergedStringMap(values: readonly unknown[]): Map<string, string> {
  const merged = new Map<string, string>();
  for (const value of values) {
    const record = asRecord(value);
    if (!record) continue;
    for (const key in record) {
      const entry = record[key];
      if (Object.hasOwn(record, key) && typeof entry === 'string') merged.set(key, entry);
    }
  }
  return merged;
}

function readLockPackage(node: Record<string, unknown>): LockPackage {
  return {
    name: asString(node.name),
    version: asString(node.version) ?? '',
    resolved: asString(node.resolved),
    dev: node.dev === true,
    link: node.link === true,
    licenses: packageJsonLicenses(node.license),
    // npm builds its graph from optional and peer dependencies too.
    dependsOn: mergedStringMap([node.dependencies, node.optionalDependencies, node.peerDependencies]),
    node,
  };
}

function parseV2(packagesField: Record<string, unknown>, locate: Locate): ParsedPackages {
  const packages = new Map<string, LockPackage>();
  for (const [path, entry] of Object.entries(packagesField)) {
    const node = asRecord(entry);
    if (node) packages.set(path, readLockPackage(node));
  }
  const rootNode = asRecord(packagesField['']) ?? {};
  const rootDependencies = new Map([
    ...asStringMap(rootNode.dependencies),
    ...asStringMap(rootNode.optionalDependencies),
    ...asStringMap(rootNode.devDependencies),
    ...asStringMap(rootNode.peerDependencies),
  ]);
  resolveLinks(packages, rootDependencies, packageJsonWorkspaces(rootNode.workspaces));

  const directPaths = new Set<string>();
  for (const name of rootDependencies.keys()) {
    const path = `${NODE_MODULES}/${name}`;
    if (packages.has(path)) directPaths.add(path);
  }

  const byId = new Map<string, Package>();
  const graph: Dependency[] = [];
  for (const [path, pkg] of packages) {
    if (!path.startsWith(NODE_MODULES)) continue;
    const name = pkg.name || packageNameFromPath(path);
    const id = packageId(name, pkg.version);
    const direct = directPaths.has(path);
    const saved = byId.get(id);
    if (saved) {
      // The same package installed at several paths: one entry, every location.
      saved.Dev = saved.Dev === true && pkg.dev;
      if (direct) saved.Relationship = 'direct';
      if (!saved.Licenses?.length && pkg.licenses.length > 0) saved.Licenses = pkg.licenses;
      saved.Locations = [...(saved.Locations ?? []), ...locate(pkg.node)].sort(compareLocations);
      continue;
    }
    byId.set(id, {
      ID: id,
      Name: name,
      Version: pkg.version,
      Relationship: direct ? 'direct' : 'indirect',
      Dev: pkg.dev,
      Licenses: pkg.licenses,
      Locations: locate(pkg.node),
    });
    const dependsOn: string[] = [];
    const lookup = lookupDirs(path);
    for (const dependency of pkg.dependsOn.keys()) {
      const found = findInstalled(lookup, dependency, packages);
      if (found !== undefined) dependsOn.push(packageId(dependency, found.version));
    }
    if (dependsOn.length > 0) graph.push({ ID: id, DependsOn: dependsOn });
  }
  return { packages: [...byId.values()], dependencies: graph };
}

/**
 * Workspace packages live outside `node_modules` and are linked in: move each link target (and
 * everything below it) under the link's path, and make workspace members root dependencies.
 */
function resolveLinks(
  packages: Map<string, LockPackage>,
  rootDependencies: Map<string, string>,
  workspaces: readonly string[],
): void {
  const links = new Map<string, LockPackage>();
  for (const [path, pkg] of packages) {
    if (!pkg.link) continue;
    // A link without a target would become a nameless, versionless package.
    if (!pkg.resolved) packages.delete(path);
    else links.set(path, pkg);
  }
  if (links.size === 0) return;
  // Longest target first, so `functions/func10` is not taken for a child of `functions/func1`.
  const ordered = [...links].sort(([, a], [, b]) => (b.resolved?.length ?? 0) - (a.resolved?.length ?? 0));
  for (const [path, pkg] of [...packages]) {
    for (const [linkPath, link] of ordered) {
      const target = link.resolved ?? '';
      if (!path.startsWith(target)) continue;
      const moved = pkg.resolved ? pkg : { ...pkg, resolved: target };
      packages.delete(path);
      packages.set(path.replaceAll(target, linkPath), moved);
      if (workspaces.some((pattern) => matchGoPath(pattern, path))) {
        rootDependencies.set(packageNameFromPath(linkPath), pkg.version);
      }
      break;
    }
  }
}

/** The `node_modules` directories a package resolves from, nearest first (Node's module resolution). */
function lookupDirs(fromPath: string): string[] {
  const parts = `${fromPath}/${NODE_MODULES}`.split('/');
  const dirs: string[] = [];
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    if (parts[i] === NODE_MODULES) dirs.push(parts.slice(0, i + 1).join('/'));
  }
  return dirs;
}

/** The nearest installed `node_modules/<name>` among the package's lookup directories. */
function findInstalled(
  dirs: readonly string[],
  name: string,
  packages: Map<string, LockPackage>,
): LockPackage | undefined {
  for (const dir of dirs) {
    const found = packages.get(`${dir}/${name}`);
    if (found) return found;
  }
  return undefined;
}

/** `node_modules/a/node_modules/@s/b` → `@s/b`; a path without `node_modules` is its own name. */
export function packageNameFromPath(path: string): string {
  const index = path.lastIndexOf(NODE_MODULES);
  if (index === -1) return path;
  return path.slice(index + NODE_MODULES.length + 1);
}

function uniqueDependencies(dependencies: readonly Dependency[]): Dependency[] {
  const seen = new Set<string>();
  const unique: Dependency[] = [];
  for (const dependency of dependencies) {
    const dependsOn = [...dependency.DependsOn].sort();
    const key = `${dependency.ID}:${dependsOn.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push({ ID: dependency.ID, DependsOn: dependsOn });
  }
  return unique;
}
