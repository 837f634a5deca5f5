import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { VigilError } from '../../errors/index.ts';
import type { Descriptor } from '../../oci/image/index.ts';
import { sha256Digest } from '../../oci/registry/index.ts';
import type { ArtifactRepository, StoredManifest } from './types.ts';

/** Small blobs made in memory (signature payloads, configs, manifests) offered as a source to writers. */
export class MemoryBlobs implements ArtifactRepository {
  readonly description = 'generated content';
  readonly #blobs = new Map<string, Buffer>();

  /** Adds the bytes; returns their descriptor. */
  add(bytes: Buffer, mediaType: string, annotations?: Record<string, string>): Descriptor {
    const digest = sha256Digest(bytes);
    this.#blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.length, ...(annotations ? { annotations } : {}) };
  }

  #get(descriptor: Descriptor): Buffer {
    const bytes = this.#blobs.get(descriptor.digest);
    if (!bytes) throw new VigilError('BLOB_MISSING', `blob ${descriptor.digest} was not generated`);
    return bytes;
  }

  async getManifest(tagOrDigest: string): Promise<StoredManifest> {
    throw new VigilError('MANIFEST_MISSING', `no manifest ${tagOrDigest} among the generated content`);
  }

  async findManifest(): Promise<StoredManifest | undefined> {
    return undefined;
  }

  async openBlob(descriptor: Descriptor): Promise<Readable> {
    return Readable.from([this.#get(descriptor)]);
  }

  async downloadBlob(descriptor: Descriptor, file: string): Promise<void> {
    await writeFile(file, this.#get(descriptor), { flag: 'wx' });
  }

  async close(): Promise<void> {}
}

/** Reads a small blob whole, refusing one larger than `maxBytes`. */
export async function readSmallBlob(
  repository: ArtifactRepository,
  descriptor: Descriptor,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  if (descriptor.size > maxBytes) {
    throw new VigilError(
      'BLOB_TOO_LARGE',
      `blob ${descriptor.digest} of ${repository.description} is larger than ${maxBytes} bytes`,
      {
        hint: 'the artifact is not what it claims to be',
      },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await repository.openBlob(descriptor, { signal })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
