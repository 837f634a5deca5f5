import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describeError, usageError, VigilError } from '../errors/index.ts';

/** The YAML configuration file: a mapping whose keys are option names (or Trivy's nested keys). */
export interface ConfigFile {
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export const DEFAULT_CONFIG_NAME = 'vigil.yaml';
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Loads the config file. An explicit path must exist; the default `vigil.yaml` in the working
 * directory is read only when present.
 */
export function loadConfigFile(explicitPath: string | undefined, cwd: string): ConfigFile | undefined {
  const path = resolve(cwd, explicitPath ?? DEFAULT_CONFIG_NAME);
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new VigilError('CONFIG_TOO_LARGE', `config file ${path} is larger than 1 MiB`, {
        hint: 'a Vigil config file holds option values only; check that -c points at the right file',
      });
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof VigilError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && explicitPath === undefined) return undefined;
    throw usageError(
      `cannot read config file ${path}: ${describeError(error)}`,
      'pass an existing YAML file with -c/--config, or drop the option',
    );
  }
  // The YAML parser (~60 modules, 5 MB) is loaded only when there is a file to read: most runs have
  // none. require() keeps this function synchronous; yaml ships a CommonJS build for it.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (error) {
    const firstLine = describeError(error).split('\n')[0];
    throw usageError(
      `config file ${path} is not valid YAML: ${firstLine}`,
      'fix the YAML syntax at the position shown',
    );
  }
  if (document === null || document === undefined) return { path, values: {} };
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw usageError(
      `config file ${path} must be a YAML mapping of option names to values`,
      'write it like:  cache-dir: /var/cache/vigil',
    );
  }
  return { path, values: document as Record<string, unknown> };
}

/** The value at a dotted path such as `cache.dir` in a nested mapping. */
export function valueAtPath(values: Readonly<Record<string, unknown>>, dotted: string): unknown {
  let current: unknown = values;
  for (const part of dotted.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
