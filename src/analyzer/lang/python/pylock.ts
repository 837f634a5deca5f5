import { parse } from 'smol-toml';
import type { Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';

/**
 * pylock.toml (PEP 751): one package per `[[packages]]` name and version (entries repeated for
 * other environments merge; the last one's dependencies win), with `dependencies` edges. The
 * project's own entry (a directory at `.`) is the root.
 */
export function parsePylock(text: string): ParsedPackages {
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`failed to decode pylock.toml: ${(error as Error).message.split('\n')[0]}`);
  }
  const entries = (asArray(document.packages) ?? []).map((entry) => asRecord(entry) ?? {});
  const versionsByName = new Map<string, Set<string>>();
  for (const entry of entries) {
    const name = asString(entry.name) ?? '';
    const versions = versionsByName.get(name) ?? new Set<string>();
    versions.add(asString(entry.version) ?? '');
    versionsByName.set(name, versions);
  }
  const packages = new Map<string, Package>();
  const graph = new Map<string, string[]>();
  for (const entry of entries) {
    const name = asString(entry.name) ?? '';
    const version = asString(entry.version) ?? '';
    const id = packageId(name, version);
    // The project itself appears as a local directory entry at `.`.
    const isProject = asRecord(entry.directory)?.path === '.';
    packages.set(id, { ID: id, Name: name, Version: version, ...(isProject ? { Relationship: 'root' as const } : {}) });
    const dependsOn: string[] = [];
    for (const dependency of asArray(entry.dependencies) ?? []) {
      const record = asRecord(dependency) ?? {};
      const depName = asString(record.name) ?? '';
      let depVersion = asString(record.version);
      // Without a version, the name must be unambiguous.
      const candidates = versionsByName.get(depName);
      if (depVersion === undefined && candidates?.size === 1) depVersion = [...candidates][0];
      if (depName !== '' && depVersion !== undefined) dependsOn.push(packageId(depName, depVersion));
    }
    if (dependsOn.length > 0) graph.set(id, dependsOn.sort());
  }
  const dependencies: Dependency[] = [...graph].map(([ID, DependsOn]) => ({ ID, DependsOn }));
  return { packages: [...packages.values()], dependencies };
}
