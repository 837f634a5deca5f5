import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkAgainstRecord } from './compliance.ts';
import { runOpaCases } from './opa-cases.ts';

const RECORD = fileURLToPath(new URL('../fixtures/rego/passing-opa.json', import.meta.url));

test('OPA compliance cases (test/cases/testdata/v1) keep passing', (t) => {
  checkAgainstRecord(t, runOpaCases(), RECORD);
});
