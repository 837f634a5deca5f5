import { isValidGoSemver } from './go-semver.ts';

/**
 * The main module's version as Trivy finds it in `-ldflags` (`-X main.version=v1.2.3`) and in
 * ELF `.str` symbols: values of keys ending in `.version`/`.ver` that look like semver, ranked
 * `<module>/cmd/…` first, then the `main`/`common`/`version`/`cmd` packages, then the rest.
 * Two candidates of the winning rank are ambiguous and give no version.
 */

/** Splits a command line as mattn/go-shellwords does (quotes, backslash escapes, no `$` expansion). */
export function splitShellWords(line: string): string[] | undefined {
  const args: string[] = [];
  let buffer = '';
  let started = false;
  let escaped = false;
  let single = false;
  let double = false;
  for (const c of line) {
    if (escaped) {
      buffer += c;
      escaped = false;
      started = true;
      continue;
    }
    if (c === '\\') {
      if (single) buffer += c;
      else escaped = true;
      continue;
    }
    if (/\s/.test(c) && !single && !double) {
      if (started) args.push(buffer);
      buffer = '';
      started = false;
      continue;
    }
    if (c === "'" && !double) {
      single = !single;
      started = true;
      continue;
    }
    if (c === '"' && !single) {
      double = !double;
      started = true;
      continue;
    }
    if (';&|<>'.includes(c) && !single && !double) break;
    buffer += c;
    started = true;
  }
  if (single || double || escaped) return undefined;
  if (started) args.push(buffer);
  return args;
}

/** One CSV record as Go's encoding/csv reads it (no lazy quotes); undefined when malformed. */
function readCsvRecord(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += text[i];
        i += 1;
      }
      if (i < text.length && text[i] !== ',') return undefined;
    } else {
      const comma = text.indexOf(',', i);
      field = text.slice(i, comma === -1 ? text.length : comma);
      if (field.includes('"')) return undefined;
      i = comma === -1 ? text.length : comma;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i += 1;
  }
}

/** pflag's string-to-string value: `k=v`, or a CSV list of pairs when there are several `=`. */
function setKeyValues(into: Map<string, string>, value: string): boolean {
  const count = value.split('=').length - 1;
  let pairs: string[] | undefined;
  if (count === 0) return false;
  if (count === 1) pairs = [value.replace(/^"+|"+$/g, '')];
  else pairs = readCsvRecord(value);
  if (!pairs) return false;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq === -1) return false;
    into.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return true;
}

/** Drops an unknown flag's value, as pflag does with unknown flags whitelisted. */
function stripUnknownValue(args: string[]): void {
  if (args.length > 0 && !(args[0] ?? '').startsWith('-')) args.shift();
}

/**
 * The `-X key=value` pairs of an ldflags argument list, parsed as pflag does with only `-X`
 * (and `-h`) known and unknown flags tolerated; undefined when pflag would fail.
 */
export function parseXFlags(flags: readonly string[]): Map<string, string> | undefined {
  const values = new Map<string, string>();
  const args = [...flags];
  while (args.length > 0) {
    const arg = args.shift() ?? '';
    if (arg.length < 2 || arg[0] !== '-') continue;
    if (arg[1] === '-') {
      if (arg.length === 2) break;
      const name = arg.slice(2);
      if (name.startsWith('-') || name.startsWith('=')) return undefined;
      const [flagName, flagValue] = name.includes('=') ? [name.slice(0, name.indexOf('=')), true] : [name, false];
      if (flagName === 'help') {
        if (flagValue && !/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(name.slice(5))) return undefined;
      } else if (!flagValue) {
        stripUnknownValue(args);
      }
      continue;
    }
    let shorthands = arg.slice(1);
    while (shorthands.length > 0) {
      const c = shorthands[0];
      if (c === 'X') {
        let value: string;
        if (shorthands.length > 2 && shorthands[1] === '=') value = shorthands.slice(2);
        else if (shorthands.length > 1) value = shorthands.slice(1);
        else if (args.length > 0) value = args.shift() ?? '';
        else return undefined;
        if (!setKeyValues(values, value)) return undefined;
        shorthands = '';
      } else if (c === 'h') {
        if (shorthands.length > 2 && shorthands[1] === '=') {
          if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(shorthands.slice(2))) return undefined;
          shorthands = '';
        } else {
          shorthands = shorthands.slice(1);
        }
      } else if (shorthands.length > 2 && shorthands[1] === '=') {
        shorthands = '';
      } else {
        stripUnknownValue(args);
        shorthands = shorthands.slice(1);
      }
    }
  }
  return values;
}

const DEFAULT_PREFIXES = new Set(['main', 'common', 'version', 'cmd']);

function isVersionKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.endsWith('.version') || lower.endsWith('.ver');
}

/** A version-like value: semver with or without the `v`. */
export function isSemverLike(value: string): boolean {
  return isValidGoSemver(value) || isValidGoSemver(`v${value}`);
}

/** `github.com/x/y/pkg/version.Ver` → `version`. */
function versionPrefix(key: string): string {
  const slash = key.lastIndexOf('/');
  const tail = slash > 0 ? key.slice(slash + 1) : key;
  return tail.split('.')[0]?.toLowerCase() ?? '';
}

/** Ranks version candidates by key; one per rank, or none when the best rank is ambiguous. */
export class VersionCandidates {
  private readonly ranks: string[][] = [[], [], []];
  private readonly moduleName: string;

  constructor(moduleName: string) {
    this.moduleName = moduleName;
  }

  add(key: string, value: string): void {
    if (!isVersionKey(key) || !isSemverLike(value)) return;
    if (key.startsWith(`${this.moduleName}/cmd/`)) this.ranks[0]?.push(value);
    else if (DEFAULT_PREFIXES.has(versionPrefix(key))) this.ranks[1]?.push(value);
    else this.ranks[2]?.push(value);
  }

  choose(): string {
    for (const rank of this.ranks) {
      if (rank.length === 0) continue;
      return rank.length > 1 ? '' : (rank[0] ?? '');
    }
    return '';
  }
}

/** The version `-X` flags give module `moduleName` (Trivy's ParseLDFlags); empty when none or ambiguous. */
export function versionFromLdflags(moduleName: string, flags: readonly string[]): string {
  const values = parseXFlags(flags);
  if (!values) return '';
  const candidates = new VersionCandidates(moduleName);
  for (const [rawKey, rawValue] of values) {
    // Quotes survive when the flags were written `-X 'k=v'` inside an already split list.
    candidates.add(rawKey.replace(/^'+/, ''), rawValue.replace(/'+$/, ''));
  }
  return candidates.choose();
}
