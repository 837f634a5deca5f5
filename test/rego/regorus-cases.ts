/**
 * Runs regorus's YAML cases (microsoft/regorus tests: interpreter, rvm, parser and lexer) against
 * the Rego engine. regorus's `error:` texts are its own, so an expected error only requires that
 * evaluation fails. Shared by the test and by `node test/rego/regorus-cases.ts [filter]`.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVigilError } from '../../src/errors/index.ts';
import {
  equals,
  fromJS,
  ObjectValue,
  Policy,
  parseModule,
  SetValue,
  tokenize,
  type Value,
} from '../../src/rego/index.ts';
import { type CaseOutcome, loadYaml, yamlFiles } from './opa-cases.ts';

export const REGORUS_DIR = fileURLToPath(new URL('../fixtures/rego/regorus/', import.meta.url));

const UNDEFINED = Symbol('undefined');
type Expected = Value | typeof UNDEFINED;

interface RegorusCase {
  note: string;
  query: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  want_result?: unknown;
  want_results?: unknown[];
  entry_points?: string[];
  error?: string;
  want_error?: string;
  no_result?: boolean;
  skip?: boolean;
  strict?: boolean;
  want_prints?: string[];
  rego_v0?: boolean;
  rego?: string;
  tokens?: unknown;
}

/** YAML read with Map objects (so keys keep their types); each case's own fields as a record. */
function toRecords(doc: unknown): unknown {
  const cases = doc instanceof Map ? doc.get('cases') : undefined;
  if (!Array.isArray(cases)) return {};
  return {
    cases: cases.map((c) => (c instanceof Map ? Object.fromEntries([...c].map(([k, v]) => [String(k), v])) : c)),
  };
}

/** regorus's encodings: `#undefined`, `{set!: […]}`, `{object!: [{key, value}]}`. */
function expectedValue(v: unknown): Expected {
  if (v === '#undefined') return UNDEFINED;
  if (Array.isArray(v)) return v.map((x) => expectedValue(x) as Value);
  if (v instanceof Map) {
    const special = v.size === 1 ? [...v.keys()][0] : undefined;
    if (special === 'set!' || special === 'object!' || special === 'many!') {
      return expectedValue({ [special]: v.get(special) });
    }
    const obj = new ObjectValue();
    for (const [k, x] of v) obj.set(expectedValue(k) as Value, expectedValue(x) as Value);
    return obj;
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    const record = v as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === 'set!' && Array.isArray(record['set!'])) {
      return SetValue.of((record['set!'] as unknown[]).map((x) => expectedValue(x) as Value));
    }
    if (keys.length === 1 && keys[0] === 'object!' && Array.isArray(record['object!'])) {
      const obj = new ObjectValue();
      for (const item of record['object!'] as Array<Record<string, unknown> | Map<string, unknown>>) {
        const key = item instanceof Map ? item.get('key') : item.key;
        const value = item instanceof Map ? item.get('value') : item.value;
        obj.set(expectedValue(key) as Value, expectedValue(value) as Value);
      }
      return obj;
    }
    const obj = new ObjectValue();
    for (const k of keys) obj.set(k, expectedValue(record[k]) as Value);
    return obj;
  }
  return fromJS(v);
}

function many(v: unknown): unknown[] {
  if (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Array.isArray((v as Record<string, unknown>)['many!'])
  ) {
    return (v as Record<string, unknown[]>)['many!'] as unknown[];
  }
  return [v];
}

function same(got: Value | undefined, want: Expected): boolean {
  if (want === UNDEFINED) return got === undefined;
  return got !== undefined && equals(got, want);
}

function describe(v: Value | undefined | typeof UNDEFINED): string {
  if (v === undefined || v === UNDEFINED) return '#undefined';
  return JSON.stringify(v, (_k, x) =>
    typeof x === 'bigint'
      ? x.toString()
      : x instanceof SetValue
        ? x.sorted()
        : x instanceof ObjectValue
          ? Object.fromEntries(x.sorted().map(([k, y]) => [String(k), y]))
          : x,
  );
}

function compile(c: RegorusCase, v0: boolean): Policy {
  const modules = (c.modules ?? []).map((source, i) => ({ file: `rego_${i}`, source }));
  return Policy.fromSources(modules, { data: c.data ?? {}, version: v0 ? 'v0' : 'v1' });
}

