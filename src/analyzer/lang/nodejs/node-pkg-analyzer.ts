import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';
import { analysisResult, baseName, INSTALLED_SCANS, parseWarning, readText } from '../lock-file-analyzer.ts';
import { parsePackageJson } from './package-json.ts';

/**
 * Whether a package.json is the manifest of an installed package rather than one of the helper
 * manifests packages ship in subdirectories (`rxjs/ajax/package.json`): below the last
 * `node_modules/` it must sit directly in `<name>/` or `<@scope>/<name>/`.
 */
export function isPackageRoot(path: string): boolean {
  if (baseName(path) !== 'package.json') return false;
  const segments = path.split('/');
  const last = segments.lastIndexOf('node_modules');
  if (last === -1) return true;
  const rest = segments.slice(last + 1);
  return rest[0]?.startsWith('@') ? rest.length === 3 : rest.length === 2;
}

/** Installed Node.js packages (one package.json each) in `rootfs` and `image` scans. */
export const nodePkgAnalyzer: Analyzer = {
  type: 'node-pkg',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => isPackageRoot(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const failures: string[] = [];
    for (const path of [...files.paths()].sort()) {
      try {
        const pkg = parsePackageJson(await readText(files, path));
        if (pkg.id === '') continue;
        const packages = [{ ID: pkg.id, Name: pkg.name, Version: pkg.version, Licenses: pkg.licenses, FilePath: path }];
        const app = buildApplication('node-pkg', path, { packages }, context);
        if (app) applications.push(app);
      } catch (error) {
        failures.push(parseWarning(path, error));
      }
    }
    // Installed trees hold many manifests; one line for all unreadable ones keeps reports usable.
    const warnings =
      failures.length === 0
        ? []
        : [`${failures.length} package.json file(s) could not be read; first: ${failures[0] as string}`];
    return analysisResult(applications, warnings);
  },
};
