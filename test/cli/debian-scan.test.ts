import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureDebianImage } from '../helpers/debian-image.ts';
import { runVigil } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { seedVulnDb } from '../helpers/vuln-db.ts';

const fixtures = fileURLToPath(new URL('../fixtures/debian/debian12-unfixed.yaml', import.meta.url));
const SOURCES = new Map([
  ['apt', 'CVE-2011-3374'],
  ['tar', 'CVE-2005-2541'],
  ['glibc', 'CVE-2010-4756'],
  ['coreutils', 'CVE-2016-2781'],
  ['shadow', 'CVE-2007-5686'],
  ['util-linux', 'CVE-2022-0563'],
]);

describe('vigil image on a real Debian image (the issue 5 "done when" scan)', () => {
  const cache = tempDir();
  let dir = '';
  let expected: string[] = [];
  before(async () => {
    dir = await ensureDebianImage();
    await seedVulnDb(cache, [fixtures]);
    // dpkg itself says which binary packages each source package built: every one must be reported.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
    const format = '${Package} ${source:Package}\\n';
    const pairs = execFileSync('dpkg-query', [`--admindir=${join(dir, 'rootfs/var/lib/dpkg')}`, '-W', '-f', format], {
      encoding: 'utf8',
    });
    expected = pairs
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, source]) => SOURCES.has(source as string))
      .map(([name, source]) => `${name} ${SOURCES.get(source as string)}`)
      .sort();
  });

  it('reports every binary package of each affected source package, as unfixed, from the docker archive', async () => {
    const run = await runVigil([
      'image',
      '--input',
      join(dir, 'debian.docker.tar'),
      '--cache-dir',
      cache,
      '--skip-db-update',
      '-f',
      'json',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      Metadata: { OS: { Family: string; Name: string } };
      Results: Array<{
        Target: string;
        Vulnerabilities?: Array<{
          PkgName: string;
          VulnerabilityID: string;
          Status: string;
          Severity: string;
          SeveritySource?: string;
          FixedVersion?: string;
          DataSource?: { ID: string };
        }>;
      }>;
    };
    assert.equal(report.Metadata.OS.Family, 'debian');
    const [result] = report.Results;
    assert.match(result?.Target ?? '', /debian\.docker\.tar \(debian 12\.\d+\)$/);
    const found = (result?.Vulnerabilities ?? []).map((v) => `${v.PkgName} ${v.VulnerabilityID}`).sort();
    assert.ok(expected.length >= 12, 'dpkg lists the affected binary packages');
    assert.deepEqual(found, expected);
    for (const vulnerability of result?.Vulnerabilities ?? []) {
      assert.equal(vulnerability.FixedVersion, undefined);
      assert.equal(vulnerability.Status, 'affected');
      assert.equal(vulnerability.Severity, 'LOW');
      assert.equal(vulnerability.DataSource?.ID, 'debian');
    }
  });

  it('prints the same findings as a table', async () => {
    const run = await runVigil([
      'image',
      '--input',
      join(dir, 'oci:bookworm'),
      '--cache-dir',
      cache,
      '--skip-db-update',
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `Total: ${expected.length} \\(UNKNOWN: 0, LOW: ${expected.length}, MEDIUM: 0, HIGH: 0, CRITICAL: 0\\)`,
      ),
    );
  });
});
