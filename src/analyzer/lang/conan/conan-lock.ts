import type { Location, Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';
import { parseLocatedJson } from '../located-json.ts';

/** `name/version[@user/channel][#revision…]` → name and version; undefined for other shapes. */
export function parseConanReference(reference: string): { name: string; version: string } | undefined {
  const parts = (reference.split('@')[0] as string).split('#')[0]?.split('/') ?? [];
  if (parts.length !== 2) return undefined;
  return { name: parts[0] as string, version: parts[1] as string };
}

function toPackage(reference: string, location: Location | undefined): Package | undefined {
  const parsed = parseConanReference(reference);
  if (!parsed) return undefined;
  return {
    ID: packageId(parsed.name, parsed.version, '/'),
    Name: parsed.name,
    Version: parsed.version,
    Locations: location ? [location] : [],
  };
}

/**
 * conan.lock. Conan 1 (`graph_lock.nodes`): node `0` is the consumer, its requirements direct,
 * the rest indirect, with the graph. Conan 2 (`requires`): the host requirements, unclassified,
 * each located on its own line. IDs are `name/version`.
 */
export function parseConanLock(text: string): ParsedPackages {
  let json: ReturnType<typeof parseLocatedJson>;
  try {
    json = parseLocatedJson(text);
  } catch (error) {
    throw new SyntaxError(`failed to decode conan lock file: ${(error as Error).message}`);
  }
  const lock = asRecord(json.value);
  if (!lock) throw new SyntaxError('failed to decode conan lock file: not a JSON object');
  const nodes = asRecord(asRecord(lock.graph_lock)?.nodes);
  if (nodes) {
    const direct = new Set((asArray(asRecord(nodes['0'])?.requires) ?? []).filter((id) => typeof id === 'string'));
    const parsed = new Map<string, Package>();
    for (const [id, entry] of Object.entries(nodes)) {
      const node = asRecord(entry) ?? {};
      const reference = asString(node.ref) ?? '';
      if (reference === '') continue;
      const pkg = toPackage(reference, json.locationOf(node));
      if (!pkg) continue;
      pkg.Relationship = direct.has(id) ? 'direct' : 'indirect';
      parsed.set(id, pkg);
    }
    const dependencies: Dependency[] = [];
    for (const [id, pkg] of parsed) {
      const requires = asArray(asRecord(nodes[id])?.requires) ?? [];
      const dependsOn = requires.flatMap((req) =>
        typeof req === 'string' && parsed.has(req) ? [parsed.get(req)?.ID ?? ''] : [],
      );
      if (dependsOn.length > 0) dependencies.push({ ID: pkg.ID ?? '', DependsOn: dependsOn });
    }
    return { packages: [...parsed.values()], dependencies };
  }
  const requires = asArray(lock.requires) ?? [];
  const lines = json.elementLines(requires) ?? [];
  const packages: Package[] = [];
  requires.forEach((reference, index) => {
    if (typeof reference !== 'string') return;
    const line = lines[index];
    const pkg = toPackage(reference, line === undefined ? undefined : { StartLine: line, EndLine: line });
    if (pkg) packages.push(pkg);
  });
  return { packages, dependencies: [] };
}
