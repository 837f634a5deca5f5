import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BundleWriter } from '../../src/airgap/bundle-writer.ts';
import { copyManifest, emptyTally } from '../../src/airgap/copy-artifact.ts';
import {
  MemoryBlobs,
  openArtifactRepository,
  RegistryRepository,
  RegistryWriter,
  storedManifest,
} from '../../src/airgap/store/index.ts';
import { VigilError } from '../../src/errors/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import { createHttpClient } from '../../src/net/index.ts';
import { parseReference, RegistryClient, sha256Digest, staticCredentials } from '../../src/oci/registry/index.ts';
import { startTestRegistry, TEST_PASSWORD, TEST_USER } from '../helpers/registry.ts';
import { pushRawArtifact } from '../helpers/registry-db-artifact.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { type SeenRequest, startUploadFront } from './upload-front.ts';

// Large blobs go from a source registry straight into the upload, never through a file: these
// tests force that path with small blobs (in-memory limit 1 MiB) against real registries, the
// target wanting Bearer tokens from a token server.
const root = tempDir();
const [source, target] = await Promise.all([
  startTestRegistry('noauth', join(root, 'source')),
  startTestRegistry('token', join(root, 'target')),
]);
after(() => Promise.all([source.stop(), target.stop()]));
const front = await startUploadFront(target.url);
const http = createHttpClient({ retry: { attempts: 1 } });
after(() => http.close());
const credentials = staticCredentials([
  { kind: 'basic', username: TEST_USER, password: TEST_PASSWORD, origin: 'test' },
]);
const client = new RegistryClient({ http, credentials });
const IN_MEMORY = 1 << 20;

/** Publishes an artifact with one random layer of `size` bytes; returns the layer. */
async function publish(repository: string, size: number): Promise<Buffer> {
  const layer = randomBytes(size);
  const file = join(tempDir(), 'layer.bin');
  writeFileSync(file, layer);
  await pushRawArtifact(client, parseReference(`${source.host}/${repository}:1`), [
    { file, mediaType: 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip', title: 'db.tar.gz' },
  ]);
  return layer;
}

async function copy(repository: string, into: string, options: { chunkSize?: number } = {}) {
  const from = new RegistryRepository(client, source.host, repository);
  const writer = new RegistryWriter(client, front.host, into, { inMemoryBytes: IN_MEMORY, ...options });
  const manifest = await from.getManifest('1');
  const tally = emptyTally();
  await copyManifest(from, manifest, writer, '1', tally, { logger: silentLogger });
  return { manifest, tally };
}

async function targetBlob(repository: string, layer: Buffer): Promise<Buffer> {
  const descriptor = { mediaType: 'application/octet-stream', digest: sha256Digest(layer), size: layer.length };
  const chunks: Buffer[] = [];
  for await (const chunk of await client.openBlob(parseReference(`${target.host}/${repository}`), descriptor))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const uploadsOf = (repository: string, digest: string) =>
  front.requests.filter(
    (request) =>
      request.url.startsWith(`/v2/${repository}/blobs/uploads/`) &&
      (request.method === 'PATCH' || request.url.includes(digest.slice(7))),
  );
const methods = (requests: readonly SeenRequest[]) => requests.map((request) => request.method);

describe('blobs streamed from a registry into another', () => {
  it('sends a large blob in one PUT while it downloads, byte for byte, the token got by the upload session', async () => {
    const layer = await publish('up/one', 3 * IN_MEMORY + 123);
    const { manifest, tally } = await copy('up/one', 'down/one');
    assert.equal(tally.blobsStored, 2);
    // (Not skopeo: the token server runs in this process, and a synchronous child would block it.)
    const copied = await client.getManifest(parseReference(`${target.host}/down/one:1`));
    assert.ok(copied.bytes.equals(manifest.bytes), 'manifest bytes');
    assert.ok((await targetBlob('down/one', layer)).equals(layer), 'layer bytes');
    // The digest rides on the final PUT; there is exactly one, and no chunk.
    assert.deepEqual(methods(uploadsOf('down/one', sha256Digest(layer))), ['PUT']);
    // Asked once whether the target has it, not again by the upload.
    const heads = front.requests.filter(
      (request) => request.method === 'HEAD' && request.url.includes('/blobs/sha256:'),
    );
    assert.equal(heads.filter((request) => request.url.startsWith('/v2/down/one/')).length, 2, 'config and layer');
  });

  it('opens the blob again when the registry wants a wider token scope for the PUT, and the copy still lands', async () => {
    const layer = await publish('up/two', 2 * IN_MEMORY);
    const digest = sha256Digest(layer);
    const { tokenServer } = target;
    assert.ok(tokenServer);
    front.refuseOnce(
      (request) =>
        request.method === 'PUT' &&
        request.url.startsWith('/v2/down/two/blobs/uploads/') &&
        request.url.includes(digest.slice(7)),
      `Bearer realm="${tokenServer.realm}",service="${tokenServer.service}",scope="repository:down/two:pull,push repository:up/elsewhere:pull"`,
    );
    await copy('up/two', 'down/two');
    assert.deepEqual(
      methods(uploadsOf('down/two', digest)),
      ['PUT', 'PUT'],
      'refused once, then sent again from a new stream',
    );
    assert.ok((await targetBlob('down/two', layer)).equals(layer));
    assert.ok(
      tokenServer.requests.some((request) => request.scopes.includes('repository:up/elsewhere:pull')),
      'the wider scope was asked for',
    );
  });

  it('cuts a streamed blob into PATCH chunks when asked to', async () => {
    const layer = await publish('up/three', 2 * IN_MEMORY + 5);
    await copy('up/three', 'down/three', { chunkSize: IN_MEMORY });
    assert.deepEqual(methods(uploadsOf('down/three', sha256Digest(layer))), ['PATCH', 'PATCH', 'PATCH', 'PUT']);
    assert.ok((await targetBlob('down/three', layer)).equals(layer));
  });

  for (const chunkSize of [undefined, IN_MEMORY]) {
    it(`refuses a source serving other bytes than the digest names, and nothing lands (${chunkSize ? 'chunked' : 'one PUT'})`, async () => {
      const name = chunkSize ? 'chunked' : 'whole';
      const layer = await publish(`up/bad-${name}`, 2 * IN_MEMORY + 7);
      const hex = sha256Digest(layer).slice(7);
      // The source registry serves whatever its storage holds: one byte changed, same size.
      const stored = join(source.dir, 'data/docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
      const bytes = readFileSync(stored);
      bytes[IN_MEMORY + 3] = (bytes[IN_MEMORY + 3] as number) ^ 0xff;
      writeFileSync(stored, bytes);
      await assert.rejects(copy(`up/bad-${name}`, `down/bad-${name}`, { chunkSize }), (error: unknown) => {
        assert.ok(error instanceof VigilError, String(error));
        assert.equal(error.code, 'DIGEST_MISMATCH', error.message);
        return true;
      });
      const writer = new RegistryWriter(client, target.host, `down/bad-${name}`);
      assert.equal(await writer.hasBlob(sha256Digest(layer)), false, 'the blob did not land');
      assert.equal(await writer.manifestDigest('1'), undefined, 'no tag');
    });
  }
});

/** A bundle holding one artifact (tag trivy-db:2) whose layer is `layer`. */
async function makeBundle(layer: Buffer): Promise<string> {
  const file = join(tempDir(), 'bundle.tar');
  const blobs = new MemoryBlobs();
  const config = blobs.add(Buffer.from('{}'), 'application/vnd.aquasec.trivy.config.v1+json');
  const layerDescriptor = blobs.add(layer, 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip', {
    'org.opencontainers.image.title': 'db.tar.gz',
  });
  const manifest = storedManifest(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [layerDescriptor],
      }),
    ),
    'test manifest',
  );
  const bundle = new BundleWriter(file, new Date());
  await copyManifest(blobs, manifest, bundle.repository('trivy-db'), '2', emptyTally(), { logger: silentLogger });
  await bundle.finish({});
  return file;
}

