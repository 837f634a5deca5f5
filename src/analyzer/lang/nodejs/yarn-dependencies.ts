import semver from 'semver';
import type { CollectedFiles, Package } from '../../types.ts';
import { packageId } from '../application.ts';
import { matchGoPath } from '../go-path-match.ts';
import { hasPathSegment, joinPath } from '../lock-file-analyzer.ts';
import { type PackageJson, parsePackageJson } from './package-json.ts';

/** `npm:<name>@<range>` and other `<protocol>:<name>@<range>` aliases in package.json (Yarn's grammar). */
const ALIAS = /(\S+):(@?.*?)(@(.*?)|)$/;

interface Manifest {
  json: PackageJson;
  pkg: Package;
}

/**
 * Uses the package.json next to yarn.lock to add the root package and the workspace packages,
 * mark direct and indirect dependencies, and flag development-only ones, as Trivy's yarn
 * analyzer does. `packages` (by ID) is updated in place; without a package.json nothing changes.
 * Throws when a manifest cannot be read or a range cannot be matched: the caller keeps the
 * lock file's packages as they were.
 */
export async function resolveYarnDependencies(
  files: CollectedFiles,
  dir: string,
  packages: Map<string, Package>,
  patterns: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const rootPath = joinPath(dir, 'package.json');
  if (!files.paths().includes(rootPath)) return;
  const root = await readManifest(files, rootPath, 'root');
  const workspaces = await readWorkspaces(files, dir, root.json.workspaces);
  root.pkg.DependsOn = workspaces.map((workspace) => workspace.pkg.ID ?? '');
  for (const manifest of [root, ...workspaces]) {
    // Development dependencies first, so production ones win where a package is both.
    walkDirect(manifest.pkg, packages, manifest.json.devDependencies, patterns, true);
    const production = new Map([...manifest.json.dependencies, ...manifest.json.optionalDependencies]);
    walkDirect(manifest.pkg, packages, production, patterns, false);
    manifest.pkg.DependsOn = [...(manifest.pkg.DependsOn ?? [])].sort();
    packages.set(manifest.pkg.ID ?? '', manifest.pkg);
  }
}

async function readManifest(
  files: CollectedFiles,
  path: string,
  relationship: 'root' | 'workspace',
): Promise<Manifest> {
  const json = parsePackageJson((await files.read(path)).toString('utf8'));
  // A manifest without name or version is known by its path.
  const pkg: Package = {
    ID: json.id || path,
    Name: json.name,
    Version: json.version,
    Licenses: json.licenses,
    Relationship: relationship,
    DependsOn: [],
  };
  return { json, pkg };
}

/**
 * Workspace manifests: package.json files at or below the paths each workspace glob matches
 * (Go `fs.Glob`, so `**` is one path segment), in glob order. Installed trees inside workspaces
 * are not workspaces.
 */
async function readWorkspaces(files: CollectedFiles, dir: string, globs: readonly string[]): Promise<Manifest[]> {
  const candidates = files
    .paths()
    .filter((path) => path.endsWith('/package.json') && !hasPathSegment(path, 'node_modules'))
    .sort();
  const seen = new Set<string>();
  const manifests: Manifest[] = [];
  for (const glob of globs) {
    const pattern = cleanPath(joinPath(dir, glob));
    const depth = pattern.split('/').length;
    for (const path of candidates) {
      if (seen.has(path)) continue;
      const segments = path.split('/');
      if (segments.length < depth) continue;
      if (!matchGoPath(pattern, segments.slice(0, depth).join('/'))) continue;
      seen.add(path);
      manifests.push(await readManifest(files, path, 'workspace'));
    }
  }
  return manifests;
}

/** Go's path.Clean for the relative paths workspace globs produce (`./a/../b/` → `b`). */
function cleanPath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out.at(-1) !== '..') out.pop();
    else out.push(segment);
  }
  return out.join('/') || '.';
}

function rangeMatches(version: string, range: string): boolean {
  if (semver.valid(version) === null) throw new Error(`invalid version ${version}`);
  if (semver.validRange(range) === null) throw new Error(`invalid range ${range}`);
  return semver.satisfies(version, range);
}

/** Marks the manifest's direct dependencies found in the lock file, then everything they pull in. */
function walkDirect(
  parent: Package,
  packages: Map<string, Package>,
  direct: ReadonlyMap<string, string>,
  patterns: ReadonlyMap<string, readonly string[]>,
  dev: boolean,
): void {
  const seen = new Set<string>();
  for (const id of [...packages.keys()]) {
    const pkg = packages.get(id) as Package;
    let range = direct.get(pkg.Name);
    if (range === undefined) continue;
    let name = pkg.Name;
    const alias = ALIAS.exec(range);
    if (alias) {
      name = alias[2] ?? '';
      range = alias[4] ?? '';
    }
    // Patterns match exactly in most lock files; Berry writes resolved ranges, so compare versions.
    const exact = patterns.get(id)?.includes(packageId(name, range)) ?? false;
    if (!exact && !rangeMatches(pkg.Version, range)) continue;
    const updated: Package = { ...pkg, Name: name, Relationship: 'direct', Indirect: false };
    if (isUnclassified(pkg) || pkg.Dev) updated.Dev = dev;
    packages.set(id, updated);
    seen.add(id);
    parent.DependsOn?.push(id);
    walkIndirect(updated, packages, seen);
  }
}

const isUnclassified = (pkg: Package) => pkg.Relationship === undefined || pkg.Relationship === 'unknown';

/** Depth-first over DependsOn, in order, as the recursive walk in Trivy (iterative here). */
function walkIndirect(start: Package, packages: Map<string, Package>, seen: Set<string>): void {
  const stack: { pkg: Package; next: number }[] = [{ pkg: start, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { pkg: Package; next: number };
    const dependsOn = top.pkg.DependsOn ?? [];
    if (top.next >= dependsOn.length) {
      stack.pop();
      continue;
    }
    const id = dependsOn[top.next] as string;
    top.next += 1;
    if (seen.has(id)) continue;
    const dep = packages.get(id);
    if (!dep) continue;
    const updated: Package = { ...dep, Relationship: 'indirect', Indirect: true };
    if (isUnclassified(dep) || dep.Dev) updated.Dev = top.pkg.Dev;
    packages.set(id, updated);
    seen.add(id);
    stack.push({ pkg: updated, next: 0 });
  }
}
