import type { Analyzer } from '../../types.ts';
import type { ParsedPackages } from '../application.ts';
import { baseName, fromManifestBeside, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parsePoetryLock } from './poetry-lock.ts';
import { mainDependencies, type PyProject, parsePyProject } from './pyproject.ts';

/**
 * poetry.lock in `fs` scans. With a pyproject.toml beside it: direct = main dependencies and
 * every group's; production = reachable from the main dependencies, everything else dev.
 * Without one, every package stays unclassified.
 */
export const poetryAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'poetry',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'poetry.lock' || baseName(path) === 'pyproject.toml',
  parses: (path) => baseName(path) === 'poetry.lock',
  parse: (text) => parsePoetryLock(text),
  enrich: fromManifestBeside('pyproject.toml', (parsed, manifest) => {
    classify(parsed, parsePyProject(manifest));
    return parsed;
  }),
});

function classify(parsed: ParsedPackages, project: PyProject): void {
  const main = mainDependencies(project);
  const direct = new Set(main);
  for (const group of project.poetryGroups.values()) for (const name of group) direct.add(name);
  const graph = new Map((parsed.dependencies ?? []).map((dependency) => [dependency.ID, dependency.DependsOn]));
  const production = new Set<string>();
  const stack = parsed.packages.filter((pkg) => main.has(pkg.Name)).map((pkg) => pkg.ID ?? '');
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (production.has(id)) continue;
    production.add(id);
    stack.push(...(graph.get(id) ?? []));
  }
  for (const pkg of parsed.packages) {
    pkg.Dev = !production.has(pkg.ID ?? '') || pkg.Dev === true;
    pkg.Relationship = direct.has(pkg.Name) ? 'direct' : 'indirect';
  }
}
