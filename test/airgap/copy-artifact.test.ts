import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyManifest, emptyTally } from '../../src/airgap/copy-artifact.ts';
import {
  type ArtifactRepository,
  type ArtifactRepositoryWriter,
  MemoryBlobs,
  type StoredManifest,
  storedManifest,
} from '../../src/airgap/store/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import type { Descriptor } from '../../src/oci/image/index.ts';

// The scheduling of blob copies, seen from a writer that records what it is asked to do: how
// many blobs it stores at once is not observable through a registry.
class RecordingWriter implements ArtifactRepositoryWriter {
  readonly description = 'recording writer';
  readonly concurrentBlobs: number;
  readonly started: string[] = [];
  readonly manifests: string[] = [];
  running = 0;
  mostAtOnce = 0;
  readonly #failing: string | undefined;

  constructor(concurrentBlobs: number, failing?: string) {
    this.concurrentBlobs = concurrentBlobs;
    this.#failing = failing;
  }

  async hasBlob(): Promise<boolean> {
    return false;
  }

  async putBlob(descriptor: Descriptor, source: ArtifactRepository): Promise<'exists' | 'stored'> {
    this.started.push(descriptor.digest);
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      for await (const _chunk of await source.openBlob(descriptor)) {
        // Read through the source's digest check.
      }
      if (descriptor.digest === this.#failing) throw new Error('refused');
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 'stored';
    } finally {
      this.running--;
    }
  }

  async manifestDigest(): Promise<string | undefined> {
    return undefined;
  }

  async putManifest(manifest: StoredManifest): Promise<void> {
    this.manifests.push(manifest.digest);
  }

  async close(): Promise<void> {}
}

function artifact(layerCount: number) {
  const blobs = new MemoryBlobs();
  const config = blobs.add(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
  const layers = Array.from({ length: layerCount }, (_, index) =>
    blobs.add(Buffer.from(`layer ${index}`), 'application/octet-stream'),
  );
  const bytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers }),
  );
  return { blobs, manifest: storedManifest(bytes, 'test'), config, layers };
}

describe('copyManifest', () => {
  it('stores as many blobs at once as the writer takes, each once, and the manifest last', async () => {
    const { blobs, manifest, config, layers } = artifact(5);
    const writer = new RecordingWriter(3);
    const tally = emptyTally();
    await copyManifest(blobs, manifest, writer, 'v1', tally, { logger: silentLogger });
    assert.equal(writer.mostAtOnce, 3);
    assert.deepEqual([...writer.started].sort(), [config, ...layers].map((blob) => blob.digest).sort());
    assert.deepEqual(writer.manifests, [manifest.digest]);
    assert.equal(tally.blobsStored, 6);
  });

  it('one after another by default', async () => {
    const { blobs, manifest } = artifact(3);
    const writer = new RecordingWriter(1);
    await copyManifest(blobs, manifest, writer, 'v1', emptyTally(), { logger: silentLogger });
    assert.equal(writer.mostAtOnce, 1);
  });

  it('after a failure starts no new blob, lets the running ones finish, and writes no manifest', async () => {
    const { blobs, manifest, config, layers } = artifact(6);
    const writer = new RecordingWriter(2, config.digest);
    await assert.rejects(
      copyManifest(blobs, manifest, writer, 'v1', emptyTally(), { logger: silentLogger }),
      /refused/,
    );
    // The config (first) fails while layer 0 runs beside it; nothing after those two starts.
    assert.deepEqual(writer.started, [config.digest, (layers[0] as Descriptor).digest]);
    assert.equal(writer.running, 0, 'nothing left running');
    assert.deepEqual(writer.manifests, []);
  });
});
