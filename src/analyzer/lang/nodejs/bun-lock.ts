import type { Package } from '../../types.ts';
import { comparePackages, type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asArray, asRecord, asString, asStringMap } from '../document-values.ts';
import { parseLocatedJson } from '../located-json.ts';

/**
 * bun.lock (text lockfile, JSON with trailing commas) as Trivy's bun parser reads it. Packages
 * are `"name": ["name@version", registry, {dependencies…}, integrity]`; workspace members are
 * `name@workspace:<path>` and take their version from `workspaces`. Direct = named by a
 * workspace; everything starts as dev and production status spreads from production directs.
 */
export function parseBunLock(text: string): ParsedPackages {
  let json: ReturnType<typeof parseLocatedJson>;
  try {
    json = parseLocatedJson(text, { jsonc: true });
  } catch (error) {
    throw new SyntaxError(`JSON decode error: ${(error as Error).message}`);
  }
  const lock = asRecord(json.value);
  if (!lock) throw new SyntaxError('JSON decode error: bun.lock is not an object');
  if (lock.lockfileVersion !== undefined && !Number.isInteger(lock.lockfileVersion)) {
    throw new SyntaxError('JSON decode error: lockfileVersion is not an integer');
  }
  const workspaces = asRecord(lock.workspaces) ?? {};
  const direct = new Set<string>();
  const production = new Set<string>();
  for (const entry of Object.values(workspaces)) {
    const workspace = asRecord(entry) ?? {};
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const name of asStringMap(workspace[field]).keys()) {
        direct.add(name);
        production.add(name);
      }
    }
    for (const name of asStringMap(workspace.devDependencies).keys()) direct.add(name);
  }

  const byName = new Map<string, Package>();
  const graph = new Map<string, string[]>();
  for (const [name, entry] of Object.entries(asRecord(lock.packages) ?? {})) {
    const fields = asArray(entry);
    if (!fields || fields.length === 0) throw new SyntaxError(`JSON decode error: invalid package entry ${name}`);
    const identifier = asString(fields[0]) ?? '';
    let version = identifier.startsWith(`${name}@`) ? identifier.slice(name.length + 1) : identifier;
    let relationship: Package['Relationship'] = direct.has(name) ? 'direct' : 'indirect';
    let dev = true;
    if (version.startsWith('workspace')) {
      const path = version.slice(version.indexOf(':') + 1);
      const member = asRecord(workspaces[path]) ?? asRecord(workspaces[name]);
      version = asString(member?.version) ?? '';
      relationship = 'workspace';
      dev = false;
    }
    const location = json.locationOf(entry);
    byName.set(name, {
      ID: packageId(name, version),
      Name: name,
      Version: version,
      Relationship: relationship,
      Dev: dev,
      Locations: location ? [location] : [],
    });
    // Registry packages carry [id, registry, meta, integrity]; others drop the registry field.
    const meta = fields
      .slice(1)
      .map(asRecord)
      .find((field) => field !== undefined);
    const dependsOn = [...asStringMap(meta?.dependencies).keys()].sort();
    if (dependsOn.length > 0) graph.set(name, dependsOn);
  }

  // Production directs and everything below them are not dev.
  const visited = new Set<string>();
  const stack = [...production];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (visited.has(name)) continue;
    visited.add(name);
    const pkg = byName.get(name);
    if (pkg) pkg.Dev = false;
    stack.push(...(graph.get(name) ?? []));
  }

  const dependencies: Dependency[] = [];
  for (const [name, names] of graph) {
    const id = byName.get(name)?.ID ?? '';
    const dependsOn = names.map((dep) => byName.get(dep)?.ID ?? '').filter((dep) => dep !== '');
    if (dependsOn.length > 0) dependencies.push({ ID: id, DependsOn: dependsOn });
  }
  return { packages: [...byName.values()].sort(comparePackages), dependencies };
}
