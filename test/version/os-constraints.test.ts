import { test } from 'node:test';
import { satisfiesConstraint } from '../../src/version/index.ts';
import { checkRows, loadRows, outcome } from './corpus.ts';

interface OsConstraintRow {
  version: string;
  constraint: string;
  comparer: 'deb' | 'rpm' | 'apk';
  name: string;
  match?: boolean;
  error?: boolean;
}

test("ospkg.trivy.constraints.json: Trivy's OS package constraints (AND of comma- or space-separated terms)", () => {
  checkRows(
    loadRows<OsConstraintRow>('ospkg.trivy.constraints.json'),
    (row) => `${row.comparer}: ${row.name}`,
    (row) => ({
      expected: row.error ? 'error' : row.match,
      actual: outcome(satisfiesConstraint(row.comparer, row.version, row.constraint)),
    }),
  );
});

test('OS constraints refuse what Trivy refuses: no terms, unknown operators, versions not starting with a digit', () => {
  checkRows(
    [
      { scheme: 'deb', constraint: '', expected: 'error' },
      { scheme: 'deb', constraint: ' , ', expected: 'error' },
      { scheme: 'deb', constraint: '~>1.0', expected: 'error' },
      { scheme: 'rpm', constraint: '>=abc', expected: 'error' },
      { scheme: 'rpm', constraint: '>= 1.0 || < 0.5', expected: 'error' },
      { scheme: 'apk', constraint: '>=1.0-r0 <1.5', expected: true },
      { scheme: 'deb', constraint: '>=1:1.0,<1:2.0', expected: false },
    ] as const,
    (row) => `${row.scheme}: ${JSON.stringify(row.constraint)}`,
    (row) => ({ expected: row.expected, actual: outcome(satisfiesConstraint(row.scheme, '1.2', row.constraint)) }),
  );
});
