import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectedFiles } from '../../types.ts';

/**
 * Where Trivy looks for a dependency's licence and go.mod: the module cache
 * (`$GOPATH/pkg/mod/<escaped path>@<version>/`, on the scanning machine) and the `vendor/`
 * directory next to the scanned go.mod (`vendor/<path>/`, among the collected files).
 */

/** Trivy's licence file names: LICENSE, LICENCE, UNLICENSE, COPYING, README, NOTICE, any suffix. */
export const LICENSE_FILE = /^((un)?licen(s|c)e|copying|readme|notice).*$/i;

/** Module-cache path escaping: `github.com/BurntSushi/toml` → `github.com/!burnt!sushi/toml`. */
export function escapeModulePath(path: string): string {
  return path.replace(/\p{Lu}/gu, (upper) => `!${upper.toLowerCase()}`);
}

/** A module's files: licence-like files by relative path (lexical walk order), and its go.mod. */
export interface ModuleFiles {
  licenseFiles(): string[];
  read(relativePath: string): Buffer | undefined;
}

/** Largest licence or go.mod file read from the module cache. */
const MAX_FILE = 1024 * 1024;
/** A module directory is walked this deep at most (module trees are shallow where licences live). */
const MAX_DEPTH = 16;

/** `$GOPATH/pkg/mod/<module>@<version>`, read from disk. */
export function moduleCacheDir(cacheDir: string, name: string, version: string): ModuleFiles | undefined {
  const dir = join(cacheDir, `${escapeModulePath(name)}@${version}`);
  try {
    if (!statSync(dir).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return {
    licenseFiles: () => {
      const found: string[] = [];
      const walk = (relative: string, depth: number) => {
        if (depth > MAX_DEPTH) return;
        let entries: Dirent[];
        try {
          entries = readdirSync(join(dir, relative), { withFileTypes: true });
        } catch {
          return;
        }
        for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
          if (entry.isDirectory()) walk(path, depth + 1);
          else if (entry.isFile() && LICENSE_FILE.test(entry.name)) found.push(path);
        }
      };
      walk('', 0);
      return found;
    },
    read: (relativePath) => {
      const file = join(dir, relativePath);
      try {
        const stat = statSync(file);
        if (!stat.isFile() || stat.size > MAX_FILE) return undefined;
        return readFileSync(file);
      } catch {
        return undefined;
      }
    },
  };
}

/** `vendor/<module>/` next to a go.mod, from the files the analyzer collected (licence files only). */
export async function vendorDir(
  files: CollectedFiles,
  goModPath: string,
  name: string,
): Promise<ModuleFiles | undefined> {
  const slash = goModPath.lastIndexOf('/');
  const prefix = `${slash === -1 ? '' : goModPath.slice(0, slash + 1)}vendor/${escapeModulePath(name)}/`;
  const paths = files
    .paths()
    .filter((path) => path.startsWith(prefix))
    .sort();
  if (paths.length === 0) return undefined;
  const contents = new Map<string, Buffer>();
  for (const path of paths) contents.set(path.slice(prefix.length), await files.read(path));
  return {
    licenseFiles: () => [...contents.keys()].filter((path) => LICENSE_FILE.test(path.slice(path.lastIndexOf('/') + 1))),
    read: (relativePath) => contents.get(relativePath),
  };
}
