import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { VigilError } from '../errors/index.ts';
import { parseYamlValue } from './builtins/encoding.ts';
import { globToRegExp } from './builtins/glob.ts';
import { parseJSON } from './json.ts';
import type { ModuleSource } from './policy.ts';
import { ObjectValue, type Value } from './value.ts';

export interface LoadedFiles {
  readonly modules: ModuleSource[];
  /** JSON/YAML documents merged under their directory's path, as `opa test` loads them. */
  readonly data: ObjectValue;
}

/** Files larger than this are refused rather than read into memory. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function readText(path: string): string {
  const size = statSync(path).size;
  if (size > MAX_FILE_BYTES) {
    throw new VigilError('REGO_FILE_TOO_LARGE', `${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
  }
  return readFileSync(path, 'utf8');
}

function mergeInto(target: ObjectValue, path: readonly string[], value: Value, file: string): void {
  let node = target;
  for (const key of path) {
    let child = node.get(key);
    if (child === undefined) {
      child = new ObjectValue();
      node.set(key, child);
    }
    if (!(child instanceof ObjectValue)) {
      throw new VigilError('REGO_DATA_CONFLICT', `${file}: data at ${path.join('.')} conflicts with another file`);
    }
    node = child;
  }
  if (!(value instanceof ObjectValue)) {
    throw new VigilError('REGO_DATA_NOT_OBJECT', `${file}: a data file must hold an object`);
  }
  for (const [k, v] of value.sorted()) {
    const existing = node.get(k);
    if (existing instanceof ObjectValue && v instanceof ObjectValue) mergeInto(node, [k as string], v, file);
    else if (existing !== undefined) {
      throw new VigilError('REGO_DATA_CONFLICT', `${file}: data key ${String(k)} is already defined`);
    } else node.set(k, v);
  }
}

function loadData(path: string, root: string, into: ObjectValue): void {
  const text = readText(path);
  let value: Value;
  try {
    value = path.endsWith('.json') ? parseJSON(text) : parseYamlValue(text);
  } catch (error) {
    throw new VigilError(
      'REGO_DATA_INVALID',
      `cannot read data file ${path}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const dir = relative(root, join(path, '..'));
  const prefix = dir === '' ? [] : dir.split(sep).filter((p) => p !== '' && p !== '.');
  mergeInto(into, prefix, value, path);
}

/**
 * Every `.rego` file under the given files or directories (hidden entries skipped), and every
 * `.json`/`.yaml`/`.yml` file as data under the path of its directory relative to the argument.
 * `ignore` takes glob patterns matched against file and directory names (as `opa test --ignore`).
 */
export function loadRegoFiles(
  paths: readonly string[],
  options: { data?: boolean; ignore?: readonly string[] } = {},
): LoadedFiles {
  const ignored = (options.ignore ?? []).map((g) => globToRegExp(g, []));
  const modules: ModuleSource[] = [];
  const data = new ObjectValue();
  const visit = (path: string, root: string, explicit: boolean) => {
    const name = basename(path);
    if (!explicit && (name.startsWith('.') || ignored.some((re) => re.test(name)))) return;
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new VigilError('REGO_PATH_MISSING', `${path} does not exist`, { hint: 'pass .rego files or directories' });
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry), root, false);
      return;
    }
    if (name.endsWith('.rego')) modules.push({ file: path, source: readText(path) });
    else if (options.data !== false && /\.(json|ya?ml)$/.test(name)) loadData(path, root, data);
  };
  for (const p of paths) {
    const isDir = (() => {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    })();
    visit(p, isDir ? p : join(p, '..'), true);
  }
  return { modules, data };
}
