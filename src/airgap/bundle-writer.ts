import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';
import { describeError, VigilError } from '../errors/index.ts';
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
  readonly #archive = pack();
  readonly #written: Promise<void>;
  readonly #blobs = new Set<string>();
  readonly #entries: IndexEntry[] = [];
  readonly #mtime: Date;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string, now: Date) {
    this.file = file;
    this.#mtime = now;
    this.#temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.#written = pipeline(this.#archive, createWriteStream(this.#temporary, { flags: 'wx' }));
    this.#written.catch(() => undefined);
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

  /** Writes a blob from a stream already verified by its source; `taps` see the same bytes. */
  writeBlob(descriptor: Descriptor, content: Readable, taps: readonly Writable[] = []): Promise<void> {
    return this.#serial(async () => {
      if (this.#blobs.has(descriptor.digest)) {
        content.destroy();
        for (const tap of taps) tap.destroy();
        return;
      }
      const entry = this.#archive.entry({
        name: blobPath(descriptor.digest),
        size: descriptor.size,
        mode: 0o644,
        mtime: this.#mtime,
      });
      for (const tap of taps) content.pipe(tap);
      // A tap must not wait forever for the end of a copy that failed.
      content.once('close', () => {
        for (const tap of taps) if (!tap.writableEnded) tap.destroy();
      });
      await pipeline(content, entry);
      this.#blobs.add(descriptor.digest);
    });
  }

  writeBytes(descriptor: Descriptor, bytes: Buffer): Promise<void> {
    return this.#serial(async () => {
      if (this.#blobs.has(descriptor.digest)) return;
      this.#archive.entry(
        { name: blobPath(descriptor.digest), size: bytes.length, mode: 0o644, mtime: this.#mtime },
        bytes,
      );
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
    await this.#serial(async () => {
      this.#archive.entry({ name: OCI_LAYOUT_FILE, mode: 0o644, mtime: this.#mtime }, OCI_LAYOUT_TEXT);
      this.#archive.entry({ name: 'index.json', mode: 0o644, mtime: this.#mtime }, `${JSON.stringify(index)}\n`);
      this.#archive.finalize();
    });
    try {
      await this.#written;
      const handle = await open(this.#temporary, 'r');
      await handle.sync().finally(() => handle.close());
      await rename(this.#temporary, this.file);
    } catch (error) {
      await rm(this.#temporary, { force: true });
      throw new VigilError('BUNDLE_WRITE_FAILED', `cannot write the bundle ${this.file}: ${describeError(error)}`, {
        hint: 'check the free space and permissions of the directory',
      });
    }
  }

  async abort(): Promise<void> {
    this.#archive.destroy();
    await this.#written.catch(() => undefined);
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
    const content = await source.openBlob(descriptor, options);
    await this.#bundle.writeBlob(descriptor, content, this.#taps?.(descriptor) ?? []);
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