/** Interpreter cases: query results as regorus's harness collects them. */
function runInterpreterCase(c: RegorusCase, v0: boolean): string | undefined {
  const wantsError = c.error !== undefined || c.want_error !== undefined;
  const strict = c.strict ?? true;
  const prints: string[] = [];
  const results: Value[] = [];
  try {
    const policy = compile(c, v0);
    const inputs = c.input === undefined ? [undefined] : many(c.input).map((i) => fromJS(i));
    const prepared = policy.prepare(c.query, { captureExpressions: true });
    for (const input of inputs) {
      const rs = policy.evaluate(prepared, { input, strict, print: (line) => prints.push(line) });
      const push = (r: (typeof rs)[number], single: boolean) => {
        if (r.bindings.size > 0) {
          const obj = new ObjectValue();
          for (const [k, v] of r.bindings) obj.set(k, v);
          results.push(obj);
        } else if (single) results.push(...r.expressions);
        else results.push([...r.expressions]);
      };
      if (rs.length === 1) push(rs[0] as (typeof rs)[number], true);
      else for (const r of rs) push(r, false);
    }
  } catch (error) {
    if (!isVigilError(error)) throw error;
    return wantsError ? undefined : `unexpected error: ${error.message}`;
  }
  if (wantsError) return `want an error, got ${results.map(describe).join(', ')}`;
  if (c.want_result === undefined) return c.no_result ? undefined : 'case has no expectation';
  const want = many(c.want_result).map(expectedValue);
  if (c.no_result && results.length === 0 && want.length === 0) return undefined;
  if (results.length !== want.length) {
    return `want ${want.length} results (${want.map(describe).join(', ')}), got ${results.length} (${results.map(describe).join(', ')})`;
  }
  for (let i = 0; i < want.length; i++) {
    if (!same(results[i], want[i] as Expected)) return `want ${describe(want[i])}\n   got ${describe(results[i])}`;
  }
  if (c.want_prints && JSON.stringify(c.want_prints) !== JSON.stringify(prints)) {
    return `want prints ${JSON.stringify(c.want_prints)}, got ${JSON.stringify(prints)}`;
  }
  return undefined;
}

/** VM cases: the value of the rule named by the query (regorus's eval_rule). */
function runRuleCase(c: RegorusCase): string | undefined {
  const wantsError = c.error !== undefined || c.want_error !== undefined;
  const entries = c.entry_points ?? [c.query];
  const wants = c.want_results ?? (c.entry_points ? undefined : [c.want_result]);
  const got: Array<Value | undefined> = [];
  try {
    const policy = compile(c, c.rego_v0 === true);
    const input = c.input === undefined ? undefined : fromJS(many(c.input)[0]);
    for (const entry of c.want_results ? entries : [c.query]) {
      const path = entry.replace(/^data\./, '').split('.');
      got.push(policy.evalPath(path, { input, strict: c.strict ?? true }));
    }
  } catch (error) {
    if (!isVigilError(error)) throw error;
    return wantsError ? undefined : `unexpected error: ${error.message}`;
  }
  if (wantsError) return `want an error, got ${got.map(describe).join(', ')}`;
  if (wants === undefined || (wants.length === 1 && wants[0] === undefined)) {
    return c.no_result ? undefined : 'case has no expectation';
  }
  for (let i = 0; i < wants.length; i++) {
    const want = expectedValue(wants[i]);
    if (!same(got[i], want)) return `want ${describe(want)}\n   got ${describe(got[i])}`;
  }
  return undefined;
}

/** Parser and lexer cases: accept or reject only. */
function runSyntaxCase(c: RegorusCase, lexerOnly: boolean): string | undefined {
  const source = c.rego ?? '';
  let failure: string | undefined;
  try {
    if (lexerOnly) tokenize(source, 'case.rego');
    else parseModule(source, 'case.rego', { version: 'v0' });
  } catch (error) {
    if (!isVigilError(error)) throw error;
    failure = error.message;
  }
  if (c.error !== undefined) return failure === undefined ? 'want a syntax error, got none' : undefined;
  return failure === undefined ? undefined : `unexpected error: ${failure}`;
}

export function runRegorusCases(filter?: string): CaseOutcome[] {
  const outcomes: CaseOutcome[] = [];
  for (const file of yamlFiles(REGORUS_DIR)) {
    const rel = relative(REGORUS_DIR, file);
    // Lexer sources such as `01` must stay text, so those files are read with YAML's failsafe schema.
    const doc = toRecords(loadYaml(file, { mapAsMap: true, failsafe: rel.startsWith('lexer/') })) as {
      cases?: RegorusCase[];
    };
    const notes = new Map<string, number>();
    for (const c of doc.cases ?? []) {
      if (c.skip === true || (c.skip as unknown) === 'true') continue;
      const seen = notes.get(c.note) ?? 0;
      notes.set(c.note, seen + 1);
      const id = `${rel}#${c.note}${seen > 0 ? ` (${seen + 1})` : ''}`;
      if (filter !== undefined && !id.includes(filter)) continue;
      let detail: string | undefined;
      try {
        if (rel.startsWith('interpreter/')) detail = runInterpreterCase(c, !rel.endsWith('bindings.yaml'));
        else if (rel.startsWith('rvm/')) detail = runRuleCase(c);
        else detail = runSyntaxCase(c, rel.startsWith('lexer/'));
      } catch (error) {
        detail = `crash: ${(error as Error).stack ?? String(error)}`;
      }
      outcomes.push({ id, pass: detail === undefined, detail: detail ?? '' });
    }
  }
  return outcomes;
}

if (import.meta.main) {
  const outcomes = runRegorusCases(process.argv[2]);
  const failed = outcomes.filter((o) => !o.pass);
  for (const f of failed) process.stdout.write(`FAIL ${f.id}\n   ${f.detail}\n`);
  process.stdout.write(`passed ${outcomes.length - failed.length}/${outcomes.length}\n`);
}
