/**
 * Runs OPA's compliance cases (test/cases/testdata/v1 format) against the Rego engine.
 * Shared by the test and by `node test/rego/opa-cases.ts [filter]`, which lists failures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { isVigilError } from '../../src/errors/index.ts';
import {
  canonical,
  compare,
  fromJS,
  Policy,
  parseQuery,
  type RegoError,
  toJS,
  type Value,
} from '../../src/rego/index.ts';

export const OPA_DIR = fileURLToPath(new URL('../fixtures/rego/opa/', import.meta.url));

interface OpaCase {
  note: string;
  query: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: Array<Record<string, unknown>>;
  want_error_code?: string;
  want_error?: string;
  sort_bindings?: boolean;
  strict_error?: boolean;
}

export interface CaseOutcome {
  readonly id: string;
  readonly pass: boolean;
  readonly detail: string;
}

export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

export function loadYaml(path: string, options: { mapAsMap?: boolean; failsafe?: boolean } = {}): unknown {
  // serde_yaml (regorus) accepts flow collections indented less than YAML 1.2 allows: re-indent
  // each line the parser complains about below the key that opened the collection.
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let attempt = 0; attempt < 1000; attempt++) {
    const doc = parseDocument(lines.join('\n'), {
      intAsBigInt: true,
      uniqueKeys: false,
      schema: options.failsafe ? 'failsafe' : 'core',
    });
    const error = doc.errors[0];
    if (error === undefined) return doc.toJS({ mapAsMap: options.mapAsMap ?? false });
    const row = (error.linePos?.[0]?.line ?? 0) - 1;
    const line = lines[row];
    if (line === undefined || !['BAD_INDENT', 'MISSING_CHAR'].includes(error.code)) throw error;
    let opener = row - 1;
    while (opener >= 0 && !/[[{]\s*("[^"]*"\s*,?\s*)*[^\]}]*$/.test(lines[opener] as string)) opener--;
    const indent = /^\s*/.exec(lines[Math.max(opener, 0)] as string)?.[0].length ?? 0;
    const fixed = ' '.repeat(indent + 2) + line.trimStart();
    if (fixed === line) throw error;
    lines[row] = fixed;
  }
  throw new Error(`cannot read ${path}`);
}

/** Order-insensitive comparison key of a JSON-like value. */
function key(v: unknown): string {
  return canonical(fromJS(v));
}

function sortArray(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return [...v].sort((a, b) => compare(fromJS(a), fromJS(b)));
}

function runCase(c: OpaCase): string | undefined {
  const modules = (c.modules ?? []).map((source, i) => ({ file: `test-${i}.rego`, source }));
  let policy: Policy;
  try {
    policy = Policy.fromSources(modules, { data: c.data ?? {} });
  } catch (error) {
    return `compile: ${isVigilError(error) ? error.message : String(error)}`;
  }
  let input: Value | undefined;
  if (c.input_term !== undefined) {
    const r = policy.evaluate(`__input__ := ${c.input_term}`);
    input = r[0]?.bindings.get('__input__');
  } else if (c.input !== undefined) {
    input = fromJS(c.input);
  }
  const wantsError = c.want_error !== undefined || c.want_error_code !== undefined;
  let results: Array<Record<string, unknown>>;
  try {
    parseQuery(c.query);
    const rs = policy.evaluate(c.query, { input, strict: c.strict_error === true, now: () => new Date() });
    results = rs.map((r) => {
      const obj: Record<string, unknown> = {};
      for (const [name, value] of r.bindings) {
        const json = toJS(value);
        obj[name] = c.sort_bindings ? sortArray(json) : json;
      }
      return obj;
    });
  } catch (error) {
    if (!isVigilError(error)) throw error;
    const e = error as RegoError;
    if (!wantsError) return `unexpected error: ${e.message}`;
    if (c.want_error_code !== undefined && e.regoCode !== c.want_error_code) {
      return `want code ${c.want_error_code}, got ${e.message}`;
    }
    if (c.want_error !== undefined && !e.message.includes(c.want_error)) {
      return `want error ${JSON.stringify(c.want_error)}, got ${JSON.stringify(e.message)}`;
    }
    return undefined;
  }
  if (wantsError) return `want error ${c.want_error_code ?? ''} ${c.want_error ?? ''}, got ${JSON.stringify(results)}`;
  const want = new Set((c.want_result ?? []).map(key));
  const got = new Set(results.map(key));
  const same = want.size === got.size && [...want].every((w) => got.has(w));
  return same ? undefined : `want ${[...want].join(' ')}\n   got ${[...got].join(' ')}`;
}

/** Runs every case under OPA_DIR (optionally only ids containing `filter`). */
export function runOpaCases(filter?: string): CaseOutcome[] {
  const outcomes: CaseOutcome[] = [];
  for (const file of yamlFiles(OPA_DIR)) {
    const doc = loadYaml(file) as { cases?: OpaCase[] };
    const notes = new Map<string, number>();
    for (const c of doc.cases ?? []) {
      const seen = notes.get(c.note) ?? 0;
      notes.set(c.note, seen + 1);
      const id = `${relative(OPA_DIR, file)}#${c.note}${seen > 0 ? ` (${seen + 1})` : ''}`;
      if (filter !== undefined && !id.includes(filter)) continue;
      let detail: string | undefined;
      try {
        detail = runCase(c);
      } catch (error) {
        detail = `crash: ${(error as Error).stack ?? String(error)}`;
      }
      outcomes.push({ id, pass: detail === undefined, detail: detail ?? '' });
    }
  }
  return outcomes;
}

if (import.meta.main) {
  const outcomes = runOpaCases(process.argv[2]);
  const failed = outcomes.filter((o) => !o.pass);
  for (const f of failed) process.stdout.write(`FAIL ${f.id}\n   ${f.detail}\n`);
  process.stdout.write(`passed ${outcomes.length - failed.length}/${outcomes.length}\n`);
}
