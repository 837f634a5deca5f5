import type { Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId, uniquePackages } from '../application.ts';
import { asRecord, asString, asStringMap } from '../document-values.ts';
import { parseLocatedJson } from '../located-json.ts';

/**
 * packages.lock.json: packages of every target framework (locations merged), `Direct` ones direct
 * and the rest indirect, the project itself left out; edges resolved within each framework.
 */
export function parseNugetLock(text: string): ParsedPackages {
  let json: ReturnType<typeof parseLocatedJson>;
  try {
    json = parseLocatedJson(text);
  } catch (error) {
    throw new SyntaxError(`failed to decode packages.lock.json: ${(error as Error).message}`);
  }
  const lock = asRecord(json.value);
  if (!lock) throw new SyntaxError('failed to decode packages.lock.json: not a JSON object');
  const packages: Package[] = [];
  const graph = new Map<string, string[]>();
  for (const target of Object.values(asRecord(lock.dependencies) ?? {})) {
    const entries = asRecord(target) ?? {};
    for (const [name, value] of Object.entries(entries)) {
      const entry = asRecord(value) ?? {};
      if (entry.type === 'Project') continue;
      const id = packageId(name, asString(entry.resolved) ?? '');
      const location = json.locationOf(entry);
      packages.push({
        ID: id,
        Name: name,
        Version: asString(entry.resolved) ?? '',
        Relationship: entry.type === 'Direct' ? 'direct' : 'indirect',
        Locations: location ? [location] : [],
      });
      const dependsOn = [...asStringMap(entry.dependencies).keys()].map((dep) =>
        packageId(dep, asString(asRecord(entries[dep])?.resolved) ?? ''),
      );
      const merged = [...new Set([...dependsOn, ...(graph.get(id) ?? [])])];
      if (merged.length > 0) graph.set(id, merged);
    }
  }
  const dependencies: Dependency[] = [...graph].map(([ID, DependsOn]) => ({ ID, DependsOn: DependsOn.sort() }));
  return { packages: uniquePackages(packages), dependencies };
}
