import type { Readable } from 'node:stream';
import { VigilError } from '../../errors/index.ts';
import { noProgress } from '../../net/index.ts';
import { blobPath, type Descriptor, type ImageIndex } from '../../oci/image/index.ts';
import {
  assertSha256Digest,
  DigestVerifier,
  isDigest,
  MAX_MANIFEST_BYTES,
  parseManifestDocument,
} from '../../oci/registry/index.ts';
import type { LayoutFiles } from './layout-files.ts';
import { storedManifest } from './stored-manifest.ts';
import type { ArtifactRepository, BlobReadOptions, StoredManifest } from './types.ts';
import { copyVerifiedRange, type FileRange } from './verified-range.ts';

/** The annotation an OCI layout names its tags with. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
export const OCI_LAYOUT_FILE = 'oci-layout';
export const OCI_LAYOUT_TEXT = '{"imageLayoutVersion":"1.0.0"}';
const MAX_INDEX_BYTES = 16 * 1024 * 1024;

function layoutInvalid(where: string, why: string): VigilError {
  return new VigilError('LAYOUT_INVALID', `${where} is not a usable OCI layout: ${why}`, {
    hint: 'give a directory written by vigil mirror --to oci:DIR, skopeo copy or oras, or a file from vigil bundle create',
  });
}

function blobMissing(what: string): VigilError {
  return new VigilError('LAYOUT_BLOB_MISSING', `${what} is missing`, {
    hint: 'the layout or bundle is incomplete; copy it again',
  });
}

function sizeMismatch(what: string, size: number, expected: number): VigilError {
  return new VigilError('BLOB_SIZE_MISMATCH', `${what} has ${size} bytes, its descriptor says ${expected}`, {
    hint: 'the layout or bundle was changed or damaged after it was written',
  });
}

/** index.json of a layout, checked; undefined when the layout has none. */
export async function readLayoutIndex(files: LayoutFiles): Promise<ImageIndex | undefined> {
  const bytes = await files.read('index.json', MAX_INDEX_BYTES);
  if (!bytes) return undefined;
  const { document } = parseManifestDocument(bytes, undefined, `${files.description}/index.json`);
  if (document.kind !== 'index') throw layoutInvalid(files.description, 'index.json is not an image index');
  return document.index;
}

/** `repository:tag` (bundles hold several repositories) or a bare tag (one repository per layout). */
function refTag(refName: string, scope: string | undefined): string | undefined {
  if (scope === undefined) return refName;
  return refName.startsWith(`${scope}:`) ? refName.slice(scope.length + 1) : undefined;
}

/** The tags a layout holds for a repository (`scope`), with their manifest descriptors. */
export function layoutTags(index: ImageIndex, scope: string | undefined): Map<string, Descriptor> {
  const tags = new Map<string, Descriptor>();
  for (const descriptor of index.manifests) {
    const name = descriptor.annotations?.[REF_NAME_ANNOTATION];
    const tag = name === undefined ? undefined : refTag(name, scope);
    if (tag !== undefined && !tags.has(tag)) tags.set(tag, descriptor);
  }
  return tags;
}

/** Reads a blob of a layout as a verified stream. */
export async function openLayoutBlob(
  files: LayoutFiles,
  descriptor: Descriptor,
  where: string,
  options: BlobReadOptions = {},
): Promise<Readable> {
  const what = `blob ${descriptor.digest} of ${where}`;
  assertSha256Digest(descriptor.digest, what);
  const name = blobPath(descriptor.digest);
  const size = await files.size(name);
  if (size === undefined) throw blobMissing(what);
  if (size !== descriptor.size) throw sizeMismatch(what, size, descriptor.size);
  const stream = (await files.open(name)) as Readable;
  const progress = options.progress ?? noProgress;
  progress.start(descriptor.annotations?.['org.opencontainers.image.title'] ?? descriptor.digest.slice(7, 19), size);
  const verifier = new DigestVerifier(descriptor.digest, descriptor.size, what, (count) => progress.advance(count));
  stream.on('error', (error) => verifier.destroy(error));
  verifier.on('close', () => {
    progress.done();
    stream.destroy();
  });
  options.signal?.addEventListener('abort', () => verifier.destroy(options.signal?.reason as Error), { once: true });
  stream.pipe(verifier);
  return verifier;
}