async function copyBundle(file: string, into: string) {
  const from = await openArtifactRepository({ kind: 'bundle', path: file }, { repositoryName: 'trivy-db' });
  try {
    const writer = new RegistryWriter(client, front.host, into, { inMemoryBytes: IN_MEMORY });
    await copyManifest(from, await from.getManifest('2'), writer, '2', emptyTally(), { logger: silentLogger });
  } finally {
    await from.close();
  }
}

describe('blobs sent from a bundle', () => {
  it('sends a layer straight from its place in the bundle file, byte for byte', async () => {
    const layer = randomBytes(2 * IN_MEMORY + 99);
    await copyBundle(await makeBundle(layer), 'from/bundle');
    assert.deepEqual(methods(uploadsOf('from/bundle', sha256Digest(layer))), ['PUT']);
    assert.ok((await targetBlob('from/bundle', layer)).equals(layer));
  });

  it('a changed byte in the bundle is refused by the registry, and nothing lands', async () => {
    const layer = randomBytes(2 * IN_MEMORY + 99);
    const file = await makeBundle(layer);
    const bytes = readFileSync(file);
    const at = bytes.indexOf(layer.subarray(0, 256)) + IN_MEMORY;
    assert.ok(at > IN_MEMORY);
    bytes[at] = (bytes[at] as number) ^ 0x20;
    writeFileSync(file, bytes);
    await assert.rejects(copyBundle(file, 'from/tampered'), (error: unknown) => {
      assert.ok(error instanceof VigilError, String(error));
      assert.equal(error.code, 'DIGEST_MISMATCH');
      assert.match(error.message, /of file:.*bundle\.tar \(trivy-db\): the registry found other bytes/);
      return true;
    });
    const writer = new RegistryWriter(client, target.host, 'from/tampered');
    assert.equal(await writer.hasBlob(sha256Digest(layer)), false, 'the blob did not land');
    assert.equal(await writer.manifestDigest('2'), undefined, 'no tag');
  });
});
