import type { Analyzer } from '../../types.ts';
import { baseName, INSTALLED_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
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
export const nodePkgAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'node-pkg',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => isPackageRoot(path),
  parse: (text, path) => {
    const pkg = parsePackageJson(text);
    if (pkg.id === '') return { packages: [] };
    return { packages: [{ ID: pkg.id, Name: pkg.name, Version: pkg.version, Licenses: pkg.licenses, FilePath: path }] };
  },
  summarizeWarningsAs: 'package.json file(s)',
});
