import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, VigilError } from '../../errors/index.ts';
import { blobPath, type Descriptor, type ImageIndex, MEDIA_TYPES } from '../../oci/image/index.ts';
import { directoryLayoutFiles } from './layout-files.ts';
import {
  layoutTags,
  OCI_LAYOUT_FILE,
  OCI_LAYOUT_TEXT,
  REF_NAME_ANNOTATION,
  readLayoutIndex,
} from './layout-repository.ts';
import type { ArtifactRepository, ArtifactRepositoryWriter, BlobReadOptions, StoredManifest } from './types.ts';

function writeFailed(path: string, error: unknown): VigilError {
  return new VigilError('LAYOUT_WRITE_FAILED', `cannot write ${path}: ${describeError(error)}`, {
    hint: 'check the permissions and free space of the target directory',
  });
}

async function writeFileDurably(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a file through a temporary name and a rename, so readers see all of it or none. */
export async function replaceFile(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFileDurably(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw writeFailed(path, error);
  }
}

/** index.json with `descriptor` under `tag` (replacing what the tag named before), as OCI tools write it. */
export function indexWithManifest(index: ImageIndex | undefined, descriptor: Descriptor, tag?: string): ImageIndex {
  const kept = (index?.manifests ?? []).filter((entry) => {
    const name = entry.annotations?.[REF_NAME_ANNOTATION];
    if (tag !== undefined) return name !== tag;
    return !(entry.digest === descriptor.digest && name === undefined);
  });
  const entry: Descriptor = {
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: descriptor.size,
    ...(tag === undefined ? {} : { annotations: { [REF_NAME_ANNOTATION]: tag } }),
  };
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [...kept, entry],
    ...(index?.annotations ? { annotations: index.annotations } : {}),
  };
}

/**
 * Writes one repository as an OCI layout directory (`oci-layout`, `index.json`, `blobs/sha256/…`),
 * readable by skopeo, oras and Vigil. Each blob lands by an atomic rename, so a killed copy leaves
 * only complete blobs behind and the next run skips them; index.json is replaced last.
 */
export class LayoutWriter implements ArtifactRepositoryWriter {
  readonly description: string;
  readonly #dir: string;
  #ready: Promise<void> | undefined;

  constructor(dir: string) {
    this.#dir = dir;
    this.description = `oci:${dir}`;
  }

  #prepare(): Promise<void> {
    this.#ready ??= (async () => {
      try {
        await mkdir(join(this.#dir, 'blobs', 'sha256'), { recursive: true });
      } catch (error) {
        throw writeFailed(this.#dir, error);
      }
      const marker = join(this.#dir, OCI_LAYOUT_FILE);
      if (!(await stat(marker).catch(() => undefined))) await replaceFile(marker, OCI_LAYOUT_TEXT);
    })();
    return this.#ready;
  }

  async #blobSize(digest: string): Promise<number | undefined> {
    const info = await stat(join(this.#dir, blobPath(digest))).catch(() => undefined);
    return info?.isFile() ? info.size : undefined;
  }

  async hasBlob(digest: string): Promise<boolean> {
    return (await this.#blobSize(digest)) !== undefined;
  }

  async putBlob(
    descriptor: Descriptor,
    source: ArtifactRepository,
    options: BlobReadOptions = {},
  ): Promise<'exists' | 'stored'> {
    await this.#prepare();
    if ((await this.#blobSize(descriptor.digest)) === descriptor.size) return 'exists';
    const target = join(this.#dir, blobPath(descriptor.digest));
    const temporary = join(this.#dir, `.blob-${process.pid}-${randomBytes(4).toString('hex')}`);
    await source.downloadBlob(descriptor, temporary, options);
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw writeFailed(target, error);
    }
    return 'stored';
  }

  async manifestDigest(tag: string): Promise<string | undefined> {
    const index = await readLayoutIndex(directoryLayoutFiles(this.#dir)).catch(() => undefined);
    return index ? layoutTags(index, undefined).get(tag)?.digest : undefined;
  }

  async putManifest(manifest: StoredManifest, tag: string | undefined): Promise<void> {
    await this.#prepare();
    const target = join(this.#dir, blobPath(manifest.digest));
    if ((await this.#blobSize(manifest.digest)) !== manifest.bytes.length) await replaceFile(target, manifest.bytes);
    const index = await readLayoutIndex(directoryLayoutFiles(this.#dir));
    const descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
    const next = indexWithManifest(index, descriptor, tag);
    await replaceFile(join(this.#dir, 'index.json'), `${JSON.stringify(next)}\n`);
  }

  async close(): Promise<void> {}
}
