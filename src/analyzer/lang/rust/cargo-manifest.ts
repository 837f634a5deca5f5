import { createHash } from 'node:crypto';
import { parse } from 'smol-toml';
import { packageId } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';

/** What the Cargo analyzer needs from one Cargo.toml. */
export interface CargoManifest {
  /** The lock-file ID of the manifest's package (`name@version`), or a content hash for a virtual workspace. */
  id: string;
  /** `[dependencies]` and `[target.*.dependencies]`: name → version requirement (empty for git/path). */
  dependencies: Map<string, unknown>;
  members: string[];
  workspaceVersion: string;
  workspaceDependencies: Map<string, unknown>;
}

/**
 * Parses a Cargo.toml. `inheritedVersion` is the root's `[workspace.package] version`, which
 * members using `version.workspace = true` take. A manifest without `[package] name` (a virtual
 * workspace) gets a stable ID from its content, as Trivy hashes it (Trivy's hash itself,
 * hashstructure over Go structs, is not reproduced).
 */
export function parseCargoManifest(text: string, inheritedVersion = ''): CargoManifest {
  const document = parse(text) as Record<string, unknown>;
  const pkg = asRecord(document.package) ?? {};
  const workspace = asRecord(document.workspace) ?? {};
  const workspaceVersion = inheritedVersion || (asString(asRecord(workspace.package)?.version) ?? '');
  let version = '';
  const declared = pkg.version;
  if (declared === undefined) version = workspaceVersion;
  else if (typeof declared === 'string') version = declared;
  else if (asRecord(declared)?.workspace === true) version = workspaceVersion;
  const dependencies = new Map(Object.entries(asRecord(document.dependencies) ?? {}));
  for (const target of Object.values(asRecord(document.target) ?? {})) {
    for (const [name, value] of Object.entries(asRecord(asRecord(target)?.dependencies) ?? {})) {
      dependencies.set(name, value);
    }
  }
  const name = asString(pkg.name) ?? '';
  return {
    id: name !== '' ? packageId(name, version) : createHash('sha256').update(text).digest('hex').slice(0, 16),
    dependencies,
    members: (asArray(workspace.members) ?? []).filter((member): member is string => typeof member === 'string'),
    workspaceVersion,
    workspaceDependencies: new Map(Object.entries(asRecord(workspace.dependencies) ?? {})),
  };
}

/** The version requirement of a dependency entry: a string, or a table's `version`. */
function versionOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return asString(asRecord(value)?.version) ?? '';
}

/**
 * Declared dependency names with their version requirements; `{ workspace = true }` entries take
 * the requirement from `[workspace.dependencies]`.
 */
export function declaredDependencies(
  dependencies: ReadonlyMap<string, unknown>,
  workspaceDependencies: ReadonlyMap<string, unknown>,
): Map<string, string> {
  const declared = new Map<string, string>();
  for (const [name, value] of dependencies) {
    const table = asRecord(value);
    if (typeof value === 'string') declared.set(name, value);
    else if (table?.workspace === true) declared.set(name, versionOf(workspaceDependencies.get(name)));
    else if (table) declared.set(name, versionOf(table));
  }
  return declared;
}
