import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VigilError } from '../../src/errors/index.ts';
import { filterResults, loadIgnoreFile } from '../../src/filter/index.ts';
import type { DetectedVulnerability, Result } from '../../src/report/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const vuln = (id: string, extra: Partial<DetectedVulnerability> = {}): DetectedVulnerability => ({
  VulnerabilityID: id,
  PkgName: 'openssl',
  InstalledVersion: '1.0',
  Severity: 'HIGH',
  FixedVersion: '1.1',
  ...extra,
});
const results = (vulnerabilities: DetectedVulnerability[]): Result[] => [
  { Target: 'app/package-lock.json', Class: 'lang-pkgs', Type: 'npm', Vulnerabilities: vulnerabilities },
];
const all = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const now = new Date('2026-06-01T12:00:00Z');

describe('ignore files', () => {
  it('reads .trivyignore lines with comments and expiry dates', async () => {
    const dir = tempDir();
    const path = join(dir, '.trivyignore');
    writeFileSync(
      path,
      '# accepted risks\nCVE-2024-0001\nCVE-2024-0002 exp:2026-01-01  # expired\n\n  GHSA-xxxx-yyyy-zzzz\n',
    );
    const rules = await loadIgnoreFile(path, true);
    assert.deepEqual(
      rules.map((rule) => [rule.id, rule.expiresAt?.toISOString()]),
      [
        ['CVE-2024-0001', undefined],
        ['CVE-2024-0002', '2026-01-01T00:00:00.000Z'],
        ['GHSA-xxxx-yyyy-zzzz', undefined],
      ],
    );
  });

  it('reads the YAML form with paths, purls and statements', async () => {
    const dir = tempDir();
    const path = join(dir, '.trivyignore.yaml');
    writeFileSync(
      path,
      'vulnerabilities:\n  - id: CVE-2024-0001\n    paths: ["app/**"]\n    statement: not reachable\n  - id: CVE-2024-0003\n    purls: ["pkg:npm/lodash"]\n    expired_at: 2027-01-01\n',
    );
    const rules = await loadIgnoreFile(path, true);
    assert.equal(rules[0]?.statement, 'not reachable');
    assert.deepEqual(rules[0]?.paths, ['app/**']);
    assert.equal(rules[1]?.expiresAt?.toISOString(), '2027-01-01T00:00:00.000Z');
  });

  it('treats a missing default file as empty but a missing explicit file as an error', async () => {
    const dir = tempDir();
    assert.deepEqual(await loadIgnoreFile(join(dir, '.trivyignore'), false), []);
    await assert.rejects(loadIgnoreFile(join(dir, 'nope'), true), VigilError);
  });

  it('rejects a malformed expiry with the line number', async () => {
    const dir = tempDir();
    const path = join(dir, '.trivyignore');
    writeFileSync(path, 'CVE-1\nCVE-2 exp:tomorrow\n');
    await assert.rejects(loadIgnoreFile(path, true), /\.trivyignore:2: invalid expiry/);
  });
});

describe('filtering findings', () => {
  it('keeps only the chosen severities and, with --ignore-unfixed, fixed findings', () => {
    const input = results([vuln('A', { Severity: 'LOW' }), vuln('B'), vuln('C', { FixedVersion: undefined })]);
    const high = filterResults(input, { severities: ['HIGH', 'CRITICAL'], ignoreUnfixed: false, ignoreRules: [], now });
    assert.deepEqual(
      high[0]?.Vulnerabilities?.map((v) => v.VulnerabilityID),
      ['B', 'C'],
    );
    const fixed = filterResults(input, { severities: all, ignoreUnfixed: true, ignoreRules: [], now });
    assert.deepEqual(
      fixed[0]?.Vulnerabilities?.map((v) => v.VulnerabilityID),
      ['B', 'A'],
    );
  });

  it('ignores by ID until the expiry date, by path glob and by PURL', () => {
    const input = results([
      vuln('CVE-1'),
      vuln('CVE-2'),
      vuln('CVE-3', { PkgIdentifier: { PURL: 'pkg:npm/lodash@4.17.0' } }),
      vuln('CVE-4'),
    ]);
    const kept = filterResults(input, {
      severities: all,
      ignoreUnfixed: false,
      now,
      ignoreRules: [
        { id: 'CVE-1' },
        { id: 'CVE-2', expiresAt: new Date('2026-01-01T00:00:00Z') },
        { id: 'CVE-3', purls: ['pkg:npm/lodash'] },
        { id: 'CVE-4', paths: ['other/**'] },
      ],
    });
    assert.deepEqual(
      kept[0]?.Vulnerabilities?.map((v) => v.VulnerabilityID),
      ['CVE-2', 'CVE-4'],
    );
  });

  it("sorts findings in Trivy's order: package, version, severity descending, ID", () => {
    const input = results([
      vuln('CVE-9', { PkgName: 'zlib', Severity: 'LOW' }),
      vuln('CVE-2', { Severity: 'LOW' }),
      vuln('CVE-3', { Severity: 'CRITICAL' }),
      vuln('CVE-1', { Severity: 'CRITICAL' }),
    ]);
    const sorted = filterResults(input, { severities: all, ignoreUnfixed: false, ignoreRules: [], now });
    assert.deepEqual(
      sorted[0]?.Vulnerabilities?.map((v) => v.VulnerabilityID),
      ['CVE-1', 'CVE-3', 'CVE-2', 'CVE-9'],
    );
  });
});
