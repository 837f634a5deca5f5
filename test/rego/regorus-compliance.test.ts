import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkAgainstRecord } from './compliance.ts';
import { runRegorusCases } from './regorus-cases.ts';

const RECORD = fileURLToPath(new URL('../fixtures/rego/passing-regorus.json', import.meta.url));

test('regorus interpreter, VM, parser and lexer cases keep passing', (t) => {
  checkAgainstRecord(t, runRegorusCases(), RECORD);
});
