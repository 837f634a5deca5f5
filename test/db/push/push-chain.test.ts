import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runGoTool } from '../../helpers/go-tools.ts';
import { startTestRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { runVigil } from '../../helpers/run-vigil.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { FIXTURES } from '../expected.ts';
import { sha256, skopeoManifest } from './registry-manifest.ts';

describe('vigil db build → db push → db pull → db search (the issue 4 chain)', () => {
  const dir = tempDir('vigil-db-push-');
  const cache = join(dir, 'cache');
  const archive = join(dir, 'db.tar.gz');
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry('noauth', join(dir, 'registry'));
  });
  after(() => registry?.stop());

  test('build the DB from the bolt-fixtures YAML', async () => {
    const run = await runVigil([
      'db',
      'build',
      '--from-fixtures',
      join(FIXTURES, 'integration'),
      '-o',
      archive,
      '--updated-at',
      '2026-01-02T03:04:05Z',
    ]);
    assert.equal(run.status, 0, run.stderr);
  });

  test("push it: Trivy's manifest, blobs the registry verified, the reference and digest printed", async () => {
    const reference = `${registry.host}/vigil/trivy-db`;
    const run = await runVigil(['db', 'push', archive, reference]);
    assert.equal(run.status, 0, run.stderr);
    const printed = run.stdout.trim();
    // A tagless reference gets the schema tag clients ask for.
    assert.match(printed, new RegExp(`^${registry.host.replace(/\./g, '\\.')}/vigil/trivy-db:2@sha256:[0-9a-f]{64}$`));
    const { raw, json } = skopeoManifest(`${reference}:2`, ['--tls-verify=false']);
    assert.equal(printed.split('@')[1], sha256(raw), 'the printed digest is the stored manifest digest');
    const layer = readFileSync(archive);
    assert.deepEqual(json, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.aquasec.trivy.config.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      layers: [
        {
          mediaType: 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip',
          digest: sha256(layer),
          size: layer.length,
          annotations: { 'org.opencontainers.image.title': 'db.tar.gz' },
        },
      ],
    });
    // The layer blob as stored equals the file.
    const blob = execFileSync('curl', ['-sf', `${registry.url}/v2/vigil/trivy-db/blobs/${sha256(layer)}`], {
      maxBuffer: 16 << 20,
    });
    assert.equal(sha256(blob), sha256(layer));
    // Pushing again changes nothing: same manifest digest, blobs already there.
    const again = await runVigil(['db', 'push', archive, `${reference}:2`, '--debug']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout.trim(), printed);
    assert.match(again.stderr, /db\.tar\.gz sha256:[0-9a-f]{64} \(\d+ bytes\): exists/);
  });

  test('db pull installs it, and bolt check accepts the pulled DB', async () => {
    const run = await runVigil([
      'db',
      'pull',
      '--db-repository',
      `${registry.host}/vigil/trivy-db:2`,
      '--cache-dir',
      cache,
    ]);
    assert.equal(run.status, 0, run.stderr);
    const dbFile = join(cache, 'db', 'trivy.db');
    assert.ok(statSync(dbFile).size > 0);
    assert.equal(runGoTool('bolt', ['check', dbFile]).trim(), 'OK');
    const metadata = JSON.parse(readFileSync(join(cache, 'db', 'metadata.json'), 'utf8'));
    assert.equal(metadata.Version, 2);
    assert.equal(metadata.UpdatedAt, '2026-01-02T03:04:05Z');
  });

  test("db search npm jquery on the pulled DB shows the fixtures' jquery advisories", async () => {
    const run = await runVigil(['db', 'search', 'npm', 'jquery', '--format', 'json', '--cache-dir', cache]);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    // test/fixtures/db/integration/nodejs.yaml: jquery has exactly these two GHSA advisories.
    assert.deepEqual(
      result.Advisories.map(
        (a: { VulnerabilityID: string; VulnerableVersions: string[]; PatchedVersions: string[] }) => [
          a.VulnerabilityID,
          a.VulnerableVersions,
          a.PatchedVersions,
        ],
      ),
      [
        ['CVE-2015-9251', ['< 3.0.0'], ['3.0.0']],
        ['CVE-2019-11358', ['< 3.4.0'], ['3.4.0']],
      ],
    );
    const table = await runVigil(['db', 'search', 'npm', 'jquery', '--cache-dir', cache]);
    assert.match(table.stdout, /^npm jquery: 2 advisories\n/);
  });
});
