import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { describeError, VigilError } from '../errors/index.ts';
import type { BodySource } from '../net/index.ts';
import { blobPath, type Descriptor, MEDIA_TYPES } from '../oci/image/index.ts';
import {
  type ArtifactRepository,
  type ArtifactRepositoryWriter,
  type BlobReadOptions,
  OCI_LAYOUT_FILE,
  OCI_LAYOUT_TEXT,
  REF_NAME_ANNOTATION,
  type StoredManifest,
} from './store/index.ts';
import { TarFileWriter } from './tar-file-writer.ts';

/** The annotations a bundle's index.json gives each artifact: what it is, where from, how old. */
export const BUNDLE_ANNOTATIONS = {
  kind: 'dev.vigil.bundle.kind',
  source: 'dev.vigil.bundle.source',
  schema: 'dev.vigil.bundle.schema',
  updatedAt: 'dev.vigil.bundle.updated-at',
  nextUpdate: 'dev.vigil.bundle.next-update',
  name: 'dev.vigil.bundle.name',
  url: 'dev.vigil.bundle.url',
  created: 'dev.vigil.bundle.created',
  format: 'dev.vigil.bundle.format',
} as const;

export const BUNDLE_FORMAT_VERSION = '1';

function writeFailed(file: string, error: unknown): VigilError {
  return new VigilError('BUNDLE_WRITE_FAILED', `cannot write the bundle ${file}: ${describeError(error)}`, {
    hint: 'check the free space and permissions of the directory',
  });
}

interface IndexEntry {
  refName: string | undefined;
  descriptor: Descriptor;
  annotations: Record<string, string>;
}

/**
 * Writes a bundle: an OCI image layout (oci-layout, index.json, blobs/sha256/…) streamed into one
 * uncompressed tar, so `tar -x` gives a layout skopeo and oras read, and Vigil reads it in place.
 * Repositories share the layout and name their tags `trivy-db:2`; the file appears under its name
 * only once it is complete.
 */
