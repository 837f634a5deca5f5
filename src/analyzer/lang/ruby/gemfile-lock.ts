import type { Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId } from '../application.ts';

function countLeadingSpaces(line: string): number {
  let count = 0;
  while (line[count] === ' ') count += 1;
  return count;
}

/**
 * Gemfile.lock as Trivy's bundler parser reads it: specs are the 4-space lines (`name (version)`,
 * platform suffix dropped), their dependencies the 6-space lines under them, and the
 * DEPENDENCIES section names the direct ones. A gem listed twice (platform variants) is kept
 * once, with its last location. Line numbers follow Trivy's counting, which does not advance
 * over the DEPENDENCIES section or over a malformed spec line.
 */
export function parseGemfileLock(text: string): ParsedPackages {
  const gems = new Map<string, Package>();
  const graph: { id: string; names: string[] }[] = [];
  const direct: string[] = [];
  let id = '';
  let names: string[] = [];
  let lineNumber = 1;
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop();
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] as string;
    const indent = countLeadingSpaces(raw);
    if (indent === 4) {
      if (names.length > 0) graph.push({ id, names });
      names = [];
      const fields = raw.trim().split(/\s+/);
      if (fields.length !== 2) continue;
      const name = fields[0] as string;
      const version = (fields[1] as string).replace(/^[()]+|[()]+$/g, '').split('-')[0] as string;
      id = packageId(name, version);
      gems.set(name, {
        ID: id,
        Name: name,
        Version: version,
        Relationship: 'indirect',
        Locations: [{ StartLine: lineNumber, EndLine: lineNumber }],
      });
    } else if (indent === 6) {
      const name = raw.trim().split(/\s+/)[0];
      if (name) names.push(name);
    }
    lineNumber += 1;
    if (raw === 'DEPENDENCIES') {
      for (index += 1; index < lines.length; index += 1) {
        const line = lines[index] as string;
        if (countLeadingSpaces(line) !== 2) break;
        const name = line.trim().split(/\s+/)[0];
        if (name) direct.push(name);
      }
    }
  }
  if (names.length > 0) graph.push({ id, names });
  for (const name of direct) {
    const gem = gems.get(name);
    if (gem) gem.Relationship = 'direct';
  }
  const dependencies: Dependency[] = graph.map((edge) => ({
    ID: edge.id,
    DependsOn: edge.names.flatMap((name) => {
      const gem = gems.get(name);
      return gem ? [packageId(name, gem.Version)] : [];
    }),
  }));
  return { packages: [...gems.values()], dependencies };
}
