import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDpkgStatus } from '../../../src/analyzer/pkg/index.ts';
import { parseTxtar } from './txtar.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/analyzer-pkg/', import.meta.url));
const read = (path: string) => readFileSync(`${fixtures}${path}`, 'utf8');

// The states in which dpkg has put a package's files on disk.
const PRESENT = new Set(['installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);

/** What dpkg itself says about a status file: name, version, source name and version, arch, maintainer. */
function dpkgQuery(status: string): string[] {
  const admin = mkdtempSync(join(tmpdir(), 'vigil-dpkg-'));
  try {
    writeFileSync(join(admin, 'status'), status);
    const columns = [
      'db:Status-Status',
      'Package',
      'Version',
      'source:Package',
      'source:Version',
      'Architecture',
      'Maintainer',
    ];
    const format = `${columns.map((name) => `\${${name}}`).join('\t')}\n`;
    const run = spawnSync('dpkg-query', [`--admindir=${admin}`, '-W', `-f=${format}`], { encoding: 'utf8' });
    assert.equal(run.error, undefined, 'dpkg-query must be installed (Debian package dpkg)');
    assert.equal(run.status, 0, run.stderr);
    return run.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t'))
      .filter(([state]) => PRESENT.has(state ?? ''))
      .map((columns) => columns.slice(1).join('\t'))
      .sort();
  } finally {
    rmSync(admin, { recursive: true, force: true });
  }
}

const joinVersion = (epoch: number | undefined, version: string | undefined, release: string | undefined) =>
  `${epoch ? `${epoch}:` : ''}${version ?? ''}${release ? `-${release}` : ''}`;

function vigil(status: string): string[] {
  return parseDpkgStatus(status, { requireStatus: true })
    .packages.map((pkg) =>
      [
        pkg.Name,
        (pkg.ID ?? '').slice(pkg.Name.length + 1),
        pkg.SrcName,
        joinVersion(pkg.SrcEpoch, pkg.SrcVersion, pkg.SrcRelease),
        pkg.Arch ?? '',
        pkg.Maintainer ?? '',
      ].join('\t'),
    )
    .sort();
}

const statusFiles: [string, string][] = [
  ['real Debian 12 status (752 packages, 67 binNMU sources)', read('debian12-root/var/lib/dpkg/status')],
  ['Trivy valid.txtar (Ubuntu 18.04)', parseTxtar(read('trivy/dpkg/valid.txtar'))['var/lib/dpkg/status'] ?? ''],
  ['Trivy third-party.txtar (epoch)', parseTxtar(read('trivy/dpkg/third-party.txtar'))['var/lib/dpkg/status'] ?? ''],
  ['osv-scalibr valid (Debian 12)', read('osv-scalibr/dpkg/valid')],
  ['osv-scalibr statusfield (every dpkg state)', read('osv-scalibr/dpkg/statusfield')],
  ['osv-scalibr transitional packages', read('osv-scalibr/dpkg/transitional_dummy')],
];

test('installed packages, versions and source packages agree with dpkg-query on the same status file', async (t) => {
  for (const [name, status] of statusFiles) {
    await t.test(name, () => {
      const oracle = dpkgQuery(status);
      assert.ok(oracle.length > 0);
      assert.deepEqual(vigil(status), oracle);
    });
  }
});
