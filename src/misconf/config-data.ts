import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describeError, VigilError } from '../errors/index.ts';

/** Data files are documents, not databases: refuse anything larger. */
const MAX_DATA_FILE_BYTES = 32 * 1024 * 1024;
const MAX_DATA_FILES = 10_000;
const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** OPA's loader merges every data file at the root; two files setting the same leaf conflict. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, file: string, at: string[]): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isRecord(existing) && isRecord(value)) {
      mergeInto(existing, value, file, [...at, key]);
    } else if (Object.hasOwn(target, key)) {
      throw new VigilError(
        'CONFIG_DATA_CONFLICT',
        `${file}: data.${[...at, key].join('.')} is already set by another file`,
        {
          hint: 'each --config-data key may be set by one file only',
        },
      );
    } else {
      // defineProperty keeps a `__proto__` key plain data.
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
}

async function dataFiles(path: string, out: string[]): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new VigilError('CONFIG_DATA_NOT_FOUND', `config data path not found: ${path}`, {
      hint: 'give --config-data an existing JSON/YAML file or a directory of them',
    });
  }
  if (info.isFile()) {
    if (DATA_EXTENSIONS.has(extname(path).toLowerCase())) out.push(path);
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (out.length > MAX_DATA_FILES)
      throw new VigilError('CONFIG_DATA_TOO_MANY', `more than ${MAX_DATA_FILES} data files under ${path}`);
    const full = join(path, entry.name);
    if (entry.isDirectory()) await dataFiles(full, out);
    else if (entry.isFile() && DATA_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(full);
  }
}

/**
 * `--config-data`: every `.json`, `.yaml` and `.yml` file under the paths, merged into the base
 * document (`data.<key>`) that checks read, e.g. `data.ds031.included_envs`.
 */
export async function loadConfigData(paths: readonly string[]): Promise<Record<string, unknown>> {
  const files: string[] = [];
  for (const given of paths) await dataFiles(resolve(given), files);
  const data: Record<string, unknown> = {};
  for (const file of files) {
    const info = await stat(file);
    if (info.size > MAX_DATA_FILE_BYTES) {
      throw new VigilError('CONFIG_DATA_TOO_LARGE', `${file} is larger than ${MAX_DATA_FILE_BYTES} bytes`);
    }
    const text = await readFile(file, 'utf8');
    let parsed: unknown;
    try {
      parsed = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 });
    } catch (error) {
      throw new VigilError('CONFIG_DATA_INVALID', `cannot parse the config data ${file}: ${describeError(error)}`);
    }
    if (parsed === null || parsed === undefined) continue;
    if (!isRecord(parsed)) {
      throw new VigilError('CONFIG_DATA_INVALID', `${file}: config data must be an object at the top level`);
    }
    mergeInto(data, parsed, file, []);
  }
  return data;
}
