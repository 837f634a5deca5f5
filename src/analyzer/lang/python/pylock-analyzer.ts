import type { Analyzer, Package } from '../../types.ts';
import type { ParsedPackages } from '../application.ts';
import { baseName, fromManifestBeside, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
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
export const pylockAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'pylock',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => isPylockFile(path) || baseName(path) === 'pyproject.toml',
  parses: isPylockFile,
  parse: (text) => parsePylock(text),
  enrich: fromManifestBeside('pyproject.toml', (parsed, manifest) => {
    const project = parsePyProject(manifest);
    return withRoot(parsed, project.name, mainDependencies(project));
  }),
});

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
