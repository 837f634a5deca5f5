import { parse } from 'smol-toml';
import type { Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';

interface UvPackage {
  name: string;
  version: string;
  root: boolean;
  /** Runtime dependencies, extras (optional-dependencies) included. */
  dependencies: string[];
  /** The root's dependency groups (`dev-dependencies`). */
  devDependencies: string[];
  /** The root's extras, which count as production. */
  optionalDependencies: string[];
}

function names(value: unknown): string[] {
  return (asArray(value) ?? []).map((entry) => asString(asRecord(entry)?.name) ?? '').filter((name) => name !== '');
}

function namesOfGroups(value: unknown): string[] {
  return Object.values(asRecord(value) ?? {}).flatMap(names);
}

function readPackage(entry: Record<string, unknown>): UvPackage {
  const source = asRecord(entry.source) ?? {};
  const optional = namesOfGroups(entry['optional-dependencies']);
  return {
    name: asString(entry.name) ?? '',
    version: asString(entry.version) ?? '',
    // uv marks the project itself as an editable or virtual source at `.`.
    root: source.editable === '.' || source.virtual === '.',
    dependencies: [...names(entry.dependencies), ...optional],
    devDependencies: namesOfGroups(entry['dev-dependencies']),
    optionalDependencies: optional,
  };
}

/**
 * uv.lock: the project (root), its direct dependencies (runtime, extras and dependency groups)
 * and everything they pull in; packages only reachable through dependency groups are dev.
 */
export function parseUvLock(text: string): ParsedPackages {
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`failed to decode uv lock file: ${(error as Error).message.split('\n')[0]}`);
  }
  const entries = (asArray(document.package) ?? []).map((entry) => readPackage(asRecord(entry) ?? {}));
  const roots = entries.filter((entry) => entry.root);
  if (roots.length !== 1) throw new SyntaxError('uv lockfile must contain 1 root package');
  const root = roots[0] as UvPackage;
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const direct = new Set([...root.dependencies, ...root.devDependencies]);

  // Production: reachable from the root's runtime dependencies and extras.
  const production = new Set<string>([root.name]);
  const stack = [...root.dependencies];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    const pkg = byName.get(name);
    if (!pkg || production.has(name)) continue;
    production.add(name);
    stack.push(...pkg.dependencies);
  }

  const packages: Package[] = [];
  const dependencies: Dependency[] = [];
  for (const entry of entries) {
    const id = packageId(entry.name, entry.version);
    const relationship = entry.root ? 'root' : direct.has(entry.name) ? 'direct' : 'indirect';
    packages.push({
      ID: id,
      Name: entry.name,
      Version: entry.version,
      Relationship: relationship,
      Dev: !production.has(entry.name),
    });
    const targets = entry.root ? [...entry.dependencies, ...entry.devDependencies] : entry.dependencies;
    const dependsOn = [...new Set(targets)]
      .map((name) => byName.get(name))
      .filter((pkg): pkg is UvPackage => pkg !== undefined)
      .map((pkg) => packageId(pkg.name, pkg.version));
    if (dependsOn.length > 0) dependencies.push({ ID: id, DependsOn: dependsOn.sort() });
  }
  return { packages, dependencies };
}
