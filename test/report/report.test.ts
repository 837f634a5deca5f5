import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/index.ts';
import { renderJsonReport, renderTableReport } from '../../src/report/index.ts';

const trivyExample = JSON.parse(
  readFileSync(new URL('../fixtures/report/trivy-alpine-310.json', import.meta.url), 'utf8'),
) as Report;

describe('report writers', () => {
  it("round-trips Trivy's own JSON report unchanged", () => {
    assert.deepEqual(JSON.parse(renderJsonReport(trivyExample)), trivyExample);
  });

  it('omits empty fields as Trivy does', () => {
    const report: Report = {
      SchemaVersion: 2,
      CreatedAt: '2026-01-01T00:00:00Z',
      ArtifactName: 'x',
      ArtifactType: 'filesystem',
      Metadata: {},
      Results: [{ Target: 't', Class: 'lang-pkgs', Type: 'npm', Vulnerabilities: [] }],
    };
    const json = JSON.parse(renderJsonReport(report));
    assert.deepEqual(json.Results, [{ Target: 't', Class: 'lang-pkgs', Type: 'npm' }]);
    assert.equal('Metadata' in json, true);
  });

  it('renders a table per target with a total line and every finding', () => {
    const table = renderTableReport(trivyExample, { colour: false });
    assert.match(table, /Report Summary/);
    assert.match(table, /Total: 4 \(UNKNOWN: 0, LOW: 0, MEDIUM: 4, HIGH: 0, CRITICAL: 0\)/);
    for (const vulnerability of trivyExample.Results[0]?.Vulnerabilities ?? []) {
      assert.ok(table.includes(vulnerability.VulnerabilityID), vulnerability.VulnerabilityID);
    }
    assert.ok(!table.includes('\u001b['), 'no colour codes unless asked');
    assert.ok(renderTableReport(trivyExample, { colour: true }).includes('\u001b[33mMEDIUM'));
    const widths = new Set(
      table
        .split('\n')
        .filter((line) => line.startsWith('│ libcrypto'))
        .map((line) => [...line].length),
    );
    assert.equal(widths.size, 1, 'rows align');
  });
});
