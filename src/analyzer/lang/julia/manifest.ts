import { parse } from 'smol-toml';
import type { Location, Package } from '../../types.ts';
import { comparePackages, type Dependency, type ParsedPackages } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';

/** Line ranges of manifest entries by UUID, found as Trivy's naive scan finds them. */
function entryLines(text: string): Map<string, Location> {
  const positions = new Map<string, Location>();
  let current = { uuid: '', start: 0, end: 0 };
  const close = (lineNumber: number) => {
    if (current.uuid === '') return;
    if (current.end === 0) current.end = lineNumber - 1;
    positions.set(current.uuid, { StartLine: current.start, EndLine: current.end });
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    const lineNumber = index + 1;
    if (trimmed.startsWith('[')) {
      close(lineNumber);
      current = { uuid: '', start: lineNumber, end: 0 };
    } else if (trimmed.startsWith('uuid =')) {
      const parts = raw.split('=');
      current.uuid = parts.length === 2 ? (parts[1] as string).replace(/^[ "]+|[ "]+$/g, '') : '';
    } else if (trimmed === '' && current.end === 0) {
      current.end = lineNumber - 1;
    }
  });
  close(lines.length + 1);
  return positions;
}

/**
 * Julia's Manifest.toml, both the 1.0 layout (`[[Name]]` at the top) and format 2.0
 * (`[[deps.Name]]` with `julia_version`). Packages are identified by UUID; standard-library
 * packages take the Julia version (`unknown` for 1.0 manifests); `deps` lists names (which must
 * resolve to exactly one entry) or maps names to UUIDs.
 */
export function parseJuliaManifest(text: string): ParsedPackages {
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`decode error: ${(error as Error).message.split('\n')[0]}`);
  }
  const modern = typeof document.manifest_format === 'string' && document.manifest_format !== '';
  const juliaVersion = modern ? (asString(document.julia_version) ?? '') : 'unknown';
  const section = modern ? (asRecord(document.deps) ?? {}) : document;
  const entries = new Map<string, Record<string, unknown>[]>();
  for (const [name, value] of Object.entries(section)) {
    const list = asArray(value);
    if (!list) continue;
    entries.set(
      name,
      list.map((entry) => asRecord(entry) ?? {}),
    );
  }
  const lines = entryLines(text);
  const packages: Package[] = [];
  const dependencies: Dependency[] = [];
  for (const [name, list] of entries) {
    for (const entry of list) {
      const uuid = asString(entry.uuid) ?? '';
      const location = lines.get(uuid);
      packages.push({
        ID: uuid,
        Name: name,
        Version: asString(entry.version) || juliaVersion,
        Locations: location ? [location] : [],
      });
      const dependsOn = resolveDeps(entry.deps, entries).sort();
      if (dependsOn.length > 0) dependencies.push({ ID: uuid, DependsOn: dependsOn });
    }
  }
  return { packages: packages.sort(comparePackages), dependencies };
}

function resolveDeps(deps: unknown, entries: ReadonlyMap<string, Record<string, unknown>[]>): string[] {
  if (deps === undefined) return [];
  const names = asArray(deps);
  if (names) {
    return names.map((name) => {
      const found = entries.get(String(name)) ?? [];
      if (found.length > 1) throw new SyntaxError(`Dependency "${name}" has invalid format (parsed multiple deps)`);
      if (found.length === 0) throw new SyntaxError(`Dependency "${name}" has invalid format (parsed no deps)`);
      return asString(found[0]?.uuid) ?? '';
    });
  }
  const table = asRecord(deps);
  if (table) return Object.values(table).filter((uuid): uuid is string => typeof uuid === 'string');
  throw new SyntaxError('unable to decode manifest dependencies');
}
