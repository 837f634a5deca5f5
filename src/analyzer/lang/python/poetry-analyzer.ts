import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';
import {
  analysisResult,
  baseName,
  dirName,
  joinPath,
  LOCK_FILE_SCANS,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { parsePoetryLock } from './poetry-lock.ts';
import { mainDependencies, type PyProject, parsePyProject } from './pyproject.ts';

/**
 * poetry.lock in `fs` scans. With a pyproject.toml beside it: direct = main dependencies and
 * every group's; production = reachable from the main dependencies, everything else dev.
 * Without one, every package stays unclassified.
 */
export const poetryAnalyzer: Analyzer = {
  type: 'poetry',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'poetry.lock' || baseName(path) === 'pyproject.toml',
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    const available = new Set(files.paths());
    for (const path of [...available].sort()) {
      if (baseName(path) !== 'poetry.lock') continue;
      let parsed: ReturnType<typeof parsePoetryLock>;
      try {
        parsed = parsePoetryLock(await readText(files, path));
      } catch (error) {
        warnings.push(parseWarning(path, error));
        continue;
      }
      const projectPath = joinPath(dirName(path), 'pyproject.toml');
      if (available.has(projectPath)) {
        try {
          classify(parsed, parsePyProject(await readText(files, projectPath)));
        } catch (error) {
          warnings.push(`${projectPath}: direct dependencies not identified: ${String(error)}`);
        }
      }
      const app = buildApplication('poetry', path, parsed, context);
      if (app) applications.push(app);
    }
    return analysisResult(applications, warnings);
  },
};

function classify(parsed: ReturnType<typeof parsePoetryLock>, project: PyProject): void {
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
