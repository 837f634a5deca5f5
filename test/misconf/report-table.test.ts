import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DetectedMisconfiguration, Report } from '../../src/report/index.ts';
import { renderTableReport } from '../../src/report/index.ts';

const failure = (id: string, start: number, end: number, lines: number): DetectedMisconfiguration => ({
  Type: 'Kubernetes Security Check',
  ID: id,
  Title: 'Privileged container',
  Description: 'Too much power.',
  Message: `finding ${id}`,
  Namespace: `builtin.vigil.kubernetes.${id}`,
  Query: `data.builtin.vigil.kubernetes.${id}.deny`,
  Resolution: 'Drop it.',
  Severity: 'HIGH',
  PrimaryURL: 'https://docs.example/privileged',
  References: ['https://docs.example/privileged'],
  Status: 'FAIL',
  CauseMetadata: {
    Provider: 'Kubernetes',
    Service: 'general',
    StartLine: start,
    EndLine: end,
    Code: {
      Lines: Array.from({ length: lines }, (_, i) => ({
        Number: start + i,
        Content: i === lines - 1 && lines === 10 ? '' : `line ${start + i}`,
        IsCause: !(i === lines - 1 && lines === 10),
        Annotation: '',
        Truncated: i === lines - 1 && lines === 10,
        FirstCause: i === 0,
        LastCause: lines === 10 ? i === lines - 2 : i === lines - 1,
      })),
    },
  },
});

const report = (withPackages: boolean): Report => ({
  SchemaVersion: 2,
  CreatedAt: '2026-01-01T00:00:00Z',
  ArtifactName: '.',
  ArtifactType: 'filesystem',
  Metadata: {},
  Results: [
    ...(withPackages
      ? [{ Target: 'package-lock.json', Class: 'lang-pkgs' as const, Type: 'npm', Vulnerabilities: [] }]
      : []),
    {
      Target: 'deploy/web.yaml',
      Class: 'config',
      Type: 'kubernetes',
      MisconfSummary: { Successes: 3, Failures: 2 },
      Misconfigurations: [failure('VGL-K8S-001', 7, 8, 2), failure('VGL-K8S-002', 1, 40, 10)],
    },
  ],
});

describe('misconfiguration tables', () => {
  it('counts misconfigurations in the summary and shows only the columns that were scanned', () => {
    const configOnly = renderTableReport(report(false), { colour: false });
    assert.match(configOnly, /│ +Target +│ +Type +│ Misconfigurations │/);
    assert.match(configOnly, /│ deploy\/web\.yaml │ kubernetes │ 2 +│/);
    const mixed = renderTableReport(report(true), { colour: false });
    assert.match(mixed, /│ +Target +│ +Type +│ Vulnerabilities │ Misconfigurations │/);
    assert.match(mixed, /│ package-lock\.json │ npm +│ 0 +│ - +│/);
    assert.match(mixed, /│ deploy\/web\.yaml +│ kubernetes │ - +│ 2 +│/);
  });

  it('prints each failure with its lines, bracketing multi-line causes and marking cuts', () => {
    const text = renderTableReport(report(false), { colour: false });
    assert.match(
      text,
      /Tests: 5 \(SUCCESSES: 3, FAILURES: 2\)\nFailures: 2 \(UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 2, CRITICAL: 0\)/,
    );
    assert.match(
      text,
      /VGL-K8S-001 \(HIGH\): finding VGL-K8S-001\n═+\nToo much power\.\n\nSee https:\/\/docs\.example\/privileged\n─+\n deploy\/web\.yaml:7-8\n─+\n 7 ┌ line 7\n 8 └ line 8\n/,
    );
    assert.match(text, / {2}9 └ line 9\n {6}\.\.\n/);
  });

  it('colours the severity only when asked', () => {
    assert.ok(renderTableReport(report(false), { colour: true }).includes('(\x1b[31mHIGH\x1b[0m)'));
  });
});
