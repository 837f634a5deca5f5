import { parse } from 'smol-toml';
import type { Analyzer, Package } from '../../types.ts';
import type { ParsedPackages } from '../application.ts';
import { asRecord } from '../document-values.ts';
import { baseName, EVERY_SCAN, fromManifestBeside, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parseJuliaManifest } from './manifest.ts';

const uuids = (table: unknown) =>
  Object.values(asRecord(table) ?? {}).filter((v): v is string => typeof v === 'string');

/**
 * Julia's Manifest.toml with the Project.toml beside it: `[deps]` direct, `[extras]` (test
 * dependencies) direct and dev, what they pull in indirect; unreachable entries are left out.
 * In every kind of scan (Trivy puts Julia in neither analyzer group). Without a Project.toml the
 * packages stay unclassified (Trivy would report none).
 */
export const juliaAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'julia',
  version: 1,
  scanKinds: EVERY_SCAN,
  required: (path) => baseName(path) === 'Manifest.toml' || baseName(path) === 'Project.toml',
  parses: (path) => baseName(path) === 'Manifest.toml',
  parse: (text) => parseJuliaManifest(text),
  enrich: fromManifestBeside('Project.toml', (parsed, manifest) => {
    const project = parse(manifest) as Record<string, unknown>;
    return { ...parsed, packages: classify(parsed, uuids(project.deps), uuids(project.extras)) };
  }),
});

function classify(parsed: ParsedPackages, direct: readonly string[], extras: readonly string[]): Package[] {
  const graph = new Map((parsed.dependencies ?? []).map((dependency) => [dependency.ID, dependency.DependsOn]));
  const byId = new Map(parsed.packages.map((pkg) => [pkg.ID ?? '', pkg]));
  const kept = new Map<string, Package>();
  // Production first: a package both needs keeps its production status.
  for (const [roots, dev] of [
    [direct, false],
    [extras, true],
  ] as const) {
    const visited = new Map<string, Package>();
    for (const uuid of roots) {
      const pkg = byId.get(uuid);
      if (pkg) visited.set(uuid, { ...pkg, Relationship: 'direct', Dev: dev });
    }
    const stack = [...visited.keys()];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      for (const dep of graph.get(id) ?? []) {
        const found = byId.get(dep);
        if (!found || visited.has(dep)) continue;
        visited.set(dep, { ...found, Relationship: 'indirect', Dev: dev });
        stack.push(dep);
      }
    }
    for (const [id, pkg] of visited) if (!kept.has(id)) kept.set(id, pkg);
  }
  return [...kept.values()];
}
