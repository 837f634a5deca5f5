import type { Package } from '../../types.ts';
import { comparePackages, type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asRecord, asString, asStringMap } from '../document-values.ts';
import { parseLocatedJson } from '../located-json.ts';

/** The .NET SDK names the bundled runtime of a self-contained app `runtimepack.<name>`; the prefix goes. */
const dotnetId = (name: string, version: string) => packageId(name.replace(/^runtimepack\./, ''), version, '/');

const isPresent = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * `*.deps.json` of a .NET application, as Trivy reads it: libraries of type package, project or
 * runtimepack; with the runtime target's `targets` section, only libraries that ship runtime
 * files, the root project (the one project nothing references) and the other projects as
 * workspace members, direct and indirect dependencies, and the graph. IDs are `name/version`.
 */
export function parseDepsJson(text: string): ParsedPackages {
  let json: ReturnType<typeof parseLocatedJson>;
  try {
    json = parseLocatedJson(text);
  } catch (error) {
    throw new SyntaxError(`failed to decode .deps.json file: ${(error as Error).message}`);
  }
  const document = asRecord(json.value);
  if (!document) throw new SyntaxError('failed to decode .deps.json file: not a JSON object');
  const runtimeTarget = asString(asRecord(document.runtimeTarget)?.name) ?? '';
  const targetsSection = asRecord(document.targets) ?? {};
  const targetFound =
    Object.hasOwn(targetsSection, runtimeTarget) && asRecord(targetsSection[runtimeTarget]) !== undefined;
  const targets = new Map<string, Record<string, unknown>>();
  for (const [key, value] of Object.entries(asRecord(targetsSection[runtimeTarget]) ?? {})) {
    const slash = key.indexOf('/');
    const [name, version] = slash === -1 ? [key, ''] : [key.slice(0, slash), key.slice(slash + 1)];
    targets.set(dotnetId(name, version), asRecord(value) ?? {});
  }

  const packages = new Map<string, Package>();
  const projects: string[] = [];
  for (const [nameVersion, entry] of Object.entries(asRecord(document.libraries) ?? {})) {
    const slash = nameVersion.indexOf('/');
    if (slash === -1) continue;
    const library = asRecord(entry) ?? {};
    const type = (asString(library.type) ?? '').toLowerCase();
    if (type !== 'package' && type !== 'project' && type !== 'runtimepack') continue;
    const name = nameVersion.slice(0, slash).replace(/^runtimepack\./, '');
    const version = nameVersion.slice(slash + 1);
    const id = dotnetId(name, version);
    // With a target, only libraries that ship runtime files (or that the target omits) count.
    const target = targets.get(id);
    if (
      targetFound &&
      target &&
      !isPresent(target.runtime) &&
      !isPresent(target.runtimeTargets) &&
      !isPresent(target.native)
    ) {
      continue;
    }
    const location = json.locationOf(library);
    packages.set(id, { ID: id, Name: name, Version: version, Locations: location ? [location] : [] });
    if (type === 'project') projects.push(id);
  }
  if (packages.size === 0) return { packages: [] };

  const root = rootProject(projects, targets);
  if (root) {
    for (const project of projects) {
      const pkg = packages.get(project) as Package;
      pkg.Relationship = project === root ? 'root' : 'workspace';
    }
  }
  if (!targetFound) return { packages: [...packages.values()].sort(comparePackages) };

  const direct = [...asStringMap(targets.get(root)?.dependencies)].map(([name, version]) => dotnetId(name, version));
  const dependencies: Dependency[] = [];
  for (const [id, pkg] of packages) {
    if (direct.length > 0 && pkg.Relationship === undefined)
      pkg.Relationship = direct.includes(id) ? 'direct' : 'indirect';
    const target = targets.get(id);
    if (!target) continue;
    const dependsOn = [...asStringMap(target.dependencies)]
      .map(([name, version]) => dotnetId(name, version))
      .filter((dep) => packages.has(dep))
      .sort();
    if (dependsOn.length > 0) dependencies.push({ ID: id, DependsOn: dependsOn });
  }
  return { packages: [...packages.values()].sort(comparePackages), dependencies };
}

/** The single project no target entry depends on; none when there are several or none. */
function rootProject(projects: readonly string[], targets: ReadonlyMap<string, Record<string, unknown>>): string {
  const referenced = new Set<string>();
  for (const target of targets.values()) {
    for (const [name, version] of asStringMap(target.dependencies)) referenced.add(dotnetId(name, version));
  }
  const roots = projects.filter((project) => !referenced.has(project));
  return roots.length === 1 ? (roots[0] as string) : '';
}
