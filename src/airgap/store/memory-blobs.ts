import { createReadStream, createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VigilError } from '../../errors/index.ts';
import type { Descriptor } from '../../oci/image/index.ts';
import { DigestVerifier, sha256Digest } from '../../oci/registry/index.ts';
import type { ArtifactRepository, StoredManifest } from './types.ts';
import type { FileRange } from './verified-range.ts';

/**
 * Blobs Vigil made itself (signature payloads, configs, archives packed from the cache), in memory
 * or in files it wrote, offered as a source to writers.
 */
export class MemoryBlobs implements ArtifactRepository {
  readonly description = 'generated content';
  readonly #blobs = new Map<string, Buffer>();
  readonly #files = new Map<string, string>();

  /** Adds the bytes; returns their descriptor. */
  add(bytes: Buffer, mediaType: string, annotations?: Record<string, string>): Descriptor {
    const digest = sha256Digest(bytes);
    this.#blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.length, ...(annotations ? { annotations } : {}) };
  }

  /** Adds a file whose digest and size the descriptor already states (checked again when read). */
  addFile(file: string, descriptor: Descriptor): Descriptor {
    this.#files.set(descriptor.digest, file);
    return descriptor;
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
    const file = this.#files.get(descriptor.digest);
    if (!file) return Readable.from([this.#get(descriptor)]);
    const verifier = new DigestVerifier(descriptor.digest, descriptor.size, `${file}`);
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    stream.on('error', (error) => verifier.destroy(error));
    return stream.pipe(verifier);
  }

  async downloadBlob(descriptor: Descriptor, file: string): Promise<void> {
    if (!this.#files.has(descriptor.digest)) {
      await writeFile(file, this.#get(descriptor), { flag: 'wx' });
      return;
    }
    try {
      await pipeline(await this.openBlob(descriptor), createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
  }

  async localBlobRange(descriptor: Descriptor): Promise<FileRange | undefined> {
    const path = this.#files.get(descriptor.digest);
    return path === undefined ? undefined : { path, offset: 0, size: descriptor.size };
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