export class BundleWriter {
  readonly file: string;
  readonly #temporary: string;
  readonly #archive: Promise<TarFileWriter>;
  readonly #blobs = new Set<string>();
  readonly #entries: IndexEntry[] = [];
  readonly #mtime: Date;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string, now: Date) {
    this.file = file;
    this.#mtime = now;
    this.#temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.#archive = TarFileWriter.create(this.#temporary).catch((error: unknown) => {
      throw writeFailed(file, error);
    });
    this.#archive.catch(() => undefined);
  }

  /** Entries are written one after another: the tar stream takes one at a time. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  hasBlob(digest: string): boolean {
    return this.#blobs.has(digest);
  }

  /**
   * Writes a blob from a stream its source verifies (a wrong byte fails the stream, and so the
   * bundle); `taps` see the same bytes.
   */
  writeBlob(descriptor: Descriptor, content: Readable, taps: readonly Writable[] = []): Promise<void> {
    return this.#writeBlobOnce(
      descriptor,
      taps,
      (archive) => archive.addStream(blobPath(descriptor.digest), descriptor.size, content, this.#mtime, taps),
      () => content.destroy(),
    );
  }

  /** Writes a blob that a verifying body source writes (a registry's: a wrong byte fails it, and so the bundle). */
  writeBlobFrom(descriptor: Descriptor, source: BodySource, taps: readonly Writable[] = []): Promise<void> {
    return this.#writeBlobOnce(descriptor, taps, (archive) =>
      archive.addSource(blobPath(descriptor.digest), descriptor.size, source, this.#mtime, taps),
    );
  }

  /** One blob member, in turn and at most once per digest; `release` runs and the taps end whatever happens. */
  #writeBlobOnce(
    descriptor: Descriptor,
    taps: readonly Writable[],
    write: (archive: TarFileWriter) => Promise<void>,
    release: () => void = () => {},
  ): Promise<void> {
    return this.#serial(async () => {
      try {
        if (this.#blobs.has(descriptor.digest)) return;
        await write(await this.#archive);
        this.#blobs.add(descriptor.digest);
      } finally {
        release();
        // A tap must not wait forever for the end of a copy that failed.
        for (const tap of taps) if (!tap.writableEnded) tap.destroy();
      }
    });
  }

  writeBytes(descriptor: Descriptor, bytes: Buffer): Promise<void> {
    return this.#serial(async () => {
      if (this.#blobs.has(descriptor.digest)) return;
      await (await this.#archive).addBytes(blobPath(descriptor.digest), bytes, this.#mtime);
      this.#blobs.add(descriptor.digest);
    });
  }

  /** Lists a manifest in index.json under `repository:tag`, with bundle annotations. */
  addManifest(manifest: StoredManifest, refName: string | undefined, annotations: Record<string, string> = {}): void {
    const descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
    const existing = this.#entries.find(
      (entry) => entry.descriptor.digest === manifest.digest && (entry.refName === refName || refName === undefined),
    );
    if (existing) Object.assign(existing.annotations, annotations);
    else this.#entries.push({ refName, descriptor, annotations: { ...annotations } });
  }

  /** Adds annotations to the entries of a manifest (ages learnt while its layer streamed). */
  annotate(digest: string, annotations: Record<string, string>): void {
    for (const entry of this.#entries)
      if (entry.descriptor.digest === digest) Object.assign(entry.annotations, annotations);
  }

  /** One repository of the bundle as a copy target. */
  repository(name: string, layerTaps?: (descriptor: Descriptor) => Writable[]): ArtifactRepositoryWriter {
    return new BundleRepositoryWriter(this, name, layerTaps);
  }

  async finish(annotations: Record<string, string>): Promise<void> {
    const index = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: this.#entries.map((entry) => ({
        ...entry.descriptor,
        annotations: { ...(entry.refName ? { [REF_NAME_ANNOTATION]: entry.refName } : {}), ...entry.annotations },
      })),
      annotations,
    };
    try {
      await this.#serial(async () => {
        const archive = await this.#archive;
        await archive.addBytes(OCI_LAYOUT_FILE, Buffer.from(OCI_LAYOUT_TEXT), this.#mtime);
        await archive.addBytes('index.json', Buffer.from(`${JSON.stringify(index)}\n`), this.#mtime);
        // Flushed before it gets its name: the bundle is there whole, or not at all.
        await archive.finish();
      });
      await rename(this.#temporary, this.file);
    } catch (error) {
      await rm(this.#temporary, { force: true });
      throw error instanceof VigilError ? error : writeFailed(this.file, error);
    }
  }

  async abort(): Promise<void> {
    await this.#queue;
    await (await this.#archive.catch(() => undefined))?.close();
    await rm(this.#temporary, { force: true });
  }
}

class BundleRepositoryWriter implements ArtifactRepositoryWriter {
  readonly description: string;
  readonly #bundle: BundleWriter;
  readonly #name: string;
  readonly #taps: ((descriptor: Descriptor) => Writable[]) | undefined;

  constructor(bundle: BundleWriter, name: string, taps?: (descriptor: Descriptor) => Writable[]) {
    this.#bundle = bundle;
    this.#name = name;
    this.#taps = taps;
    this.description = `${bundle.file} (${name})`;
  }

  async hasBlob(digest: string): Promise<boolean> {
    return this.#bundle.hasBlob(digest);
  }

  async putBlob(
    descriptor: Descriptor,
    source: ArtifactRepository,
    options: BlobReadOptions = {},
  ): Promise<'exists' | 'stored'> {
    if (this.#bundle.hasBlob(descriptor.digest)) return 'exists';
    const taps = this.#taps?.(descriptor) ?? [];
    const direct = source.blobSource?.(descriptor, options);
    if (direct) {
      // A registry's socket bytes go straight into the bundle's write buffers.
      await this.#bundle.writeBlobFrom(descriptor, direct, taps);
      return 'stored';
    }
    const content = await source.openBlob(descriptor, options);
    await this.#bundle.writeBlob(descriptor, content, taps);
    return 'stored';
  }

  async manifestDigest(): Promise<string | undefined> {
    return undefined;
  }

  async putManifest(manifest: StoredManifest, tag: string | undefined): Promise<void> {
    await this.#bundle.writeBytes(
      { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length },
      manifest.bytes,
    );
    this.#bundle.addManifest(manifest, tag === undefined ? undefined : `${this.#name}:${tag}`);
  }

  async close(): Promise<void> {}
}
