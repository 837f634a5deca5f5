import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from '../../src/net/index.ts';
import { parseReference, RegistryClient } from '../../src/oci/registry/index.ts';
import { renderDatabaseCoverage } from '../../src/report/index.ts';
import { startTestRegistry } from '../helpers/registry.ts';
import { makeJavaDbArchive, pushDbArtifact } from '../helpers/registry-db-artifact.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { SAMPLE_IMAGE, sampleDbArchive, vigil } from './air-gap-setup.ts';

const JAR = fileURLToPath(new URL('../fixtures/airgap/heuristic-1.0.0-SNAPSHOT.jar', import.meta.url));
const HOUR = 3_600_000;
const root = tempDir();
const registry = await startTestRegistry('noauth', join(root, 'registry'));
after(() => registry.stop());
const now = Date.now();
const http = createHttpClient({ retry: { attempts: 1 } });
const publisher = new RegistryClient({ http });
const dbDigest = await pushDbArtifact(
  publisher,
  parseReference(`${registry.host}/x/trivy-db:2`),
  await sampleDbArchive(join(root, 'db'), new Date(now - 2 * HOUR)),
  'db',
);
const javaDbDigest = await pushDbArtifact(
  publisher,
  parseReference(`${registry.host}/x/trivy-java-db:1`),
  await makeJavaDbArchive(join(root, 'java'), {
    updatedAt: new Date(now - 3 * HOUR),
    nextUpdate: new Date(now + 20 * HOUR),
  }),
  'java-db',
);
await http.close();
const repositories = [
  '--db-repository',
  `${registry.host}/x/trivy-db`,
  '--java-db-repository',
  `${registry.host}/x/trivy-java-db`,
];

/** A root file system holding one jar that only the Java DB could identify. */
function rootfsWithJar(): string {
  const dir = join(tempDir(), 'rootfs');
  mkdirSync(join(dir, 'opt', 'app'), { recursive: true });
  copyFileSync(JAR, join(dir, 'opt', 'app', 'heuristic-1.0.0-SNAPSHOT.jar'));
  return dir;
}

type Coverage = { Kind: string; Status: string; Reason?: string; [key: string]: unknown };
const databases = (stdout: string): Coverage[] => JSON.parse(stdout).Vigil.Databases;

describe('database coverage in every report', () => {
  it('names the DBs used, with schema, build time, age, digest and source; the Java DB is not needed without jars', async () => {
    const cache = tempDir();
    const scan = await vigil(['image', '--input', SAMPLE_IMAGE, ...repositories, '--cache-dir', cache, '-f', 'json']);
    assert.equal(scan.status, 0, scan.stderr);
    const [db, javaDb, checks] = databases(scan.stdout);
    assert.deepEqual(
      { ...db, UpdatedAt: undefined, NextUpdate: undefined, DownloadedAt: undefined, AgeSeconds: undefined },
      {
        Kind: 'db',
        Name: 'vulnerability DB',
        Status: 'used',
        Schema: 2,
        UpdatedAt: undefined,
        NextUpdate: undefined,
        DownloadedAt: undefined,
        AgeSeconds: undefined,
        Age: '2h0m',
        ManifestDigest: dbDigest,
        Repository: `${registry.host}/x/trivy-db:2`,
        Downloaded: true,
      },
    );
    assert.ok(Math.abs((db?.AgeSeconds as number) - 7200) < 60);
    assert.equal(Date.parse(db?.UpdatedAt as string), now - 2 * HOUR);
    assert.deepEqual(javaDb, {
      Kind: 'java-db',
      Name: 'Java DB',
      Status: 'not-needed',
      Reason: 'no jar, war, ear or par file was found',
    });
    assert.deepEqual(checks, {
      Kind: 'checks',
      Name: 'checks bundle',
      Status: 'skipped',
      Reason: '--scanners has no misconfig',
    });

    const table = await vigil(['image', '--input', SAMPLE_IMAGE, '--offline', '--cache-dir', cache]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(
      table.stdout,
      new RegExp(
        `\\nDatabases:\\n- vulnerability DB: used - schema 2, built \\S+, 2h0m ago, ${dbDigest}, from ${registry.host}/x/trivy-db:2\\n`,
      ),
    );
    assert.match(table.stdout, /- Java DB: not needed - no jar, war, ear or par file was found\n/);
  });

  it('says when the Java DB was wanted and missing, and when it was used', async () => {
    const cache = tempDir();
    const rootfs = rootfsWithJar();
    assert.equal((await vigil(['db', 'pull', ...repositories, '--cache-dir', cache])).status, 0);
    const missing = await vigil(['rootfs', rootfs, '--offline', '--cache-dir', cache, '-f', 'json']);
    assert.equal(missing.status, 0, missing.stderr);
    const unavailable = databases(missing.stdout)[1];
    assert.equal(unavailable?.Status, 'unavailable');
    assert.match(
      unavailable?.Reason ?? '',
      /java-db\/metadata\.json is missing.*jars were identified from their metadata only/,
    );

    const found = await vigil(['rootfs', rootfs, ...repositories, '--cache-dir', cache, '-f', 'json']);
    assert.equal(found.status, 0, found.stderr);
    const used = databases(found.stdout)[1];
    assert.equal(used?.Status, 'used');
    assert.equal(used?.Schema, 1);
    assert.equal(used?.ManifestDigest, javaDbDigest);
    assert.equal(used?.Age, '3h0m');
  });

  it('with misconfiguration scanning only, the DBs are skipped and the checks named', async () => {
    const cache = tempDir();
    const dir = tempDir();
    const scan = await vigil(['fs', dir, '--scanners', 'misconfig', '--offline', '--cache-dir', cache, '-f', 'json']);
    assert.equal(scan.status, 0, scan.stderr);
    assert.deepEqual(
      databases(scan.stdout).map((entry) => [entry.Kind, entry.Status, entry.Reason]),
      [
        ['db', 'skipped', '--scanners has no vuln'],
        ['java-db', 'skipped', '--scanners has no vuln'],
        ['checks', 'unavailable', databases(scan.stdout)[2]?.Reason],
      ],
    );
    assert.match(databases(scan.stdout)[2]?.Reason ?? '', /^the checks embedded in Vigil \(.+\) were used instead$/);
  });

  it('renders each status in the table', () => {
    assert.equal(
      renderDatabaseCoverage([
        { Kind: 'db', Name: 'vulnerability DB', Status: 'used', Schema: 2, UpdatedAt: 'T', Age: '1d2h', SignedBy: 'k' },
        { Kind: 'java-db', Name: 'Java DB', Status: 'unavailable', Reason: 'offline' },
        { Kind: 'checks', Name: 'checks bundle', Status: 'skipped' },
      ]),
      '\nDatabases:\n- vulnerability DB: used - schema 2, built T, 1d2h ago, signature verified\n' +
        '- Java DB: UNAVAILABLE - offline\n- checks bundle: skipped\n',
    );
    assert.equal(renderDatabaseCoverage([]), '');
  });
});
