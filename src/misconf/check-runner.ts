import { describeError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import { fromJS, toJS, type Value } from '../rego/index.ts';
import type { CheckSelector } from './check-metadata.ts';
import type { Check, CheckSet } from './check-set.ts';

/** The input kinds Vigil parses; Trivy's source type names. */
export type ConfigType = 'dockerfile' | 'kubernetes';

/** One Rego input: a parsed Dockerfile or one manifest document, with the file it came from. */
export interface CheckInput {
  readonly path: string;
  readonly contents: unknown;
}

/** The outcome of one deny rule on one input: each result it produced, or a pass. */
export interface CheckOutcome {
  readonly check: Check;
  readonly rule: string;
  readonly status: 'FAIL' | 'PASS';
  readonly message: string;
  readonly filePath: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** Source types whose selectors also match subtypes (Kubernetes kinds, cloud services). */
const SUBTYPED = new Set(['kubernetes', 'cloud', 'rbac']);
const PROVIDER_KEYS = new Set(['kind', 'aws', 'azure', 'google', 'digitalocean', 'github', 'nifcloud', 'openstack']);

function subtypeMatches(input: Record<string, unknown>, provider: string, selector: CheckSelector): boolean {
  if (selector.subtypes.length === 0) return true;
  const value = input[provider];
  return selector.subtypes.some((sub) => {
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      return [sub.group, sub.version, sub.kind].some((want) => want !== undefined && want.toLowerCase() === lower);
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return sub.provider === provider && sub.service !== undefined && Object.hasOwn(value, sub.service);
    }
    return false;
  });
}

/**
 * Trivy's applicability: every selector must name this source type; for typed sources some input
 * must carry a matching subtype (e.g. `kind: Deployment`). As in Trivy, one matching input makes
 * the check run on every input of the scan.
 */
export function isCheckApplicable(check: Check, type: ConfigType, inputs: readonly CheckInput[]): boolean {
  const selectors = check.metadata.selectors;
  if (selectors.length === 0) return true;
  if (selectors.some((s) => s.type !== type)) return false;
  if (!SUBTYPED.has(type)) return true;
  return inputs.some((input) => {
    const contents = input.contents;
    if (typeof contents !== 'object' || contents === null || Array.isArray(contents)) return false;
    const record = contents as Record<string, unknown>;
    return Object.keys(record).some(
      (key) => PROVIDER_KEYS.has(key) && selectors.some((selector) => subtypeMatches(record, key, selector)),
    );
  });
}

interface RawResult {
  message: string;
  filePath: string;
  startLine: number;
  endLine: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const lineNumber = (value: unknown): number => {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : 0;
};

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? '');

function fromCause(cause: Record<string, unknown>): RawResult {
  return {
    message: Object.hasOwn(cause, 'msg') ? text(cause.msg) : '',
    filePath: Object.hasOwn(cause, 'filepath') ? text(cause.filepath) : '',
    startLine: lineNumber(cause.startline),
    endLine: lineNumber(cause.endline),
  };
}

/** Trivy's conversion of one deny value: a string, a cause object, or an array of both. */
function parseDenyValue(raw: unknown): RawResult {
  if (typeof raw === 'string') return { message: raw, filePath: '', startLine: 0, endLine: 0 };
  if (isRecord(raw)) return fromCause(raw);
  if (Array.isArray(raw)) {
    let result: RawResult = { message: '', filePath: '', startLine: 0, endLine: 0 };
    let message = '';
    for (const item of raw) {
      if (isRecord(item)) result = fromCause(item);
      else if (typeof item === 'string') message = item;
    }
    return { ...result, message };
  }
  return { message: 'Rego check resulted in DENY', filePath: '', startLine: 0, endLine: 0 };
}

function offsetOf(contents: unknown): number {
  if (!isRecord(contents) || !isRecord(contents.__defsec_metadata)) return 0;
  const offset = contents.__defsec_metadata.offset;
  return typeof offset === 'number' && Number.isInteger(offset) ? offset : 0;
}

export interface RunOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

interface RuleRun {
  readonly check: Check;
  readonly rule: string;
  readonly outcomes: CheckOutcome[];
  error?: unknown;
}

/**
 * Evaluates every applicable check's deny rules against every input, one evaluation session per
 * input so library rules (containers, stages, …) are computed once for all checks. A rule that
 * errors on any input is dropped with a warning (Trivy logs it and goes on); a rule that yields
 * nothing is a pass.
 */
export function runChecks(
  set: CheckSet,
  type: ConfigType,
  inputs: readonly CheckInput[],
  options: RunOptions,
): CheckOutcome[] {
  if (inputs.length === 0) return [];
  const runs: RuleRun[] = set.checks
    .filter((check) => isCheckApplicable(check, type, inputs))
    .flatMap((check) => check.rules.map((rule) => ({ check, rule, outcomes: [] })));
  for (const input of inputs) {
    const session = set.policy.session({ input: fromJS(input.contents), signal: options.signal });
    const offset = offsetOf(input.contents);
    for (const run of runs) {
      if (run.error !== undefined) continue;
      options.signal?.throwIfAborted();
      try {
        const value = session.evalPath([...run.check.packagePath, run.rule]);
        run.outcomes.push(...toOutcomes(run, input, value, offset));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        run.error = error;
      }
    }
  }
  const outcomes: CheckOutcome[] = [];
  for (const run of runs) {
    if (run.error === undefined) outcomes.push(...run.outcomes);
    else options.logger.warn(`check ${run.check.namespace}.${run.rule} failed: ${describeError(run.error)}`);
  }
  return outcomes;
}

function toOutcomes(run: RuleRun, input: CheckInput, value: Value | undefined, offset: number): CheckOutcome[] {
  const { check, rule } = run;
  const produced = value === undefined ? [] : toJS(value);
  const items = Array.isArray(produced) ? produced : [produced];
  if (items.length === 0) {
    return [{ check, rule, status: 'PASS', message: '', filePath: input.path, startLine: 0, endLine: 0 }];
  }
  return items.map((item) => {
    const raw = parseDenyValue(item);
    return {
      check,
      rule,
      status: 'FAIL' as const,
      message: raw.message === '' ? `Rego check rule: ${check.namespace}.${rule}` : raw.message,
      filePath: raw.filePath === '' ? input.path : raw.filePath,
      startLine: raw.startLine + offset,
      endLine: raw.endLine + offset,
    };
  });
}
