import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startTestRegistry, TEST_PASSWORD, TEST_USER } from '../helpers/registry.ts';
import { VIGIL_BIN } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { makeKeyPair, publishTrio, repositoryFlags, sampleDbArchive, skopeoRaw, vigil } from './air-gap-setup.ts';
import { startUploadFront } from './upload-front.ts';

const root = tempDir();
// The public registry stands in as a plain loopback registry; the private one wants a password.
const [upstream, mirror] = await Promise.all([
  startTestRegistry('noauth', join(root, 'upstream')),
  startTestRegistry('htpasswd', join(root, 'mirror')),
]);
after(() => Promise.all([upstream.stop(), mirror.stop()]));
const credentials = ['--username', TEST_USER, '--password', TEST_PASSWORD];
const creds = `${TEST_USER}:${TEST_PASSWORD}`;
const keys = makeKeyPair(join(root, 'keys'), 'vigil');
const otherKeys = makeKeyPair(join(root, 'keys'), 'other');
const digests = await publishTrio(
  upstream,
  'aquasec',
  await sampleDbArchive(join(root, 'db'), new Date(Date.now() - 3_600_000)),
);
const signed = await vigil(['db', 'sign', '--key', keys.key, `${upstream.host}/aquasec/trivy-db:2`]);
assert.equal(signed.status, 0, signed.stderr);
const signatureTag = `${digests.db.replace(':', '-')}.sig`;
const ARTIFACTS = [
  ['trivy-db', '2'],
  ['trivy-java-db', '1'],
  ['trivy-checks', '2'],
  ['trivy-db', signatureTag],
] as const;

