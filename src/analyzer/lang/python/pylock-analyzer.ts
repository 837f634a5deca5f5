import type { Analyzer, AnalyzerContext, Application, CollectedFiles, Package } from '../../types.ts';
import { buildApplication, type ParsedPackages } from '../application.ts';
import {
  analysisResult,
  baseName,
  dirName,
  joinPath,
  LOCK_FILE_SCANS,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { normalizePythonName } from './package-names.ts';
import { parsePylock } from './pylock.ts';
import { mainDependencies, parsePyProject } from './pyproject.ts';

/** `pylock.toml` or `pylock.<name>.toml` (PEP 751: one name, no dots). */
export function isPylockFile(path: string): boolean {
  return /^pylock(\.[^.]+)?\.toml$/.test(baseName(path));
}

/**
 * pylock.toml in `fs` scans. With a pyproject.toml beside it, the project becomes the root
 * package, its dependencies and extras direct, everything else indirect.
 */
export const pylockAnalyzer: Analyzer = {
  type: 'pylock',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => isPylockFile(path) || baseName(path) === 'pyproject.toml',
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    const available = new Set(files.paths());
    for (const path of [...available].sort()) {
      if (!isPylockFile(path)) continue;
      let parsed: ParsedPackages;
      try {
        parsed = parsePylock(await readText(files, path));
      } catch (error) {
        warnings.push(parseWarning(path, error));
        continue;
      }
      const projectPath = joinPath(dirName(path), 'pyproject.toml');
      if (available.has(projectPath)) {
        try {
          const project = parsePyProject(await readText(files, projectPath));
          parsed = withRoot(parsed, project.name, mainDependencies(project));
        } catch (error) {
          warnings.push(`${projectPath}: direct dependencies not identified: ${String(error)}`);
        }
      }
      const app = buildApplication('pylock', path, parsed, context);
      if (app) applications.push(app);
    }
    return analysisResult(applications, warnings);
  },
};

/** Marks direct and indirect packages and hangs the direct ones under the root (the lock's or the project's). */
function withRoot(parsed: ParsedPackages, name: string, main: Set<string>): ParsedPackages {
  const packages: Package[] = parsed.packages.map((pkg) =>
    pkg.Relationship === 'root'
      ? pkg
      : { ...pkg, Relationship: main.has(normalizePythonName(pkg.Name)) ? 'direct' : 'indirect' },
  );
  const direct = packages.filter((pkg) => pkg.Relationship === 'direct').map((pkg) => pkg.ID ?? '');
  const root = packages.find((pkg) => pkg.Relationship === 'root');
  if (root) root.DependsOn = [...(root.DependsOn ?? []), ...direct];
  else if (name !== '')
    packages.unshift({ ID: name, Name: name, Version: '', Relationship: 'root', DependsOn: direct });
  return { ...parsed, packages };
}
