import type { Readable } from 'node:stream';
import { VigilError } from '../../errors/index.ts';
import type { BodySource } from '../../net/index.ts';
import type { Descriptor } from '../../oci/image/index.ts';
import {
  formatReference,
  isDigest,
  type Reference,
  type RegistryClient,
  RegistryError,
} from '../../oci/registry/index.ts';
import { storedManifest } from './stored-manifest.ts';
import type { ArtifactRepository, ArtifactRepositoryWriter, BlobReadOptions, StoredManifest } from './types.ts';

/** Blobs up to this size are uploaded from memory; larger ones stream from their source. */
const IN_MEMORY_BLOB_BYTES = 4 * 1024 * 1024;

function at(registry: string, repository: string, tagOrDigest: string): Reference {
  return isDigest(tagOrDigest)
    ? { registry, repository, digest: tagOrDigest }
    : { registry, repository, tag: tagOrDigest };
}

function isNotFound(error: unknown): boolean {
  return error instanceof RegistryError && error.status === 404;
}

/** A registry repository read through Vigil's registry client (mirrors, credentials, verified blobs). */
export class RegistryRepository implements ArtifactRepository {
  readonly description: string;
  readonly #client: RegistryClient;
  readonly #registry: string;
  readonly #repository: string;
  /** The host that served each manifest (a mirror, perhaps): its blobs are read from there. */
  readonly #servedBy = new Map<string, string>();

  constructor(client: RegistryClient, registry: string, repository: string) {
    this.#client = client;
    this.#registry = registry;
    this.#repository = repository;
    this.description = `${registry}/${repository}`;
  }

  async getManifest(tagOrDigest: string, signal?: AbortSignal): Promise<StoredManifest> {
    const fetched = await this.#client.getManifest(at(this.#registry, this.#repository, tagOrDigest), { signal });
    this.#servedBy.set(fetched.digest, fetched.reference.registry);
    return storedManifest(fetched.bytes, `manifest ${formatReference(fetched.reference)}`, fetched.digest);
  }

  async findManifest(tagOrDigest: string, signal?: AbortSignal): Promise<StoredManifest | undefined> {
    try {
      return await this.getManifest(tagOrDigest, signal);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  #blobReference(): Reference {
    // Any manifest of this run names the host that answers; blobs follow it.
    const host = this.#servedBy.values().next().value ?? this.#registry;
    return { registry: host, repository: this.#repository };
  }

  openBlob(descriptor: Descriptor, options: BlobReadOptions = {}): Promise<Readable> {
    return this.#client.openBlob(this.#blobReference(), descriptor, options);
  }

  blobSource(descriptor: Descriptor, options: BlobReadOptions = {}): BodySource {
    return this.#client.blobSource(this.#blobReference(), descriptor, options);
  }

  downloadBlob(descriptor: Descriptor, file: string, options: BlobReadOptions = {}): Promise<void> {
    return this.#client.downloadBlob(this.#blobReference(), descriptor, file, options);
  }

  async close(): Promise<void> {}
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface RegistryWriterOptions {
  /** Shared by the writers of one copy: digest → a repository of this registry that holds it. */
  readonly mounts?: Map<string, string>;
  /** Upload in PATCH chunks of this many bytes instead of one PUT. */
  readonly chunkSize?: number;
  /** Blobs up to this size are read whole before they are sent (default 4 MiB); larger ones stream. */
  readonly inMemoryBytes?: number;
}

/**
 * A registry repository written through the registry client: blobs the registry has are never
 * sent again, blobs another repository of the same copy holds are mounted, and the registry
 * checks every upload against its digest.
 */
export class RegistryWriter implements ArtifactRepositoryWriter {
  readonly description: string;
  /** A manifest's blobs go up side by side (the config's round trips hide behind the layer's upload). */
  readonly concurrentBlobs = 3;
  readonly #client: RegistryClient;
  readonly #registry: string;
  readonly #repository: string;
  readonly #mounts: Map<string, string>;
  readonly #chunkSize: number | undefined;
  readonly #inMemoryBytes: number;

  constructor(client: RegistryClient, registry: string, repository: string, options: RegistryWriterOptions = {}) {
    this.#client = client;
    this.#registry = registry;
    this.#repository = repository;
    this.#mounts = options.mounts ?? new Map();
    this.#chunkSize = options.chunkSize;
    this.#inMemoryBytes = options.inMemoryBytes ?? IN_MEMORY_BLOB_BYTES;
    this.description = `${registry}/${repository}`;
  }

  #reference(): Reference {
    return { registry: this.#registry, repository: this.#repository };
  }

  hasBlob(digest: string, signal?: AbortSignal): Promise<boolean> {
    return this.#client.blobExists(this.#reference(), digest, { signal });
  }

  async putBlob(
    descriptor: Descriptor,
    source: ArtifactRepository,
    options: BlobReadOptions = {},
  ): Promise<'exists' | 'stored'> {
    const { signal } = options;
    if (await this.hasBlob(descriptor.digest, signal)) {
      this.#mounts.set(descriptor.digest, this.#repository);
      return 'exists';
    }
    const push = {
      signal,
      mountFrom: this.#mounts.get(descriptor.digest),
      chunkSize: this.#chunkSize,
      knownAbsent: true,
    };
    const content = { digest: descriptor.digest, size: descriptor.size };
    const local = await source.localBlobRange?.(descriptor);
    if (local && local.size === descriptor.size) {
      // Sent as it lies on disk (a layout file, a bundle member): the registry checks the digest.
      const file = { ...content, file: local.path, offset: local.offset };
      await this.#client.pushBlob(this.#reference(), file, push).catch((error: unknown) => {
        if (error instanceof RegistryError && error.registryCodes.includes('DIGEST_INVALID')) {
          throw new VigilError(
            'DIGEST_MISMATCH',
            `blob ${descriptor.digest} of ${source.description}: the registry found other bytes than the digest names`,
            { hint: 'the layout or bundle was changed or damaged after it was written; copy it again', cause: error },
          );
        }
        throw error;
      });
    } else if (descriptor.size <= this.#inMemoryBytes) {
      // Small blobs are held whole, so that a failed upload can be sent again.
      const bytes = await readAll(await source.openBlob(descriptor, options));
      await this.#client.pushBlob(this.#reference(), { ...content, bytes }, push);
    } else {
      // Streamed from the source into the upload: both transfers at once, nothing on disk. Another
      // registry hands its socket bytes straight into the upload's buffers.
      const bodySource = source.blobSource?.(descriptor, options);
      const open = () => source.openBlob(descriptor, options);
      await this.#client.pushBlob(
        this.#reference(),
        bodySource ? { ...content, source: bodySource } : { ...content, open },
        push,
      );
    }
    this.#mounts.set(descriptor.digest, this.#repository);
    return 'stored';
  }

  async manifestDigest(tag: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      return (await this.#client.headManifest({ ...this.#reference(), tag }, { signal })).digest;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async putManifest(manifest: StoredManifest, tag: string | undefined, signal?: AbortSignal): Promise<void> {
    const reference =
      tag === undefined ? { ...this.#reference(), digest: manifest.digest } : { ...this.#reference(), tag };
    await this.#client.pushManifest(reference, manifest.bytes, manifest.mediaType, { signal });
  }

  async close(): Promise<void> {}
}
