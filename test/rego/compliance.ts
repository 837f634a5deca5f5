/**
 * Shared check for the compliance suites: every case recorded as passing must still pass.
 * REGO_RECORD_PASSING=1 rewrites the record with today's passing set (the list only grows).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import type { CaseOutcome } from './opa-cases.ts';

export function checkAgainstRecord(t: TestContext, outcomes: readonly CaseOutcome[], recordPath: string): void {
  const passing = outcomes.filter((o) => o.pass).map((o) => o.id);
  t.diagnostic(`passed ${passing.length} of ${outcomes.length} cases`);
  const recorded = JSON.parse(readFileSync(recordPath, 'utf8')) as string[];
  if (process.env.REGO_RECORD_PASSING === '1') {
    const grown = [...new Set([...recorded, ...passing])].sort();
    writeFileSync(recordPath, `${JSON.stringify(grown, null, 1)}\n`);
  }
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const regressions = recorded
    .filter((id) => byId.get(id)?.pass !== true)
    .map((id) => `${id}: ${byId.get(id)?.detail ?? 'case not found'}`);
  assert.deepEqual(regressions, [], 'cases recorded as passing must keep passing');
  assert.ok(passing.length >= recorded.length, 'the passing record only grows');
}
