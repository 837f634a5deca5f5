import type { CollectedFiles } from '../../types.ts';
import { classifyLicenseText, isLicenseFileName } from '../license-text.ts';
import { baseName, dirName, hasPathSegment, joinPath } from '../lock-file-analyzer.ts';
import { parsePackageJson } from './package-json.ts';

/**
 * The file a package.json `license` points at: `SEE LICENSE IN <file>`, `LicenseRef-<file>`, or
 * `LICENSE` when the field is absent. Undefined when the field names a licence itself.
 */
export function licenseFileReference(licenses: readonly string[]): string | undefined {
  if (licenses.length === 0) return 'LICENSE';
  if (licenses.length !== 1) return undefined;
  const license = licenses[0] as string;
  for (const prefix of ['SEE LICENSE IN ', 'LicenseRef-']) {
    if (license.startsWith(prefix)) {
      const file = license.slice(prefix.length).trim();
      return file === '' ? undefined : file;
    }
  }
  return undefined;
}

/** Files of an installed `node_modules` tree that lock-file analyzers read for licences. */
export function isNodeModulesLicenseSource(path: string): boolean {
  if (!hasPathSegment(dirName(path), 'node_modules')) return false;
  const name = baseName(path);
  return name === 'package.json' || isLicenseFileName(name);
}

/** Where installed packages are read from: collected files, or the members of a zip archive. */
export type PackageFiles = Pick<CollectedFiles, 'paths' | 'read'>;

/** Licences of the packages installed under `<projectDir>/node_modules`, by `name@version`. */
export function installedLicenses(files: PackageFiles, projectDir: string): Promise<Map<string, string[]>> {
  return licensesUnder(files, `${joinPath(projectDir, 'node_modules')}/`);
}

/**
 * Licences of the packages whose package.json lies below `prefix`, by `name@version`: the
 * `license` field, or the text of the LICENSE file it refers to. Unreadable package.json files
 * (nested helper manifests, invalid names) are skipped.
 */
export async function licensesUnder(files: PackageFiles, prefix: string): Promise<Map<string, string[]>> {
  const available = new Set(files.paths());
  const licenses = new Map<string, string[]>();
  for (const path of [...available].sort()) {
    if (!path.startsWith(prefix) || baseName(path) !== 'package.json') continue;
    let pkg: ReturnType<typeof parsePackageJson>;
    try {
      pkg = parsePackageJson((await files.read(path)).toString('utf8'));
    } catch {
      continue;
    }
    if (pkg.id === '') continue;
    let found = pkg.licenses;
    const reference = licenseFileReference(found);
    if (reference !== undefined) {
      const licensePath = joinPath(dirName(path), reference);
      found = available.has(licensePath) ? classifyLicenseText((await files.read(licensePath)).toString('utf8')) : [];
      if (found.length === 0 && pkg.licenses.length > 0) found = pkg.licenses;
    }
    if (found.length > 0) licenses.set(pkg.id, found);
  }
  return licenses;
}
