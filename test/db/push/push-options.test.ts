import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkArtifactArchive, type DbArtifactKind } from '../../../src/db/build/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { startTestRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { makeChecksArchive, makeDbArchive, writeTarGz } from '../../helpers/registry-db-artifact.ts';
import { runVigil } from '../../helpers/run-vigil.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { sha256, skopeoManifest } from './registry-manifest.ts';

describe('vigil db push: other artifact kinds, credentials and TLS', () => {
  const dir = tempDir('vigil-db-push-auth-');
  const times = { updatedAt: new Date('2026-01-01T00:00:00Z'), nextUpdate: new Date('2026-01-02T00:00:00Z') };
  let registry: TestRegistry;
  let db = '';
  // skopeo trusts the *.crt files of a directory that holds no keys.
  const certDir = join(dir, 'skopeo-certs');
  before(async () => {
    registry = await startTestRegistry('tls-htpasswd', join(dir, 'registry'));
    mkdirSync(certDir);
    copyFileSync(registry.caFile as string, join(certDir, 'ca.crt'));
    db = await makeDbArchive(join(dir, 'db'), { ...times, marker: 'CVE-2026-4242' });
  });
  after(() => registry?.stop());

  test('a registry with a private CA and htpasswd: --cacert and --password-stdin', async () => {
    const reference = `${registry.host}/private/trivy-db:2`;
    const run = await runVigil(
      [
        'db',
        'push',
        db,
        reference,
        '--cacert',
        registry.caFile as string,
        '--username',
        registry.username,
        '--password-stdin',
      ],
      { input: `${registry.password}\n` },
    );
    assert.equal(run.status, 0, run.stderr);
    const { raw } = skopeoManifest(reference, [
      '--cert-dir',
      certDir,
      '--creds',
      `${registry.username}:${registry.password}`,
    ]);
    assert.equal(run.stdout.trim(), `${reference}@${sha256(raw)}`);
  });

  test('without credentials, or without trusting the CA, the push fails with one clear line', async () => {
    const reference = `${registry.host}/private/trivy-db:other`;
    const anonymous = await runVigil(['db', 'push', db, reference, '--cacert', registry.caFile as string]);
    assert.equal(anonymous.status, 1);
    assert.match(anonymous.stderr, /^error: .*(401|unauthori[sz]ed|denied|credentials)/im);
    const untrusted = await runVigil([
      'db',
      'push',
      db,
      reference,
      '--username',
      registry.username,
      '--password',
      registry.password,
    ]);
    assert.equal(untrusted.status, 1);
    assert.match(untrusted.stderr, /^error: .*(certificate|TLS)/im);
    assert.doesNotMatch(untrusted.stderr, /\n\s+at /, 'no stack trace');
  });

  test('a checks bundle gets the OPA media types and --annotation; --type overrides the file name', async () => {
    const bundle = await makeChecksArchive(join(dir, 'checks'));
    const auth = [
      '--cacert',
      registry.caFile as string,
      '--username',
      registry.username,
      '--password',
      registry.password,
    ];
    const run = await runVigil([
      'db',
      'push',
      bundle,
      `${registry.host}/private/trivy-checks`,
      '--annotation',
      'org.opencontainers.image.version=2.3.0',
      ...auth,
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\/private\/trivy-checks:latest@sha256:/);
    const creds = ['--cert-dir', certDir, '--creds', `${registry.username}:${registry.password}`];
    const { json } = skopeoManifest(`${registry.host}/private/trivy-checks:latest`, creds);
    assert.equal(json.config.mediaType, 'application/vnd.cncf.openpolicyagent.config.v1+json');
    assert.equal(json.layers[0]?.mediaType, 'application/vnd.cncf.openpolicyagent.layer.v1.tar+gzip');
    assert.equal(json.layers[0]?.annotations?.['org.opencontainers.image.title'], 'bundle.tar.gz');
    assert.deepEqual(json.annotations, { 'org.opencontainers.image.version': '2.3.0' });
    // A DB archive under any name, pushed as what it is.
    const renamed = join(dir, 'nightly-build.tgz');
    writeFileSync(renamed, readFileSync(db));
    const typed = await runVigil([
      'db',
      'push',
      renamed,
      `${registry.host}/private/nightly:2`,
      '--type',
      'db',
      ...auth,
    ]);
    assert.equal(typed.status, 0, typed.stderr);
    const nightly = skopeoManifest(`${registry.host}/private/nightly:2`, creds).json;
    assert.equal(nightly.layers[0]?.mediaType, 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip');
    assert.equal(nightly.layers[0]?.annotations?.['org.opencontainers.image.title'], 'db.tar.gz');
  });
});

describe('vigil db push refuses what no client could use, before any upload', () => {
  const dir = tempDir('vigil-db-push-refuse-');
  const times = { updatedAt: new Date('2026-01-01T00:00:00Z'), nextUpdate: new Date('2026-01-02T00:00:00Z') };
  // Nothing listens here: a refusal must come before any connection.
  const nowhere = '127.0.0.1:9/refused/trivy-db:2';

  const refused = (file: string, kind: DbArtifactKind, pattern: RegExp) =>
    assert.rejects(checkArtifactArchive(file, kind), (error: unknown) => {
      assert.ok(isVigilError(error), String(error));
      assert.match(error.message, pattern);
      return true;
    });

  test('the CLI says why in one line and exits 1', async () => {
    const text = join(dir, 'notes.tar.gz');
    writeFileSync(text, 'plain text, not an archive');
    const run = await runVigil(['db', 'push', text, nowhere]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^error: notes\.tar\.gz cannot be published: it is not a valid \.tar\.gz/m);
    assert.match(run.stderr, /^hint: build one with vigil db build$/m);
  });

  test('no trivy.db, no metadata.json, wrong schema version, not bbolt, not SQLite, missing file', async () => {
    const noDb = await writeTarGz(join(dir, 'no-db.tar.gz'), [{ name: 'metadata.json', content: '{"Version":2}' }]);
    await refused(noDb, 'db', /the archive has no trivy\.db/);
    const good = await makeDbArchive(join(dir, 'good'), times);
    assert.deepEqual(await checkArtifactArchive(good, 'db'), { files: 2, schemaVersion: 2 });
    const noMeta = await writeTarGz(join(dir, 'no-meta.tar.gz'), [
      { name: 'trivy.db', file: join(dir, 'good', 'trivy.db') },
    ]);
    await refused(noMeta, 'db', /the archive has no metadata\.json/);
    const v1 = await makeDbArchive(join(dir, 'v1'), { ...times, version: 1 });
    await refused(v1, 'db', /schema version 1, clients of this artifact read version 2/);
    const notBolt = await writeTarGz(join(dir, 'not-bolt.tar.gz'), [
      { name: 'trivy.db', content: Buffer.alloc(8192, 7) },
      { name: 'metadata.json', content: '{"Version":2}' },
    ]);
    await refused(notBolt, 'db', /trivy\.db is not a bbolt database/);
    const notSqlite = await writeTarGz(join(dir, 'javadb.tar.gz'), [
      { name: 'trivy-java.db', content: 'not sqlite' },
      { name: 'metadata.json', content: '{"Version":1}' },
    ]);
    await refused(notSqlite, 'java-db', /trivy-java\.db is not an SQLite database/);
    // A vulnerability DB archive is not a Java DB.
    await refused(good, 'java-db', /no trivy-java\.db/);
    await refused(join(dir, 'absent.tar.gz'), 'db', /no such file: .*absent\.tar\.gz/);
    const empty = await writeTarGz(join(dir, 'empty.tar.gz'), []);
    await refused(empty, 'checks', /holds no files/);
  });

  test('usage errors exit 2', async () => {
    const missingArg = await runVigil(['db', 'push', 'db.tar.gz']);
    assert.equal(missingArg.status, 2);
    const unknownKind = await runVigil(['db', 'push', join(dir, 'notes.txt'), nowhere]);
    assert.equal(unknownKind.status, 2);
    assert.match(unknownKind.stderr, /--type db\|java-db\|checks/);
    const badRef = await runVigil(['db', 'push', 'db.tar.gz', 'https://registry/x', '--type', 'db']);
    assert.equal(badRef.status, 2);
  });
});