/**
 * One repository of an OCI layout. A layout written by `mirror --to oci:` or by skopeo holds one
 * repository and names tags plainly (`2`); a bundle holds several and names them `trivy-db:2`,
 * so a bundle's repositories are read with their name as `scope`.
 */
export class LayoutRepository implements ArtifactRepository {
  readonly description: string;
  readonly files: LayoutFiles;
  readonly index: ImageIndex;
  readonly #scope: string | undefined;
  readonly #ownsFiles: boolean;

  constructor(files: LayoutFiles, index: ImageIndex, description: string, scope?: string, ownsFiles = true) {
    this.files = files;
    this.index = index;
    this.description = description;
    this.#scope = scope;
    this.#ownsFiles = ownsFiles;
  }

  tags(): Map<string, Descriptor> {
    return layoutTags(this.index, this.#scope);
  }

  async getManifest(tagOrDigest: string): Promise<StoredManifest> {
    const found = await this.findManifest(tagOrDigest);
    if (found) return found;
    const tags = [...this.tags().keys()].filter((tag) => !tag.endsWith('.sig'));
    throw new VigilError(
      'ARTIFACT_NOT_FOUND',
      `${this.description} has no ${isDigest(tagOrDigest) ? 'manifest ' : 'tag '}${tagOrDigest}`,
      { hint: tags.length > 0 ? `it holds: ${tags.join(', ')}` : 'it holds no tagged artifact' },
    );
  }

  async findManifest(tagOrDigest: string): Promise<StoredManifest | undefined> {
    const where = `${this.description}${isDigest(tagOrDigest) ? '@' : ':'}${tagOrDigest}`;
    let digest: string;
    if (isDigest(tagOrDigest)) digest = tagOrDigest;
    else {
      const descriptor = this.tags().get(tagOrDigest);
      if (!descriptor) return undefined;
      digest = descriptor.digest;
    }
    assertSha256Digest(digest, where);
    const bytes = await this.files.read(blobPath(digest), MAX_MANIFEST_BYTES);
    if (!bytes) {
      if (isDigest(tagOrDigest)) return undefined;
      throw new VigilError('LAYOUT_BLOB_MISSING', `${where}: the manifest blob ${digest} is missing`, {
        hint: 'the layout or bundle is incomplete; copy it again',
      });
    }
    return storedManifest(bytes, `manifest ${where}`, digest);
  }

  openBlob(descriptor: Descriptor, options: BlobReadOptions = {}): Promise<Readable> {
    return openLayoutBlob(this.files, descriptor, this.description, options);
  }

  async downloadBlob(descriptor: Descriptor, file: string, options: BlobReadOptions = {}): Promise<void> {
    try {
      await copyVerifiedRange(await this.#blobRange(descriptor), descriptor, this.#blobName(descriptor), file, options);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
  }

  /** Reads the blob through its digest and size check, keeping nothing. */
  verifyBlob(descriptor: Descriptor, options: BlobReadOptions = {}): Promise<void> {
    return this.#blobRange(descriptor).then((range) =>
      copyVerifiedRange(range, descriptor, this.#blobName(descriptor), undefined, options),
    );
  }

  #blobName(descriptor: Descriptor): string {
    return `blob ${descriptor.digest} of ${this.description}`;
  }

  async #blobRange(descriptor: Descriptor): Promise<FileRange> {
    const what = this.#blobName(descriptor);
    assertSha256Digest(descriptor.digest, what);
    const range = await this.files.range(blobPath(descriptor.digest));
    if (!range) throw blobMissing(what);
    if (range.size !== descriptor.size) throw sizeMismatch(what, range.size, descriptor.size);
    return range;
  }

  localBlobRange(descriptor: Descriptor): Promise<FileRange | undefined> {
    return this.files.range(blobPath(descriptor.digest));
  }

  async close(): Promise<void> {
    if (this.#ownsFiles) await this.files.close();
  }
}
