import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { openBolt } from '../../../src/db/bolt/index.ts';
import { runGoTool } from '../../helpers/go-tools.ts';
import { runVigil } from '../../helpers/run-vigil.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { FIXTURES } from '../expected.ts';

/** The files of an uncompressed tar (regular files only), enough to check our own archives. */
function untar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(header.subarray(124, 136).toString('utf8').trim(), 8);
    files.set(name, archive.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('vigil db build, then vigil db search on the result', () => {
  const dir = tempDir('vigil-db-cli-');
  const cache = join(dir, 'cache');

  test('build from the integration fixtures: db.tar.gz with trivy.db and metadata.json', async () => {
    const run = await runVigil(
      [
        'db',
        'build',
        '--from-fixtures',
        join(FIXTURES, 'integration'),
        '--output',
        join(dir, 'db.tar.gz'),
        '--updated-at',
        '2026-01-02T03:04:05Z',
        '--next-update',
        '6h',
      ],
      { cwd: dir },
    );
    assert.equal(run.status, 0, run.stderr);
    const files = untar(gunzipSync(readFileSync(join(dir, 'db.tar.gz'))));
    assert.deepEqual([...files.keys()].sort(), ['metadata.json', 'trivy.db']);
    assert.equal(
      files.get('metadata.json')?.toString(),
      '{"Version":2,"NextUpdate":"2026-01-02T09:04:05Z","UpdatedAt":"2026-01-02T03:04:05Z","DownloadedAt":"0001-01-01T00:00:00Z"}\n',
    );
    mkdirSync(join(cache, 'db'), { recursive: true });
    const dbPath = join(cache, 'db', 'trivy.db');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(dbPath, files.get('trivy.db') as Buffer);
    writeFileSync(join(cache, 'db', 'metadata.json'), files.get('metadata.json') as Buffer);
    assert.equal(runGoTool('bolt', ['check', dbPath]).trim(), 'OK');
    const db = openBolt(dbPath);
    const buckets = [...db.root.entries()].map((e) => e.key.toString());
    db.close();
    assert.ok(buckets.includes('npm::GitHub Security Advisory Npm'));
    assert.ok(buckets.includes('vulnerability') && buckets.includes('data-source') && buckets.includes('Red Hat CPE'));
  });

  test("db search npm jquery shows the fixtures' jquery advisories", async () => {
    const run = await runVigil(['db', 'search', 'npm', 'jquery', '--cache-dir', cache]);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], 'npm jquery: 2 advisories');
    assert.match(lines[2] ?? '', /^CVE-2015-9251\s+< 3\.0\.0\s+3\.0\.0\s+fixed\s+GitHub Security Advisory Npm$/);
    assert.match(lines[3] ?? '', /^CVE-2019-11358\s+< 3\.4\.0\s+3\.4\.0\s+fixed\s+GitHub Security Advisory Npm$/);
    const json = await runVigil(['db', 'search', 'npm', 'JQuery', '--format', 'json', '--cache-dir', cache]);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.PkgName, 'jquery');
    assert.deepEqual(
      parsed.Advisories.map((a: { VulnerabilityID: string; Bucket: string }) => [a.VulnerabilityID, a.Bucket]),
      [
        ['CVE-2015-9251', 'npm::GitHub Security Advisory Npm'],
        ['CVE-2019-11358', 'npm::GitHub Security Advisory Npm'],
      ],
    );
    assert.equal(parsed.Advisories[0].DataSource.ID, 'ghsa');
  });

  test('db search ID prints the vulnerability and every advisory for it', async () => {
    const run = await runVigil(['db', 'search', 'CVE-2019-11358', '--cache-dir', cache]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^CVE-2019-11358\nTitle: {7}jquery: Prototype pollution/);
    assert.match(run.stdout, /CVSS nvd: {4}6\.1 CVSS:3\.1\/AV:N\/AC:L\/PR:N\/UI:R\/S:C\/C:L\/I:L\/A:N/);
    assert.match(run.stdout, /Advisories \(1\):\nBUCKET +PACKAGE +VULNERABLE +FIXED +STATUS +DATA SOURCE\n/);
    assert.match(
      run.stdout,
      /npm::GitHub Security Advisory Npm +jquery +< 3\.4\.0 +3\.4\.0 +fixed +GitHub Security Advisory Npm/,
    );
    const json = JSON.parse(
      (await runVigil(['db', 'search', 'CVE-2019-18276', '-f', 'json', '--cache-dir', cache])).stdout,
    );
    const statuses = json.Advisories.map((a: { Bucket: string; PkgName: string; Status?: string }) => [
      a.Bucket,
      a.PkgName,
      a.Status,
    ]);
    // Status from the fixtures: debian 9 has 7 (end_of_life), Red Hat 5 (will_not_fix), the others none.
    assert.deepEqual(statuses, [
      ['Photon OS 3.0', 'bash', undefined],
      ['Red Hat', 'bash', 'will_not_fix'],
      ['debian 10', 'bash', undefined],
      ['debian 9', 'bash', 'end_of_life'],
      ['ubuntu 18.04', 'bash', undefined],
    ]);
  });

  test('OS searches name their release buckets', async () => {
    const run = await runVigil(['db', 'search', 'debian', 'bash', '--cache-dir', cache]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^BUCKET +VULNERABILITY/m);
    assert.match(run.stdout, /^debian \d+ +CVE-2019-18276/m);
  });

  test('an unknown ID or package says so and succeeds', async () => {
    const run = await runVigil(['db', 'search', 'CVE-1999-0000', '--cache-dir', cache]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'No vulnerability or advisory found for CVE-1999-0000\n');
    const pkg = await runVigil(['db', 'search', 'pip', 'nothing-here', '--cache-dir', cache]);
    assert.match(pkg.stdout, /^No advisories for pip nothing-here \(searched \d+ buckets\)\n$/);
  });

  test('no DB in the cache: an error with the hint vigil db pull', async () => {
    const run = await runVigil(['db', 'search', 'npm', 'jquery', '--cache-dir', join(dir, 'empty-cache')]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /error: the vulnerability DB is not there: .*empty-cache\/db\/trivy\.db/);
    assert.match(run.stderr, /hint: download it with vigil db pull/);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await runVigil(['db', 'search', 'a', 'b', 'c', '--cache-dir', cache])).status, 2);
    assert.equal((await runVigil(['db', 'build', '--output', join(dir, 'x.tar.gz')])).status, 2);
    assert.equal((await runVigil(['db', 'build', '--from-osv', dir, '--updated-at', 'yesterday'])).status, 2);
  });

  test('build from OSV advisories (GHSA, Go vulndb, PyPA), then search them', async () => {
    const output = join(dir, 'osv.tar.gz');
    const osv = ['ghsa', 'govulndb', 'pypa'].flatMap((d) => ['--from-osv', join(FIXTURES, 'osv', d)]);
    const run = await runVigil(['db', 'build', ...osv, '--output', output, '--updated-at', '2026-08-01T00:00:00Z']);
    assert.equal(run.status, 0, run.stderr);
    const files = untar(gunzipSync(readFileSync(output)));
    const osvCache = join(dir, 'osv-cache');
    mkdirSync(join(osvCache, 'db'), { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(osvCache, 'db', 'trivy.db'), files.get('trivy.db') as Buffer);
    assert.equal(runGoTool('bolt', ['check', join(osvCache, 'db', 'trivy.db')]).trim(), 'OK');
    const search = JSON.parse(
      (await runVigil(['db', 'search', 'npm', 'formidable', '-f', 'json', '--cache-dir', osvCache])).stdout,
    );
    assert.deepEqual(search.Advisories, [
      {
        Bucket: 'npm::GitHub Security Advisory npm',
        VulnerabilityID: 'CVE-2025-46653',
        VendorIDs: ['GHSA-75v8-2h7p-7m2m'],
        VulnerableVersions: ['>=3.1.1-canary.20211030, <3.5.3', '>=2.1.0, <2.1.3'],
        PatchedVersions: ['3.5.3'],
        DataSource: {
          ID: 'ghsa',
          Name: 'GitHub Security Advisory npm',
          URL: 'https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm',
        },
      },
    ]);
    const vuln = JSON.parse(
      (await runVigil(['db', 'search', 'CVE-2025-46653', '-f', 'json', '--cache-dir', osvCache])).stdout,
    );
    assert.equal(vuln.Vulnerability.Severity, 'LOW');
    assert.deepEqual(vuln.Vulnerability.VendorSeverity, { ghsa: 1 });
    assert.deepEqual(vuln.Vulnerability.CVSS, {
      ghsa: { V3Vector: 'CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:N/I:L/A:N', V3Score: 3.1 },
    });
    const go = JSON.parse(
      (await runVigil(['db', 'search', 'go', 'stdlib', '-f', 'json', '--cache-dir', osvCache])).stdout,
    );
    assert.deepEqual(go.Advisories[0].OSes, ['windows']);
    assert.equal(go.Advisories[0].DataSource.ID, 'govulndb');
    const pip = JSON.parse(
      (await runVigil(['db', 'search', 'pip', 'QuteBrowser', '-f', 'json', '--cache-dir', osvCache])).stdout,
    );
    assert.equal(pip.Advisories[0].VulnerabilityID, 'CVE-2018-10895');
    assert.equal(pip.Advisories[0].DataSource.Name, 'Python Packaging Advisory Database');
  });
});
