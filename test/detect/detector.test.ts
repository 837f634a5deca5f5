/**
 * The whole detector (createDetector) over a DB built from Trivy's integration-test fixtures:
 * package filtering as Trivy's ospkg Detector does it (detect_test.go, driver_test.go), the
 * end-of-life flag with an injected clock, Ubuntu ESM, enrichment, language packages, and clear
 * errors for damaged data.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { OS } from '../../src/analyzer/types.ts';
import { openTrivyDb } from '../../src/db/trivydb/index.ts';
import { createDetector, type DetectablePackage } from '../../src/detect/index.ts';
import { dropThirdPartyPackages } from '../../src/detect/os/registry.ts';
import { isVigilError } from '../../src/errors/index.ts';
import { createLogger, silentLogger } from '../../src/log/index.ts';
import { FIXTURES, fixtureDb, loadTables, table } from './trivy-goldens.ts';

const INTEGRATION = ['debian', 'ubuntu', 'alpine', 'python', 'redhat', 'cpe', 'data-source', 'vulnerability'].map(
  (name) => join(FIXTURES, 'integration', `${name}.yaml`),
);

function withDetector<T>(
  now: Date,
  run: (detector: ReturnType<typeof createDetector>) => Promise<T>,
  logger = silentLogger,
) {
  const fixture = fixtureDb(INTEGRATION);
  return run(createDetector(fixture.db, { clock: () => now, logger })).finally(() => fixture.close());
}

const debian10: OS = { Family: 'debian', Name: '10.2' };
const bash: DetectablePackage = {
  ID: 'bash@5.0-4',
  Name: 'bash',
  Version: '5.0',
  Release: '4',
  SrcName: 'bash',
  SrcVersion: '5.0',
  SrcRelease: '4',
  Identifier: { PURL: 'pkg:deb/debian/bash@5.0-4?distro=debian-10.2', UID: '0123456789abcdef' },
  Layer: { DiffID: 'sha256:aaaa' },
};

describe('createDetector: OS packages', () => {
  test('Debian: package-specific severity and status, enriched from the vulnerability bucket', async () => {
    const detection = await withDetector(new Date(Date.UTC(2022, 0, 1)), (d) =>
      d.detectOs(debian10, undefined, [bash]),
    );
    assert.equal(detection.supported, true);
    assert.equal(detection.eosl, false);
    assert.equal(detection.vulnerabilities.length, 1);
    const [finding] = detection.vulnerabilities;
    assert.deepEqual(Object.keys(finding ?? {}), [
      'VulnerabilityID',
      'PkgID',
      'PkgName',
      'PkgIdentifier',
      'InstalledVersion',
      'Status',
      'Layer',
      'SeveritySource',
      'PrimaryURL',
      'DataSource',
      'Title',
      'Description',
      'Severity',
      'CweIDs',
      'VendorSeverity',
      'CVSS',
      'References',
      'PublishedDate',
      'LastModifiedDate',
    ]);
    assert.equal(finding?.VulnerabilityID, 'CVE-2019-18276');
    assert.equal(finding?.InstalledVersion, '5.0-4');
    assert.equal(finding?.Status, 'affected');
    // Debian's own urgency (LOW) wins over NVD's HIGH.
    assert.equal(finding?.Severity, 'LOW');
    assert.equal(finding?.SeveritySource, 'debian');
    assert.equal(finding?.PrimaryURL, 'https://avd.aquasec.com/nvd/cve-2019-18276');
    assert.equal(finding?.Title, 'bash: when effective UID is not equal to its real UID the saved UID is not dropped');
    assert.deepEqual(finding?.CweIDs, ['CWE-273']);
    assert.equal(finding?.LastModifiedDate, '2021-05-26T12:15:00Z');
    assert.deepEqual(finding?.DataSource, {
      ID: 'debian',
      Name: 'Debian Security Tracker',
      URL: 'https://salsa.debian.org/security-tracker-team/security-tracker',
    });
  });

  test('past the end of life: eosl, findings still reported', async () => {
    const detection = await withDetector(new Date(Date.UTC(2024, 6, 1)), (d) =>
      d.detectOs(debian10, undefined, [bash]),
    );
    assert.equal(detection.eosl, true);
    assert.equal(detection.vulnerabilities.length, 1);
  });

  test('a release missing from the EOL table is not end-of-life, with a debug note', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const detection = await withDetector(
      new Date(Date.UTC(2024, 6, 1)),
      (d) => d.detectOs({ Family: 'debian', Name: '99' }, undefined, [bash]),
      logger,
    );
    assert.equal(detection.eosl, false);
    assert.ok(lines.some((line) => line.includes('not on the EOL list') && line.includes('version=99')));
  });

  test('an unknown family is unsupported: nothing checked', async () => {
    const detection = await withDetector(new Date(), (d) =>
      d.detectOs({ Family: 'plan9', Name: '4' }, undefined, [bash]),
    );
    assert.deepEqual(detection, { vulnerabilities: [], eosl: false, supported: false });
  });

  test('gpg-pubkey and third-party packages are not matched (Trivy detect_test.go)', async () => {
    const thirdParty = { ...bash, Repository: { Class: 'third-party' } };
    const key = { ...bash, Name: 'gpg-pubkey' };
    const detection = await withDetector(new Date(Date.UTC(2022, 0, 1)), (d) =>
      d.detectOs(debian10, undefined, [key, thirdParty]),
    );
    assert.deepEqual(detection.vulnerabilities, []);
  });

  test('Ubuntu ESM: the -ESM bucket when the EOL table lists it or the base release has ended', async () => {
    const ubuntu = (Name: string, Extended: boolean): OS => ({ Family: 'ubuntu', Name, Extended });
    const pkg: DetectablePackage = {
      Name: 'bash',
      Version: '5.1',
      Release: '6ubuntu1',
      SrcName: 'bash',
      SrcVersion: '5.1',
      SrcRelease: '6ubuntu1',
    };
    const ids = async (now: Date, os: OS) =>
      (await withDetector(now, (d) => d.detectOs(os, undefined, [pkg]))).vulnerabilities.map((v) => v.VulnerabilityID);
    // 22.04-ESM is not in the table and 22.04 is supported until 2027-04-23: the 22.04 bucket applies.
    assert.deepEqual(await ids(new Date(Date.UTC(2024, 0, 1)), ubuntu('22.04', true)), ['CVE-2022-3715']);
    // Once 22.04 has ended, only `ubuntu 22.04-ESM` applies, which this DB does not have.
    assert.deepEqual(await ids(new Date(Date.UTC(2028, 0, 1)), ubuntu('22.04', true)), []);
    assert.deepEqual(await ids(new Date(Date.UTC(2028, 0, 1)), ubuntu('22.04', false)), ['CVE-2022-3715']);
    // 18.04-ESM is listed, so its own bucket applies even while 18.04 was supported.
    assert.deepEqual(await ids(new Date(Date.UTC(2022, 0, 1)), ubuntu('18.04', true)), []);
    assert.deepEqual(await ids(new Date(Date.UTC(2022, 0, 1)), ubuntu('18.04', false)), ['CVE-2019-18276']);
  });

  test('Alpine: the repository release overrides the OS release', async () => {
    const musl: DetectablePackage = { Name: 'musl', Version: '1.1.20-r4', SrcName: 'musl', SrcVersion: '1.1.20-r4' };
    const detection = await withDetector(new Date(Date.UTC(2020, 0, 1)), (d) =>
      d.detectOs({ Family: 'alpine', Name: '3.8.4' }, { Family: 'alpine', Release: '3.9' }, [musl]),
    );
    assert.deepEqual(
      detection.vulnerabilities.map((v) => [v.VulnerabilityID, v.FixedVersion, v.Status]),
      [['CVE-2019-14697', '1.1.20-r5', 'fixed']],
    );
  });

  test('Red Hat without CPE indices for the image fails as Trivy does, citing trivy-db#435', async () => {
    const openssl: DetectablePackage = {
      Name: 'openssl',
      Version: '1.0.2k',
      Release: '16.el7',
      Epoch: 1,
      Arch: 'x86_64',
    };
    await assert.rejects(
      withDetector(new Date(), (d) => d.detectOs({ Family: 'redhat', Name: '9.4' }, undefined, [openssl])),
      (error: unknown) => {
        assert.ok(isVigilError(error));
        assert.equal(error.code, 'REDHAT_CPE_MISSING');
        assert.match(error.message, /unable to find CPE indices.*rhel-9-for-x86_64-baseos-rpms.*trivy-db\/issues\/435/);
        return true;
      },
    );
    const detection = await withDetector(new Date(), (d) =>
      d.detectOs({ Family: 'redhat', Name: '7.6' }, undefined, [openssl]),
    );
    assert.ok(
      detection.vulnerabilities.some((v) => v.VulnerabilityID === 'CVE-2019-1559' && v.SeveritySource === 'redhat'),
    );
  });
});

describe('createDetector: language packages', () => {
  test('findings carry PkgID, PkgPath and the identifier; GHSA severity for a pip advisory', async () => {
    const werkzeug = {
      ID: 'werkzeug@0.11.1',
      Name: 'Werkzeug',
      Version: '0.11.1',
      FilePath: 'usr/lib/python3/site-packages/Werkzeug-0.11.1.dist-info/METADATA',
      Identifier: { PURL: 'pkg:pypi/werkzeug@0.11.1' },
    };
    const found = await withDetector(new Date(), (d) =>
      d.detectPackages('python-pkg', [werkzeug, { Name: 'noversion', Version: '' }]),
    );
    assert.deepEqual(
      found.map((v) => [v.VulnerabilityID, v.PkgID, v.PkgPath, v.FixedVersion, v.Status]),
      [
        ['CVE-2019-14806', 'werkzeug@0.11.1', werkzeug.FilePath, '0.15.3', 'fixed'],
        ['CVE-2020-28724', 'werkzeug@0.11.1', werkzeug.FilePath, '0.11.6', 'fixed'],
      ],
    );
    assert.deepEqual(found[0]?.PkgIdentifier, { PURL: 'pkg:pypi/werkzeug@0.11.1' });
    assert.equal(found[0]?.SeveritySource, 'ghsa');
    assert.equal(found[0]?.Severity, 'HIGH');
  });

  test('unsupported and unchecked application types find nothing, with a warning', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    const pkgs = [{ Name: 'numpy', Version: '1.0' }];
    assert.deepEqual(await withDetector(new Date(), (d) => d.detectPackages('conda-pkg', pkgs), logger), []);
    assert.deepEqual(await withDetector(new Date(), (d) => d.detectPackages('cobol', pkgs), logger), []);
    assert.equal(lines.length, 2);
  });
});

describe('package filtering (Trivy driver_test.go TestDropThirdPartyPackages)', () => {
  const classes: Readonly<Record<string, string>> = {
    '$ftypes.RepositoryClassThirdParty': 'third-party',
    '$ftypes.RepositoryClassOfficial': 'official',
    '$ftypes.RepositoryClassUnknown': 'unknown',
  };
  const pkg = (raw: unknown): DetectablePackage => {
    const call = raw as { $call?: string; args?: string[]; Name?: string };
    if (call.$call === 'pkg') {
      const [name, repositoryClass] = call.args as [string, string];
      return { Name: name, Version: '', Repository: { Class: classes[repositoryClass] } };
    }
    return { Name: call.Name ?? '', Version: '' };
  };
  for (const c of table(loadTables('ospkg/driver_test.expected.json'), 'TestDropThirdPartyPackages')) {
    test(c.name as string, () => {
      const want = Array.isArray(c.want) ? (c.want as unknown[]).map(pkg) : [];
      assert.deepEqual(dropThirdPartyPackages(((c.pkgs ?? []) as unknown[]).map(pkg), silentLogger), want);
    });
  }
});

describe('damaged data', () => {
  test('a truncated DB file is a VigilError, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-detect-'));
    try {
      const path = join(dir, 'trivy.db');
      writeFileSync(path, Buffer.alloc(100, 7));
      assert.throws(
        () => openTrivyDb(path),
        (error: unknown) => isVigilError(error),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
