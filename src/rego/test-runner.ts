import { isVigilError } from '../errors/index.ts';
import type { Module } from './ast.ts';
import type { CompiledRule } from './compiled.ts';
import { RegoError } from './errors.ts';
import { parseModule, type RegoVersion } from './parser.ts';
import type { ModuleSource, Policy } from './policy.ts';
import type { Value } from './value.ts';

export interface RegoTestResult {
  /** Package path without `data.`, e.g. `builtin.dockerfile.DS001`. */
  readonly package: string;
  /** Rule name, e.g. `test_denied`. */
  readonly name: string;
  readonly file: string;
  readonly row: number;
  readonly pass: boolean;
  /** `todo_test_*` rules are reported, not run. */
  readonly skip: boolean;
  /** Evaluation error (the test neither passed nor failed). */
  readonly error?: string;
  /** Lines printed with print() while the test ran. */
  readonly output: readonly string[];
}

export interface RegoTestOptions {
  /** Only tests whose `data.<package>.<name>` matches. */
  readonly run?: RegExp;
  /** Builtin errors raise (OPA's strict builtin errors); `opa test` itself is not strict. */
  readonly strict?: boolean;
  readonly data?: Value;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Parses a module as Rego v1; a module that fails and does not import rego.v1 is retried as
 * v0, the syntax Trivy's loader uses, so both styles of checks can be tested.
 */
export function parseWithFallback(source: ModuleSource): Module {
  try {
    return parseModule(source.source, source.file, { version: 'v1' });
  } catch (v1Error) {
    if (/^\s*import\s+rego\.v1\b/m.test(source.source)) throw v1Error;
    try {
      return parseModule(source.source, source.file, { version: 'v0' as RegoVersion });
    } catch {
      throw v1Error;
    }
  }
}

function testName(rule: CompiledRule): string | undefined {
  const name = rule.name[0];
  if (rule.kind === 'function' || rule.name.length !== 1 || name === undefined) return undefined;
  return name.startsWith('test_') || name.startsWith('todo_test_') ? name : undefined;
}

/**
 * Runs every `test_*` rule, as `opa test` does: a test passes when its value is `true`; it
 * fails when undefined or anything else; an evaluation error is reported as the test's error.
 */
export function runRegoTests(policy: Policy, options: RegoTestOptions = {}): RegoTestResult[] {
  const seen = new Set<string>();
  const results: RegoTestResult[] = [];
  for (const rule of policy.rules) {
    const name = testName(rule);
    if (name === undefined) continue;
    const pkg = rule.packagePath.join('.');
    const id = `${pkg}.${name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (options.run && !options.run.test(`data.${id}`)) continue;
    const base = { package: pkg, name, file: rule.loc.file, row: rule.loc.row };
    if (name.startsWith('todo_')) {
      results.push({ ...base, pass: false, skip: true, output: [] });
      continue;
    }
    const output: string[] = [];
    try {
      const value = policy.evalPath([...rule.packagePath, name], {
        data: options.data,
        strict: options.strict,
        now: options.now,
        signal: options.signal,
        env: options.env,
        print: (line) => output.push(line),
      });
      results.push({ ...base, pass: value === true, skip: false, output });
    } catch (error) {
      if (!isVigilError(error) && !(error instanceof RangeError)) throw error;
      const message =
        error instanceof RegoError || isVigilError(error) ? error.message : 'evaluation nested too deeply';
      results.push({ ...base, pass: false, skip: false, error: message, output });
    }
  }
  return results;
}
