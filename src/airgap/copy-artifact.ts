import type { Logger } from '../log/index.ts';
import type { TransferProgress } from '../net/index.ts';
import type { Descriptor } from '../oci/image/index.ts';
import {
  type ArtifactRepository,
  type ArtifactRepositoryWriter,
  type StoredManifest,
  signatureTag,
} from './store/index.ts';

export interface CopyOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly progress?: TransferProgress;
}

/** What one copy did: blobs stored or found present, and whether the manifest had to be written. */
export interface CopyTally {
  blobsStored: number;
  blobsPresent: number;
  bytesStored: number;
  manifestsWritten: number;
  manifestsPresent: number;
}

export function emptyTally(): CopyTally {
  return { blobsStored: 0, blobsPresent: 0, bytesStored: 0, manifestsWritten: 0, manifestsPresent: 0 };
}

function blobsOf(manifest: StoredManifest): Descriptor[] {
  if (!manifest.manifest) return [];
  return [manifest.manifest.config, ...manifest.manifest.layers];
}

async function copyBlob(
  blob: Descriptor,
  source: ArtifactRepository,
  writer: ArtifactRepositoryWriter,
  tally: CopyTally,
  options: CopyOptions,
): Promise<void> {
  const outcome = await writer.putBlob(blob, source, { signal: options.signal, progress: options.progress });
  if (outcome === 'stored') {
    tally.blobsStored++;
    tally.bytesStored += blob.size;
  } else tally.blobsPresent++;
  options.logger.debug(`${writer.description}: blob ${blob.digest} ${outcome === 'stored' ? 'sent' : 'already there'}`);
}

/**
 * Stores the blobs, as many at once as the writer takes. After a failure no new blob starts, and
 * the ones under way finish (or fail) before the failure is reported, so nothing runs on behind it.
 */
async function copyBlobs(
  blobs: readonly Descriptor[],
  source: ArtifactRepository,
  writer: ArtifactRepositoryWriter,
  tally: CopyTally,
  options: CopyOptions,
): Promise<void> {
  const unique = blobs.filter((blob, index) => blobs.findIndex((other) => other.digest === blob.digest) === index);
  const lanes = Math.max(1, Math.min(writer.concurrentBlobs ?? 1, unique.length));
  // One progress bar: with blobs side by side, it follows the largest.
  const largest = unique.reduce<Descriptor | undefined>(
    (top, blob) => (top && top.size >= blob.size ? top : blob),
    undefined,
  );
  const quiet = { ...options, progress: undefined };
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < unique.length) {
      const blob = unique[next++] as Descriptor;
      try {
        await copyBlob(blob, source, writer, tally, lanes === 1 || blob === largest ? options : quiet);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
}

/**
 * Copies one manifest (and, for an index, the manifests it lists) with every blob it names,
 * byte for byte: the same manifest bytes, so the same digest, media types and annotations.
 * Blobs go first and the manifest last, so a copy cut short never leaves a tag pointing at
 * missing content; a tag that already names the digest is left alone (nothing is sent).
 */
export async function copyManifest(
  source: ArtifactRepository,
  manifest: StoredManifest,
  writer: ArtifactRepositoryWriter,
  tag: string | undefined,
  tally: CopyTally,
  options: CopyOptions,
): Promise<void> {
  if (tag !== undefined && (await writer.manifestDigest(tag, options.signal)) === manifest.digest) {
    tally.manifestsPresent++;
    return;
  }
  for (const child of manifest.index?.manifests ?? []) {
    const stored = await source.getManifest(child.digest, options.signal);
    await copyManifest(source, stored, writer, undefined, tally, options);
  }
  await copyBlobs(blobsOf(manifest), source, writer, tally, options);
  await writer.putManifest(manifest, tag, options.signal);
  tally.manifestsWritten++;
}

/**
 * The cosign signatures of `digest` (the `sha256-<hex>.sig` tag) copied along, when the source has
 * them; returns whether there were any.
 */
export async function copySignatures(
  source: ArtifactRepository,
  digest: string,
  writer: ArtifactRepositoryWriter,
  tally: CopyTally,
  options: CopyOptions,
): Promise<boolean> {
  const tag = signatureTag(digest);
  const signatures = await source.findManifest(tag, options.signal);
  if (!signatures) return false;
  await copyManifest(source, signatures, writer, tag, tally, options);
  return true;
}
