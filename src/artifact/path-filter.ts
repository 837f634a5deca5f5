import { matchesGlob } from 'node:path';

/**
 * `--skip-files` and `--skip-dirs`: glob patterns (`*`, `**`, `?`) matched against slash-separated
 * paths relative to the scan root, as Trivy matches them. A leading `./` or `/` is ignored.
 */
export interface PathFilter {
  skipFile(path: string): boolean;
  skipDir(path: string): boolean;
}

const clean = (pattern: string) => pattern.replace(/^\.?\/+/, '').replace(/\/+$/, '');

export function createPathFilter(skipFiles: readonly string[], skipDirs: readonly string[]): PathFilter {
  const files = skipFiles.map(clean).filter(Boolean);
  const dirs = skipDirs.map(clean).filter(Boolean);
  const inSkippedDir = (path: string): boolean => {
    if (dirs.length === 0) return false;
    const parts = path.split('/');
    for (let end = 1; end <= parts.length; end += 1) {
      const prefix = parts.slice(0, end).join('/');
      if (dirs.some((pattern) => matchesGlob(prefix, pattern))) return true;
    }
    return false;
  };
  return {
    skipFile: (path) => files.some((pattern) => matchesGlob(path, pattern)) || inSkippedDir(path),
    skipDir: (path) => inSkippedDir(path),
  };
}

export const NO_SKIPS: PathFilter = { skipFile: () => false, skipDir: () => false };
