import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  directoryLayoutFiles,
  formatLocation,
  LayoutRepository,
  parseArtifactLocation,
  readLayoutIndex,
} from '../../src/airgap/store/index.ts';
import { isVigilError } from '../../src/errors/index.ts';
import { startTestRegistry } from '../helpers/registry.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { publishTrio, sampleDbArchive, vigil } from './air-gap-setup.ts';

const root = tempDir();
const registry = await startTestRegistry('noauth', join(root, 'registry'));
after(() => registry.stop());
const digests = await publishTrio(registry, 'aquasec', await sampleDbArchive(join(root, 'db'), new Date()));

/** The DB copied into an OCI layout by skopeo, the reference OCI tool. */
function skopeoLayout(): string {
  const dir = join(tempDir(), 'skopeo-layout');
  execFileSync(
    'skopeo',
    ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/aquasec/trivy-db:2`, `oci:${dir}:2`],
    {
      stdio: 'ignore',
    },
  );
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('expected a refusal'),
    (error: Error) => error,
  );
}

describe('OCI layouts and locations', () => {
  it('parses oci: and file: locations with tags and digests, and prints them back', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    for (const text of [
      'oci:/srv/mirror',
      'oci:/srv/mirror:2',
      `oci:/srv/mirror@${digest}`,
      'file:/media/b.tar',
      `file:/media/b.tar@${digest}`,
    ]) {
      assert.equal(formatLocation(parseArtifactLocation(text)), text);
    }
    assert.deepEqual(parseArtifactLocation('registry.local:5000/trivy/trivy-db'), {
      kind: 'registry',
      reference: { registry: 'registry.local:5000', repository: 'trivy/trivy-db' },
    });
    assert.throws(() => parseArtifactLocation('oci:/x@sha256:123'), /digest must be sha256/);
  });

  it('pulls the DB from a layout skopeo wrote, offline', async () => {
    const dir = skopeoLayout();
    const cache = tempDir();
    const pull = await vigil(['db', 'pull', '--offline', '--db-repository', `oci:${dir}`, '--cache-dir', cache]);
    assert.equal(pull.status, 0, pull.stderr);
    assert.match(pull.stdout, new RegExp(`from oci:${dir}:2 \\(${digests.db}\\)`));
    const missingTag = await vigil([
      'db',
      'pull',
      '--offline',
      '--db-repository',
      `oci:${dir}:nightly`,
      '--cache-dir',
      cache,
    ]);
    assert.equal(missingTag.status, 1);
    assert.match(missingTag.stderr, /has no tag nightly/);
    assert.match(missingTag.stderr, /hint: it holds: 2/);
  });

  it('refuses damaged or hostile layouts with a clear error', async () => {
    const dir = skopeoLayout();
    const files = directoryLayoutFiles(dir);
    const index = await readLayoutIndex(files);
    assert.ok(index);
    const repository = new LayoutRepository(files, index, `oci:${dir}`);
    const manifest = await repository.getManifest('2');
    const layer = manifest.manifest?.layers[0];
    assert.ok(layer);

    // A blob changed on disk fails its digest check.
    const blobFile = join(dir, 'blobs', 'sha256', layer.digest.slice(7));
    const bytes = readFileSync(blobFile);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    writeFileSync(blobFile, bytes);
    const changed = await rejection(repository.downloadBlob(layer, join(tempDir(), 'out')));
    assert.match(changed.message, /the content's digest is sha256:[0-9a-f]+, expected/);

    // A blob whose size differs from its descriptor is refused before it is read.
    writeFileSync(blobFile, bytes.subarray(1));
    const shorter = await rejection(repository.openBlob(layer));
    assert.ok(isVigilError(shorter) && shorter.code === 'BLOB_SIZE_MISMATCH', shorter.message);

    // Names that climb out of the layout are never opened.
    await assert.rejects(files.read('../../etc/passwd', 1024), /refusing the path/);
    const escaping = await rejection(repository.openBlob({ ...layer, digest: 'sha256/../../../etc/passwd' }));
    assert.match(escaping.message, /unsupported digest algorithm/);

    // A missing blob says so.
    for (const name of readdirSync(join(dir, 'blobs', 'sha256'))) {
      if (name === layer.digest.slice(7)) writeFileSync(join(dir, 'blobs', 'sha256', name), '');
    }
    const cache = tempDir();
    const pull = await vigil(['db', 'pull', '--db-repository', `oci:${dir}`, '--cache-dir', cache]);
    assert.equal(pull.status, 1);
    assert.match(pull.stderr, /has 0 bytes, its descriptor says \d+/);
  });

  it('says what a location is when it holds no layout or bundle', async () => {
    const empty = tempDir();
    const pull = await vigil(['db', 'pull', '--db-repository', `oci:${empty}`, '--cache-dir', tempDir()]);
    assert.equal(pull.status, 1);
    assert.match(pull.stderr, /neither it nor .*trivy-db holds an OCI layout \(index\.json\)/);
    const notBundle = join(empty, 'not-a-bundle.tar');
    writeFileSync(notBundle, 'hello');
    const file = await vigil(['db', 'pull', '--db-repository', `file:${notBundle}`, '--cache-dir', tempDir()]);
    assert.equal(file.status, 1);
    assert.match(file.stderr, /not-a-bundle\.tar/);
    const inspect = await vigil(['bundle', 'inspect', join(empty, 'absent.tar')]);
    assert.equal(inspect.status, 1);
    assert.match(inspect.stderr, /no such bundle file/);
  });
});
