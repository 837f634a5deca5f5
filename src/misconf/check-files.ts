import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { describeError, VigilError } from '../errors/index.ts';

/** Where a module came from; decides how its failures are treated and how results link. */
export type CheckOrigin = 'embedded' | 'bundle' | 'user';

export interface RegoFile {
  /** Absolute path, also the module's name in messages. */
  readonly path: string;
  readonly source: string;
  readonly origin: CheckOrigin;
}

/** Check sources are small; anything bigger is not a check and is refused. */
const MAX_REGO_FILE_BYTES = 8 * 1024 * 1024;
/** Bounds a walk through a mistaken --config-check such as `/`. */
const MAX_REGO_FILES = 20_000;

/** Trivy's rule: `*.rego`, not `*_test.rego`, not a dot-file. */
export function isCheckFile(name: string): boolean {
  return name.endsWith('.rego') && !name.endsWith('_test.rego') && !name.startsWith('.');
}

/** Trivy skips modules under `advanced/optional` directories. */
const isOptionalDir = (dir: string) => dir.split(sep).join('/').endsWith('advanced/optional');

async function walk(dir: string, out: string[], root: string): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new VigilError('CHECKS_UNREADABLE', `cannot read the check directory ${dir}: ${describeError(error)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isOptionalDir(full)) await walk(full, out, root);
    } else if (entry.isFile() && isCheckFile(entry.name)) {
      out.push(full);
      if (out.length > MAX_REGO_FILES) {
        throw new VigilError('CHECKS_TOO_MANY', `more than ${MAX_REGO_FILES} Rego files under ${root}`, {
          hint: 'point --config-check at the directory that holds your checks',
        });
      }
    }
  }
}

/**
 * Every check module under the given files or directories, in a stable order. A path that does not
 * exist is an error naming it (Trivy: `cache does not exist at "<abs>"` / `policy file not found`).
 */
export async function collectRegoFiles(paths: readonly string[], origin: CheckOrigin): Promise<RegoFile[]> {
  const files: string[] = [];
  for (const given of paths) {
    const abs = resolve(given);
    const info = await stat(abs).catch(() => undefined);
    if (info === undefined) {
      throw new VigilError('CHECKS_NOT_FOUND', `check path not found: ${abs}`, {
        hint: 'give an existing Rego file or directory to --config-check',
      });
    }
    if (info.isDirectory()) await walk(abs, files, abs);
    else if (isCheckFile(basename(abs))) files.push(abs);
  }
  const unique = [...new Set(files)];
  return Promise.all(
    unique.map(async (path) => {
      const info = await stat(path);
      if (info.size > MAX_REGO_FILE_BYTES) {
        throw new VigilError('CHECK_TOO_LARGE', `${path} is larger than ${MAX_REGO_FILE_BYTES} bytes; not a check`);
      }
      return { path, source: await readFile(path, 'utf8'), origin };
    }),
  );
}

/** A short name for messages: the path relative to the working directory when that is shorter. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && rel.length < path.length ? rel : path;
}
