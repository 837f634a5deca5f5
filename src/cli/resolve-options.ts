import { usageError } from '../errors/index.ts';
import type { ConfigFile } from './config-file.ts';
import { valueAtPath } from './config-file.ts';
import { parseDuration } from './duration.ts';
import type { Environment, OptionKind, OptionSpec, ValueOf } from './option-spec.ts';
import { allNames, envVarName } from './option-spec.ts';

/** Where a resolved value came from, in precedence order. */
export type OptionSource = 'flag' | 'env' | 'config' | 'default' | 'unset';

export interface Resolved<K extends OptionKind> {
  value: ValueOf<K> | undefined;
  source: OptionSource;
  /** The flag, variable or key that supplied the value, for messages. */
  origin: string;
}

/** Raw values commander parsed from the command line, by long option name. */
export type FlagValues = ReadonlyMap<string, boolean | string | string[]>;

export interface OptionSources {
  flags: FlagValues;
  env: Environment;
  config: ConfigFile | undefined;
}

/** flag > env > config file > default; each layer checks the option's own name before its aliases. */
export function resolveOption<K extends OptionKind>(spec: OptionSpec<K>, sources: OptionSources): Resolved<K> {
  for (const name of allNames(spec)) {
    const raw = sources.flags.get(name);
    if (raw !== undefined) return found(spec, raw, 'flag', `--${name}`);
  }
  for (const name of allNames(spec)) {
    const variable = envVarName(name);
    const raw = sources.env[variable];
    if (raw !== undefined && raw !== '') return found(spec, raw, 'env', variable);
  }
  if (sources.config) {
    const keys = [...allNames(spec), ...(spec.configPaths ?? [])];
    for (const key of keys) {
      const raw = key.includes('.') ? valueAtPath(sources.config.values, key) : sources.config.values[key];
      if (raw !== undefined && raw !== null) {
        return found(spec, raw, 'config', `key '${key}' in ${sources.config.path}`);
      }
    }
  }
  if (spec.defaultValue) return { value: spec.defaultValue(sources.env), source: 'default', origin: 'default' };
  return { value: undefined, source: 'unset', origin: 'unset' };
}

function found<K extends OptionKind>(
  spec: OptionSpec<K>,
  raw: unknown,
  source: OptionSource,
  origin: string,
): Resolved<K> {
  return { value: convert(spec, raw, origin), source, origin };
}

function convert<K extends OptionKind>(spec: OptionSpec<K>, raw: unknown, origin: string): ValueOf<K> {
  const fail = (expected: string): never => {
    throw usageError(
      `invalid value ${JSON.stringify(raw)} for --${spec.name} (from ${origin}): expected ${expected}`,
      `see 'vigil --help' for the option's format`,
    );
  };
  switch (spec.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw as ValueOf<K>;
      const text = String(raw).trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(text)) return true as ValueOf<K>;
      if (['false', '0', 'no', 'off'].includes(text)) return false as ValueOf<K>;
      return fail('true or false');
    }
    case 'string': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return fail('a string');
      const text = String(raw);
      checkChoices(spec, [text], fail);
      return text as ValueOf<K>;
    }
    case 'list': {
      const items = listItems(raw) ?? fail('a list of strings or a comma-separated string');
      checkChoices(spec, items, fail);
      return items as ValueOf<K>;
    }
    case 'duration': {
      const ms = typeof raw === 'string' || raw === 0 ? parseDuration(String(raw)) : undefined;
      return (ms ?? fail('a duration such as 30s, 5m, 1h30m or 7d')) as ValueOf<K>;
    }
    case 'integer': {
      const text = String(raw).trim();
      if (!/^-?\d+$/.test(text)) return fail('an integer');
      return Number(text) as ValueOf<K>;
    }
    default:
      return fail('a known option kind');
  }
}

/** Lists accept repeated flags, YAML sequences and comma-separated strings alike. */
function listItems(raw: unknown): string[] | undefined {
  const pieces = Array.isArray(raw) ? raw : [raw];
  const items: string[] = [];
  for (const piece of pieces) {
    if (typeof piece !== 'string' && typeof piece !== 'number') return undefined;
    for (const item of String(piece).split(',')) {
      const trimmed = item.trim();
      if (trimmed !== '') items.push(trimmed);
    }
  }
  return items;
}

function checkChoices(spec: OptionSpec, values: string[], fail: (expected: string) => never): void {
  if (!spec.choices) return;
  for (const value of values) {
    if (!spec.choices.includes(value)) fail(`one of ${spec.choices.join(', ')}`);
  }
}

/** Top-level config keys that no known option answers to: likely typos worth a warning. */
export function unknownConfigKeys(config: ConfigFile, specs: Iterable<OptionSpec>): string[] {
  const known = new Set<string>(['config']);
  for (const spec of specs) {
    for (const name of allNames(spec)) known.add(name);
    for (const path of spec.configPaths ?? []) known.add(path.split('.')[0] as string);
  }
  return Object.keys(config.values).filter((key) => !known.has(key));
}
