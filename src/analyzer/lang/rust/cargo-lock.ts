import { parse } from 'smol-toml';
import type { Location, Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId, uniquePackages } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';

/**
 * Line ranges of `[[package]]` entries, found the way Trivy's naive scan finds them: an entry
 * starts at a `[` line and ends before the next blank line, keyed by `name@version`.
 */
function packageLines(text: string): Map<string, Location> {
  const positions = new Map<string, Location>();
  let current: { name: string; version: string; start: number; end: number } = {
    name: '',
    version: '',
    start: 0,
    end: 0,
  };
  const value = (line: string) => {
    const parts = line.split('=');
    return parts.length === 2 ? (parts[1] as string).replace(/^[ "]+|[ "]+$/g, '') : '';
  };
  const close = (lineNumber: number) => {
    if (current.end === 0) current.end = lineNumber - 1;
    if (current.name !== '')
      positions.set(packageId(current.name, current.version), { StartLine: current.start, EndLine: current.end });
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    const lineNumber = index + 1;
    if (trimmed.startsWith('[')) {
      close(lineNumber);
      current = { name: '', version: '', start: lineNumber, end: 0 };
    } else if (trimmed.startsWith('name =')) {
      current.name = value(line);
    } else if (trimmed.startsWith('version =')) {
      current.version = value(line);
    } else if (trimmed === '' && current.end === 0) {
      current.end = lineNumber - 1;
    }
  });
  close(lines.length + 1);
  return positions;
}

/**
 * Cargo.lock (v1 to v4). Dependency entries name a crate alone when only one version is
 * locked, `name version` when several are, and `name version (source)` in old lock files.
 */
export function parseCargoLock(text: string): ParsedPackages {
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxError(`decode error: ${(error as Error).message.split('\n')[0]}`);
  }
  const entries = (asArray(document.package) ?? []).map((entry) => asRecord(entry) ?? {});
  const lines = packageLines(text);
  const latestByName = new Map(entries.map((entry) => [asString(entry.name) ?? '', asString(entry.version) ?? '']));
  const packages: Package[] = [];
  const dependencies: Dependency[] = [];
  for (const entry of entries) {
    const name = asString(entry.name) ?? '';
    const version = asString(entry.version) ?? '';
    const id = packageId(name, version);
    const location = lines.get(id);
    packages.push({ ID: id, Name: name, Version: version, Locations: location ? [location] : [] });
    const dependsOn: string[] = [];
    for (const dependency of asArray(entry.dependencies) ?? []) {
      if (typeof dependency !== 'string') continue;
      const fields = dependency.trim().split(/\s+/);
      if (fields.length === 1 && latestByName.has(fields[0] as string)) {
        dependsOn.push(packageId(fields[0] as string, latestByName.get(fields[0] as string) ?? ''));
      } else if (fields.length === 2 || fields.length === 3) {
        dependsOn.push(packageId(fields[0] as string, fields[1] as string));
      }
    }
    if (dependsOn.length > 0) dependencies.push({ ID: id, DependsOn: dependsOn.sort() });
  }
  return { packages: uniquePackages(packages), dependencies };
}
