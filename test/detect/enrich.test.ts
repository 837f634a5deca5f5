/**
 * Enrichment (Trivy's FillInfo). The expected results are Trivy's TestClient_FillInfo cases
 * (pkg/vulnerability/vulnerability_test.go) over its vulnerability.yaml and sad.yaml fixtures;
 * the severity-source cases follow `--vuln-severity-source` as documented in trivy#8269.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { enrichFindings, primaryUrl } from '../../src/detect/enrich.ts';
import type { RawFinding } from '../../src/detect/finding.ts';
import { parseSeveritySources } from '../../src/detect/severity-sources.ts';
import { createLogger, silentLogger } from '../../src/log/index.ts';
import { FIXTURES, fixtureDb } from './trivy-goldens.ts';

const VULNERABILITY_FIXTURE = join(FIXTURES, 'vulnerability', 'vulnerability.yaml');
const SAD_FIXTURE = join(FIXTURES, 'vulnerability', 'sad.yaml');

const OSV_RUST = { ID: 'osv', Name: 'RustSec Advisory Database', URL: 'https://github.com/RustSec/advisory-db' };
const GHSA_PIP = {
  ID: 'ghsa',
  Name: 'GitHub Security Advisory Pip',
  URL: 'https://github.com/advisories?query=type%3Areviewed+ecosystem%3Apip',
};
const RED_HAT = { ID: 'redhat', Name: 'Red Hat OVAL v2', URL: 'https://www.redhat.com/security/data/oval/v2/' };

function enrich(fixture: string, findings: RawFinding[], sources = ['auto'], logger = silentLogger) {
  const db = fixtureDb([fixture]);
  try {
    return enrichFindings(findings, db.store, { severitySources: sources, logger });
  } finally {
    db.close();
  }
}

const finding = (id: string, extra: Partial<RawFinding> = {}): RawFinding => ({
  VulnerabilityID: id,
  PkgName: '',
  InstalledVersion: '',
  ...extra,
});

describe('FillInfo (Trivy TestClient_FillInfo)', () => {
  test('only the deprecated severity: it is used without a source', () => {
    assert.deepEqual(enrich(VULNERABILITY_FIXTURE, [finding('CVE-2019-0001')]), [
      {
        VulnerabilityID: 'CVE-2019-0001',
        PkgName: '',
        InstalledVersion: '',
        Status: 'affected',
        PrimaryURL: 'https://avd.aquasec.com/nvd/cve-2019-0001',
        Title: 'dos',
        Description: 'dos vulnerability',
        Severity: 'MEDIUM',
        References: ['http://example.com'],
        PublishedDate: '2001-01-01T01:01:00Z',
        LastModifiedDate: '2020-01-01T01:01:00Z',
      },
    ]);
  });

  test('no vendor severity from the data source: NVD', () => {
    const [got] = enrich(VULNERABILITY_FIXTURE, [finding('RUSTSEC-2018-0017', { DataSource: OSV_RUST })]);
    assert.equal(got?.Severity, 'LOW');
    assert.equal(got?.SeveritySource, 'nvd');
    assert.equal(got?.PrimaryURL, 'https://osv.dev/vulnerability/RUSTSEC-2018-0017');
    assert.deepEqual(got?.VendorSeverity, { nvd: 1 });
    assert.deepEqual(got?.DataSource, OSV_RUST);
  });

  test('no severity anywhere: UNKNOWN, and a GHSA ID points at GitHub', () => {
    const [got] = enrich(VULNERABILITY_FIXTURE, [finding('GHSA-28fw-88hq-6jmm', { DataSource: GHSA_PIP })]);
    assert.equal(got?.Severity, 'UNKNOWN');
    assert.equal(got?.SeveritySource, undefined);
    assert.equal(got?.PrimaryURL, 'https://github.com/advisories/GHSA-28fw-88hq-6jmm');
  });

  test("the data source's vendor severity wins, with CVSS and CWE details", () => {
    assert.deepEqual(enrich(VULNERABILITY_FIXTURE, [finding('CVE-2019-0004', { DataSource: RED_HAT })]), [
      {
        VulnerabilityID: 'CVE-2019-0004',
        PkgName: '',
        InstalledVersion: '',
        Status: 'affected',
        SeveritySource: 'redhat',
        PrimaryURL: 'https://avd.aquasec.com/nvd/cve-2019-0004',
        DataSource: RED_HAT,
        Title: 'dos',
        Description: 'dos vulnerability',
        Severity: 'LOW',
        CweIDs: ['CWE-311'],
        VendorSeverity: { redhat: 1 },
        CVSS: {
          nvd: {
            V2Vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
            V2Score: 4.5,
            V3Vector: 'CVSS:3.0/PR:N/UI:N/S:U/C:H/I:H/A:H',
            V3Score: 5.6,
          },
          redhat: {
            V2Vector: 'AV:N/AC:M/Au:N/C:N/I:P/A:N',
            V2Score: 7.8,
            V3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
            V3Score: 9.8,
          },
        },
        References: ['http://example.com'],
      },
    ]);
  });

  test('a library advisory keeps its status and takes GHSA severity', () => {
    const [got] = enrich(VULNERABILITY_FIXTURE, [
      finding('CVE-2019-0005', { Status: 'affected', DataSource: GHSA_PIP }),
    ]);
    assert.equal(got?.Severity, 'CRITICAL');
    assert.equal(got?.SeveritySource, 'ghsa');
    assert.equal(got?.Title, 'COVID-19');
    assert.equal(got?.PrimaryURL, 'https://avd.aquasec.com/nvd/cve-2019-0005');
  });

  test('a package-specific severity is kept', () => {
    const [got] = enrich(VULNERABILITY_FIXTURE, [
      finding('CVE-2019-0001', { SeveritySource: 'debian', Severity: 'LOW' }),
    ]);
    assert.equal(got?.Severity, 'LOW');
    assert.equal(got?.SeveritySource, 'debian');
    assert.equal(got?.Title, 'dos');
  });

  test('GHSA IDs take GitHub severity before NVD; CVE IDs take NVD', () => {
    const [ghsa, cve] = enrich(VULNERABILITY_FIXTURE, [finding('GHSA-0000-aaaa-1111'), finding('CVE-2022-0001')]);
    assert.deepEqual([ghsa?.Severity, ghsa?.SeveritySource], ['HIGH', 'ghsa']);
    assert.deepEqual([cve?.Severity, cve?.SeveritySource], ['LOW', 'nvd']);
  });

  test('details that do not decode: a warning, UNKNOWN severity, no details', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    assert.deepEqual(enrich(SAD_FIXTURE, [finding('CVE-2019-0004', { Status: 'affected' })], ['auto'], logger), [
      { VulnerabilityID: 'CVE-2019-0004', PkgName: '', InstalledVersion: '', Status: 'affected', Severity: 'UNKNOWN' },
    ]);
    const [broken] = enrich(SAD_FIXTURE, [finding('CVE-2019-0001')], ['auto'], logger);
    assert.equal(broken?.Severity, 'UNKNOWN');
    assert.equal(broken?.Title, undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /Error while getting vulnerability details: .*Title/);
  });

  test('status: fixed when there is a fix, else the advisory status or affected', () => {
    const got = enrich(VULNERABILITY_FIXTURE, [
      finding('CVE-2019-0001', { FixedVersion: '1.2' }),
      finding('CVE-2019-0001', { Status: 'will_not_fix' }),
      finding('CVE-2019-0001'),
    ]);
    assert.deepEqual(
      got.map((v) => v.Status),
      ['fixed', 'will_not_fix', 'affected'],
    );
  });
});

describe('--vuln-severity-source', () => {
  test('sources are tried in order; auto falls back to the built-in choice', () => {
    const pick = (sources: string[]) => {
      const [got] = enrich(VULNERABILITY_FIXTURE, [finding('CVE-2023-0001')], sources);
      return [got?.Severity, got?.SeveritySource];
    };
    assert.deepEqual(pick(['ubuntu', 'alpine']), ['HIGH', 'ubuntu']);
    assert.deepEqual(pick(['alpine', 'ubuntu']), ['MEDIUM', 'alpine']);
    assert.deepEqual(pick(['redhat', 'auto']), ['LOW', 'nvd']);
    assert.deepEqual(pick(['auto', 'ubuntu']), ['LOW', 'nvd']);
  });

  test('no listed source rates it: UNKNOWN with one warning naming the IDs', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    const got = enrich(VULNERABILITY_FIXTURE, [finding('CVE-2023-0001'), finding('CVE-2022-0001')], ['redhat'], logger);
    assert.deepEqual(
      got.map((v) => [v.Severity, v.SeveritySource]),
      [
        ['UNKNOWN', undefined],
        ['UNKNOWN', undefined],
      ],
    );
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /No severity found in specified sources \(redhat\): CVE-2023-0001, CVE-2022-0001/);
  });

  test('the data source a derived source is based on (BaseID) rates it before NVD', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-enrich-'));
    try {
      const file = join(dir, 'vulnerability.yaml');
      writeFileSync(
        file,
        [
          '- bucket: vulnerability',
          '  pairs:',
          '    - key: CVE-2024-0001',
          '      value:',
          '        VendorSeverity: {debian: 2, nvd: 4}',
        ].join('\n'),
      );
      const echo = { ID: 'echo', Name: 'Echo', URL: 'https://advisory.echohq.com/data.json', BaseID: 'debian' };
      const [got] = enrich(file, [finding('CVE-2024-0001', { DataSource: echo })]);
      assert.deepEqual([got?.Severity, got?.SeveritySource], ['MEDIUM', 'debian']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('option values: repeated or comma-separated, unknown ones refused', () => {
    assert.deepEqual(parseSeveritySources([]), ['auto']);
    assert.deepEqual(parseSeveritySources(['nvd,ghsa', 'auto', 'nvd']), ['nvd', 'ghsa', 'auto']);
    assert.throws(() => parseSeveritySources(['nvd,nope']), /unknown severity source "nope"/);
  });
});

describe('PrimaryURL', () => {
  test("IDs without a canonical page use the data source's own reference", () => {
    const refs = ['https://example.org/x', 'https://access.redhat.com/errata/RHSA-2024:1'];
    assert.equal(primaryUrl('RHSA-2024:1', refs, 'redhat'), 'https://access.redhat.com/errata/RHSA-2024:1');
    assert.equal(primaryUrl('RHSA-2024:1', refs, 'ubuntu'), undefined);
    assert.equal(
      primaryUrl('TEMP-0000000-ABCDEF', [], 'debian'),
      'https://security-tracker.debian.org/tracker/TEMP-0000000-ABCDEF',
    );
  });
});