describe('vigil mirror', () => {
  it('copies the three artifacts byte for byte into a registry with a password, tags and signature included', async () => {
    const cache = tempDir();
    const run = await vigil([
      'mirror',
      '--to',
      `${mirror.host}/internal/trivy`,
      ...repositoryFlags(upstream.host, 'aquasec'),
      ...credentials,
      '--cache-dir',
      cache,
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`vulnerability DB: .* -> ${mirror.host}/internal/trivy/trivy-db:2 \\(${digests.db}\\)`),
    );
    assert.match(run.stdout, /Java DB: .*trivy-java-db:1/);
    assert.match(run.stdout, /checks bundle: .*trivy-checks:2/);
    assert.match(run.stdout, /signatures copied/);
    for (const [repository, tag] of ARTIFACTS) {
      const source = skopeoRaw(`docker://${upstream.host}/aquasec/${repository}:${tag}`);
      const copy = skopeoRaw(`docker://${mirror.host}/internal/trivy/${repository}:${tag}`, creds);
      assert.ok(copy.equals(source), `${repository}:${tag} is byte-identical`);
    }

    // Vigil pulls from the mirror, checking the signature that came along.
    const pull = await vigil([
      'db',
      'pull',
      '--db-repository',
      `${mirror.host}/internal/trivy/trivy-db`,
      '--db-signature-key',
      keys.pub,
      ...credentials,
      '--cache-dir',
      cache,
    ]);
    assert.equal(pull.status, 0, pull.stderr);
    assert.match(
      pull.stdout,
      new RegExp(`downloaded from ${mirror.host}/internal/trivy/trivy-db:2 \\(${digests.db}\\)`),
    );
    assert.match(pull.stderr, /is signed by/);
    const others = await vigil([
      'db',
      'pull',
      '--java',
      '--checks',
      ...repositoryFlags(mirror.host, 'internal/trivy'),
      ...credentials,
      '--cache-dir',
      cache,
    ]);
    assert.equal(others.status, 0, others.stderr);
    const status = JSON.parse((await vigil(['db', 'status', '--format', 'json', '--cache-dir', cache])).stdout);
    assert.deepEqual(
      status.Artifacts.map((artifact: { ManifestDigest: string }) => artifact.ManifestDigest),
      [digests.db, digests['java-db'], digests.checks],
    );
  });

  it('sends nothing the second time (idempotent), not even a blob upload session', async () => {
    const front = await startUploadFront(mirror.url);
    const args = [
      'mirror',
      '--to',
      `${front.host}/again`,
      ...repositoryFlags(upstream.host, 'aquasec'),
      ...credentials,
    ];
    const first = await vigil([...args, '--cache-dir', tempDir()]);
    assert.equal(first.status, 0, first.stderr);
    assert.ok(front.writes().length > 0);
    const before = front.requests.length;
    const second = await vigil([...args, '--cache-dir', tempDir()]);
    assert.equal(second.status, 0, second.stderr);
    assert.equal((second.stdout.match(/already there, nothing sent/g) ?? []).length, 3, second.stdout);
    assert.deepEqual(
      front.requests.slice(before).filter((request) => request.method !== 'GET' && request.method !== 'HEAD'),
      [],
    );
  });

  it('resumes a killed copy without sending again the blobs that arrived', async () => {
    const front = await startUploadFront(mirror.url);
    const prefix = 'resumed';
    // The Java DB's layer upload never completes: the copy hangs there until it is killed.
    front.hang(
      (request) => request.method === 'PUT' && request.url.includes(`/${prefix}/trivy-java-db/blobs/uploads/`),
    );
    const args = [
      'mirror',
      '--to',
      `${front.host}/${prefix}`,
      ...repositoryFlags(upstream.host, 'aquasec'),
      ...credentials,
    ];
    const home = tempDir();
    const child = spawn(VIGIL_BIN, [...args, '--cache-dir', join(home, 'cache')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await front.held();
    child.kill('SIGKILL');
    await exited;
    assert.ok(
      skopeoRaw(`docker://${mirror.host}/${prefix}/trivy-db:2`, creds).length > 0,
      'the DB arrived before the kill',
    );
    assert.throws(() => skopeoRaw(`docker://${mirror.host}/${prefix}/trivy-java-db:1`, creds), 'no Java DB tag yet');

    front.hang(() => false);
    const before = front.requests.length;
    const resumed = await vigil([...args, '--cache-dir', tempDir()]);
    assert.equal(resumed.status, 0, resumed.stderr);
    const sent = front.requests.slice(before).filter((request) => ['POST', 'PUT', 'PATCH'].includes(request.method));
    assert.deepEqual(
      sent.filter((request) => request.url.includes(`/${prefix}/trivy-db/`)),
      [],
      'nothing of the DB, its signature included, is sent again',
    );
    // The layer whose upload was cut is sent once. (The small config may be sent too: blobs of one
    // manifest go up together, so the kill can come before the config landed.)
    const javaManifest = JSON.parse(skopeoRaw(`docker://${upstream.host}/aquasec/trivy-java-db:1`).toString()) as {
      layers: { digest: string }[];
    };
    const layerHex = (javaManifest.layers[0]?.digest ?? '').replace('sha256:', '');
    assert.match(layerHex, /^[0-9a-f]{64}$/);
    const javaUploads = sent.filter(
      (request) => request.method === 'PUT' && request.url.includes(`/${prefix}/trivy-java-db/blobs/uploads/`),
    );
    assert.equal(
      javaUploads.filter((request) => request.url.includes(layerHex)).length,
      1,
      `the Java DB layer is uploaded once: ${JSON.stringify(javaUploads)}`,
    );
    assert.ok(javaUploads.length <= 2, 'at most the layer and the config');
    for (const [repository, tag] of ARTIFACTS) {
      const source = skopeoRaw(`docker://${upstream.host}/aquasec/${repository}:${tag}`);
      assert.ok(skopeoRaw(`docker://${mirror.host}/${prefix}/${repository}:${tag}`, creds).equals(source));
    }
  });

  it('writes OCI layouts skopeo reads, which oci:DIR then serves to db pull with no network', async () => {
    const dir = join(tempDir(), 'usb');
    const run = await vigil(['mirror', '--to', `oci:${dir}`, ...repositoryFlags(upstream.host, 'aquasec')]);
    assert.equal(run.status, 0, run.stderr);
    for (const [repository, tag] of ARTIFACTS) {
      const source = skopeoRaw(`docker://${upstream.host}/aquasec/${repository}:${tag}`);
      assert.ok(skopeoRaw(`oci:${join(dir, repository)}:${tag}`).equals(source), `${repository}:${tag}`);
    }
    const again = await vigil(['mirror', '--to', `oci:${dir}`, ...repositoryFlags(upstream.host, 'aquasec')]);
    assert.equal((again.stdout.match(/already there, nothing sent/g) ?? []).length, 3, again.stdout);

    const cache = tempDir();
    const pull = await vigil([
      'db',
      'pull',
      '--java',
      '--checks',
      '--offline',
      '--db-repository',
      `oci:${dir}`,
      '--java-db-repository',
      `oci:${dir}`,
      '--checks-bundle-repository',
      `oci:${dir}/trivy-checks:2`,
      '--db-signature-key',
      keys.pub,
      '--cache-dir',
      cache,
    ]);
    // The signature key covers every artifact of the pull: the unsigned Java DB is refused.
    assert.equal(pull.status, 1);
    assert.match(pull.stderr, /Java DB \(sha256:[0-9a-f]+\) is not signed/);
    const unsignedOk = await vigil([
      'db',
      'pull',
      '--java',
      '--offline',
      '--db-repository',
      `oci:${dir}`,
      '--java-db-repository',
      `oci:${dir}/trivy-java-db`,
      '--cache-dir',
      cache,
    ]);
    assert.equal(unsignedOk.status, 0, unsignedOk.stderr);
    assert.match(unsignedOk.stdout, new RegExp(`vulnerability DB: .* from oci:${dir}:2 \\(${digests.db}\\)`));
    assert.match(unsignedOk.stdout, new RegExp(`Java DB: .* \\(${digests['java-db']}\\)`));
  });

  it('refuses to copy an artifact that is unsigned, or signed only by another key', async () => {
    const target = `${mirror.host}/refused`;
    const other = await vigil([
      'mirror',
      '--db',
      '--to',
      target,
      ...repositoryFlags(upstream.host, 'aquasec'),
      '--db-signature-key',
      otherKeys.pub,
      ...credentials,
    ]);
    assert.equal(other.status, 1);
    assert.match(other.stderr, /failed signature verification: none of its 1 signature\(s\) is by .*other\.pub/);
    const unsigned = await vigil([
      'mirror',
      '--java-db',
      '--to',
      target,
      ...repositoryFlags(upstream.host, 'aquasec'),
      '--db-signature-key',
      keys.pub,
      ...credentials,
    ]);
    assert.equal(unsigned.status, 1);
    assert.match(unsigned.stderr, /Java DB \(sha256:[0-9a-f]+\) is not signed/);
    assert.throws(() => skopeoRaw(`docker://${target}/trivy-db:2`, creds));
    assert.throws(() => skopeoRaw(`docker://${target}/trivy-java-db:1`, creds));
  });
});
