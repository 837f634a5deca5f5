import type { Readable } from 'node:stream';
import type { BodySource, TransferProgress } from '../../net/index.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../../oci/image/index.ts';
import type { FileRange } from './verified-range.ts';

/** A manifest or index exactly as stored, so that copies keep every byte (and so the digest). */
export interface StoredManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly manifest?: ImageManifest;
  readonly index?: ImageIndex;
}

export interface BlobReadOptions {
  readonly signal?: AbortSignal;
  readonly progress?: TransferProgress;
}

/**
 * One repository of OCI artifacts wherever it lives: a registry repository, an OCI layout
 * directory, or one repository inside a bundle file. Whatever it returns has been checked against
 * its digest (and size), so callers never handle unverified bytes.
 */
export interface ArtifactRepository {
  /** For messages and source records: `host/x/trivy-db`, `oci:/srv/layout`, `file:/media/bundle.tar (trivy-db)`. */
  readonly description: string;
  /** The manifest under a tag or digest; a missing one is an error that says what is there instead. */
  getManifest(tagOrDigest: string, signal?: AbortSignal): Promise<StoredManifest>;
  /** The same, but undefined when the repository has no such tag or digest (signature tags). */
  findManifest(tagOrDigest: string, signal?: AbortSignal): Promise<StoredManifest | undefined>;
  /** The blob as a stream that fails unless exactly the descriptor's bytes arrive. */
  openBlob(descriptor: Descriptor, options?: BlobReadOptions): Promise<Readable>;
  /**
   * The blob as an upload's body, when this repository can hand its bytes straight into the
   * upload's buffers (a registry): it fails unless exactly the descriptor's bytes come through.
   */
  blobSource?(descriptor: Descriptor, options?: BlobReadOptions): BodySource;
  /** The blob written to a new `file`, verified; on failure the file is removed. */
  downloadBlob(descriptor: Descriptor, file: string, options?: BlobReadOptions): Promise<void>;
  /**
   * Where the blob lies on local disk as stored (a file of a layout, a member of a bundle), when it
   * does; not yet verified: whoever reads it checks (a registry checks what it is sent).
   */
  localBlobRange?(descriptor: Descriptor): Promise<FileRange | undefined>;
  close(): Promise<void>;
}

/** What a copy writes to: a registry repository or an OCI layout directory. */
export interface ArtifactRepositoryWriter {
  readonly description: string;
  /** How many blobs may be stored at once (default 1: one after another). */
  readonly concurrentBlobs?: number;
  hasBlob(digest: string, signal?: AbortSignal): Promise<boolean>;
  /** Stores the blob read from `source` unless it is there already. */
  putBlob(descriptor: Descriptor, source: ArtifactRepository, options?: BlobReadOptions): Promise<'exists' | 'stored'>;
  /** The digest of the manifest under `tag`, undefined when there is none. */
  manifestDigest(tag: string, signal?: AbortSignal): Promise<string | undefined>;
  /** Stores the manifest bytes as they are, under `tag` (or only by digest when undefined). */
  putManifest(manifest: StoredManifest, tag: string | undefined, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
