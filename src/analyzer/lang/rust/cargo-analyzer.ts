import type { Analyzer, CollectedFiles, Package } from '../../types.ts';
import type { ParsedPackages } from '../application.ts';
import { matchGoPath } from '../go-path-match.ts';
import {
  baseName,
  dirName,
  EVERY_SCAN,
  fromManifestBeside,
  joinPath,
  type LockFileSource,
  lockFileAnalyzer,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { parseCargoLock } from './cargo-lock.ts';
import { type CargoManifest, declaredDependencies, parseCargoManifest } from './cargo-manifest.ts';
import { satisfiesCargoRequirement } from './cargo-requirements.ts';

/**
 * Cargo.lock, in every kind of scan (Trivy counts it neither as a lock file nor as installed
 * metadata). With the Cargo.toml beside it: the root package and workspace members, their
 * declared dependencies direct, what those pull in indirect, and dev-only crates left out.
 */
export const cargoAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'cargo',
  version: 1,
  scanKinds: EVERY_SCAN,
  required: (path) => baseName(path) === 'Cargo.lock' || baseName(path) === 'Cargo.toml',
  parses: (path) => baseName(path) === 'Cargo.lock',
  parse: (text) => parseCargoLock(text),
  enrich: fromManifestBeside('Cargo.toml', async (parsed, manifest, source) => ({
    packages: await classify(manifest, parsed, source),
  })),
});

interface Owner {
  id: string;
  declared: Map<string, string>;
}

async function classify(
  manifest: string,
  parsed: ParsedPackages,
  { files, manifestPath, warnings }: LockFileSource & { manifestPath: string },
): Promise<Package[]> {
  const root = parseCargoManifest(manifest);
  const rootDeclared = declaredDependencies(root.dependencies, root.workspaceDependencies);
  for (const [name, value] of declaredDependencies(root.workspaceDependencies, new Map())) {
    if (!rootDeclared.has(name)) rootDeclared.set(name, value);
  }
  const owners: Owner[] = [{ id: root.id, declared: rootDeclared }];
  const workspaces: string[] = [];
  for (const member of await readMembers(files, manifestPath, root, warnings)) {
    workspaces.push(member.id);
    owners.push({ id: member.id, declared: declaredDependencies(member.dependencies, root.workspaceDependencies) });
  }

  const graph = new Map((parsed.dependencies ?? []).map((dependency) => [dependency.ID, dependency.DependsOn]));
  const byId = new Map(parsed.packages.map((pkg) => [pkg.ID ?? '', { ...pkg, DependsOn: graph.get(pkg.ID ?? '') }]));
  const kept = new Map<string, Package>();
  for (const owner of owners) {
    const pkg = byId.get(owner.id);
    if (pkg) selectDirect(pkg, owner.declared, byId, kept, warnings);
  }
  for (const pkg of [...kept.values()]) walkIndirect(pkg, byId, kept);
  for (const [id, pkg] of byId) {
    const relationship = id === root.id ? 'root' : workspaces.includes(id) ? 'workspace' : undefined;
    if (!relationship) continue;
    // Root and members list their dev dependencies in the lock file too; keep what was kept.
    kept.set(id, {
      ...pkg,
      Relationship: relationship,
      DependsOn: (pkg.DependsOn ?? []).filter((dep) => kept.has(dep)),
    });
  }
  if (!kept.has(root.id)) {
    kept.set(root.id, { ID: root.id, Name: '', Version: '', Relationship: 'root', DependsOn: workspaces });
  }
  return [...kept.values()];
}

/** Workspace members: Cargo.toml files matching `[workspace] members` globs (Go `fs.Glob`). */
async function readMembers(
  files: CollectedFiles,
  manifestPath: string,
  root: CargoManifest,
  warnings: string[],
): Promise<CargoManifest[]> {
  const manifests = files
    .paths()
    .filter((path) => baseName(path) === 'Cargo.toml')
    .sort();
  const members: CargoManifest[] = [];
  for (const member of root.members) {
    const pattern = joinPath(joinPath(dirName(manifestPath), member), 'Cargo.toml').replace(/\/\.\//g, '/');
    for (const path of manifests.filter((candidate) => matchGoPath(pattern, candidate))) {
      try {
        members.push(parseCargoManifest(await readText(files, path), root.workspaceVersion));
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
  }
  return members;
}

/** The owner's lock-file dependencies that its manifest declares; a requirement picks among versions. */
function selectDirect(
  owner: Package,
  declared: ReadonlyMap<string, string>,
  byId: ReadonlyMap<string, Package>,
  kept: Map<string, Package>,
  warnings: string[],
): void {
  const byName = new Map<string, Package[]>();
  for (const id of owner.DependsOn ?? []) {
    const dep = byId.get(id);
    if (!dep || !declared.has(dep.Name)) continue;
    byName.set(dep.Name, [...(byName.get(dep.Name) ?? []), dep]);
  }
  for (const [name, candidates] of byName) {
    const requirement = declared.get(name) ?? '';
    for (const pkg of candidates) {
      if (candidates.length > 1 && requirement !== '') {
        try {
          if (!satisfiesCargoRequirement(pkg.Version, requirement)) continue;
        } catch (error) {
          warnings.push(`${pkg.ID}: unable to match Cargo version: ${String(error)}`);
          continue;
        }
      }
      kept.set(pkg.ID ?? '', { ...pkg, Relationship: 'direct' });
    }
  }
}

function walkIndirect(start: Package, byId: ReadonlyMap<string, Package>, kept: Map<string, Package>): void {
  const stack = [...(start.DependsOn ?? [])];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (kept.has(id)) continue;
    const dep = byId.get(id);
    if (!dep) continue;
    kept.set(id, { ...dep, Relationship: 'indirect' });
    stack.push(...(dep.DependsOn ?? []));
  }
}
