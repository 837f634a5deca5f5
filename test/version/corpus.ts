import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/**
 * The upstream version vectors copied into test/fixtures/version (see SOURCES.md there), and the
 * one way the tests check them: every row must agree, except rows listed as exceptions with a
 * reason; an exception must still disagree (else it is stale and must go) and must name a row.
 */

const FIXTURES = new URL('../fixtures/version/', import.meta.url);

export function loadRows<T>(file: string): T[] {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as T[];
}

export interface ComparisonRow {
  a: string;
  b: string;
  cmp: -1 | 0 | 1;
  src: string;
  kind?: string;
  options?: Record<string, unknown>;
  error?: boolean;
}

export interface ConstraintRow {
  version: string;
  constraint: string;
  match: boolean;
  src: string;
  options?: Record<string, unknown>;
  syntax?: string;
  note?: string;
}

export interface ValidityRow {
  version: string;
  valid: boolean;
  src: string;
  options?: Record<string, unknown>;
}

export interface AssertionRow {
  a: string;
  op: string;
  b: string;
  expect: boolean;
  src: string;
}

/** `cmp` of a comparison, or `error` when it is an error value. */
export function outcome(result: { ok: true; value: unknown } | { ok: false; error: string }): unknown {
  return result.ok ? result.value : 'error';
}

export interface RowCheck {
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * Checks every row. `exceptions` maps a row key to the reason it is allowed to disagree; the
 * assertion fails on any other disagreement, on an exception that now agrees, and on an
 * exception that names no row.
 */
export function checkRows<R>(
  rows: readonly R[],
  keyOf: (row: R) => string,
  check: (row: R) => RowCheck,
  exceptions: ReadonlyMap<string, string> = new Map(),
): { checked: number; excepted: number } {
  const disagreements: string[] = [];
  const stale: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row);
    const { expected, actual } = check(row);
    const agrees = JSON.stringify(expected) === JSON.stringify(actual);
    if (exceptions.has(key)) {
      seen.add(key);
      if (agrees) stale.push(key);
    } else if (!agrees) {
      disagreements.push(`${key}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  }
  const unknown = [...exceptions.keys()].filter((key) => !seen.has(key));
  assert.deepEqual(disagreements, [], 'rows that disagree and are not listed as exceptions');
  assert.deepEqual(stale, [], 'exceptions that now agree with the vector (remove them)');
  assert.deepEqual(unknown, [], 'exceptions that name no row');
  return { checked: rows.length, excepted: seen.size };
}

/** Builds an exception map from `[key, reason]` groups sharing a reason. */
export function exceptionsOf(groups: readonly (readonly [reason: string, keys: readonly string[]])[]) {
  const map = new Map<string, string>();
  for (const [reason, keys] of groups) for (const key of keys) map.set(key, reason);
  return map;
}

export const pairKey = (row: { a: string; b: string }) => `${row.a} <=> ${row.b}`;
export const constraintKey = (row: { version: string; constraint: string }) => `${row.version} ~ ${row.constraint}`;

/** Which comparison results satisfy an assertion operator. */
export const ASSERTION_OPERATORS: Readonly<Record<string, readonly number[]>> = {
  '<': [-1],
  '<=': [-1, 0],
  '=': [0],
  '>=': [0, 1],
  '>': [1],
};
