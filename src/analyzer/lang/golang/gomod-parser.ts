import type { Package } from '../../types.ts';
import { type Dependency, packageId } from '../application.ts';
import { parseModFile } from './modfile.ts';

/**
 * go.mod and go.sum as Trivy's parsers read them: the main module as the root, requirements as
 * direct or indirect (indirect ones dropped before Go 1.17, where `// indirect` was unreliable),
 * `replace` directives of the root module applied (local-path replacements drop the module),
 * and optionally `stdlib` at the minimum toolchain version.
 */
export interface GoModOptions {
  /** Apply `replace` directives (only for the scanned module, not for dependencies' go.mod files). */
  replace: boolean;
  /** Report `stdlib` at the minimum toolchain version (Trivy's comprehensive detection priority). */
  stdlib?: boolean;
}

export interface GoModPackages {
  packages: Package[];
  dependencies: Dependency[];
}

/** `go 1.16` and older: `// indirect` comments were not maintained. */
export function lessThanGo117(version: string): boolean {
  const parts = version.split('.');
  if (parts.length !== 2) return false;
  const major = Number(parts[0]);
  const minor = Number(parts[1]);
  if (!/^\d+$/.test(parts[0] ?? '') || !/^\d+$/.test(parts[1] ?? '')) return false;
  return major <= 1 && minor < 17;
}

/**
 * The toolchain a module needs at least: the `toolchain` line (`go1.21.1-custom` → `1.21.1`),
 * else the `go` line from 1.21 on (`1.21` → `1.21.0`); before 1.21 the `go` line says nothing.
 */
export function minimumToolchainVersion(toolchain: string | undefined, goLine: string | undefined): string {
  if (toolchain) {
    const name = toolchain.split('-')[0] ?? '';
    return name.startsWith('go') ? name.slice(2) : name;
  }
  if (!goLine) return '';
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?((?:rc|beta)\d+)?$/.exec(goLine);
  if (!match) return '';
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 1 || (major === 1 && minor < 21)) return '';
  if (match[3] === undefined && match[4] === undefined) return `${goLine}.0`;
  return goLine;
}

const byName = (a: Package, b: Package) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);

export function parseGoMod(text: string, options: GoModOptions): GoModPackages {
  const file = parseModFile(text);
  const skipIndirect = file.go === undefined ? true : lessThanGo117(file.go);
  const modules = new Map<string, Package>();
  for (const require of file.require) {
    if (skipIndirect && require.indirect) continue;
    modules.set(require.path, {
      ID: packageId(require.path, require.version),
      Name: require.path,
      Version: require.version,
      Relationship: require.indirect ? 'indirect' : 'direct',
    });
  }
  if (options.replace) {
    for (const rep of file.replace) {
      const old = modules.get(rep.oldPath);
      if (!old) continue;
      if (rep.oldVersion !== '' && old.Version !== rep.oldVersion) continue;
      modules.delete(rep.oldPath);
      if (rep.newVersion === '') continue;
      modules.set(rep.newPath, {
        ID: packageId(rep.newPath, rep.newVersion),
        Name: rep.newPath,
        Version: rep.newVersion,
        Relationship: old.Relationship,
      });
    }
  }
  if (options.stdlib) {
    const toolchain = minimumToolchainVersion(file.toolchain, file.go);
    if (toolchain !== '') {
      const version = `v${toolchain}`;
      modules.set('stdlib', {
        ID: packageId('stdlib', version),
        Name: 'stdlib',
        Version: version,
        Relationship: 'direct',
      });
    }
  }
  const packages = [...modules.values()].sort(byName);
  const dependencies: Dependency[] = [];
  if (file.module !== undefined) {
    const root: Package = { ID: file.module, Name: file.module, Version: '', Relationship: 'root' };
    const direct = packages.filter((pkg) => pkg.Relationship === 'direct').map((pkg) => pkg.ID ?? '');
    if (direct.length > 0) dependencies.push({ ID: file.module, DependsOn: direct.sort() });
    packages.unshift(root);
  }
  return { packages, dependencies };
}

/**
 * go.sum: every module it lists, at the last version listed (go.sum is sorted, so the highest);
 * `/go.mod` hash lines count too.
 */
export function parseGoSum(text: string): Package[] {
  const modules = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (fields.length < 2) continue;
    const [name = '', version = ''] = fields;
    modules.set(name, version.replace(/\/go\.mod$/, ''));
  }
  return [...modules].map(([name, version]) => ({ ID: packageId(name, version), Name: name, Version: version }));
}
