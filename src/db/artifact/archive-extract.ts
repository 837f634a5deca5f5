import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { copyVerifiedRange } from '../../airgap/store/verified-range.ts';
import { describeError, VigilError } from '../../errors/index.ts';
import { createGarbagePacer } from '../../net/index.ts';
import { DigestVerifier } from '../../oci/registry/digest-verifier.ts';

/**
 * Reads and inflates in chunks of this size: zlib works on the thread pool, and its default 16 KiB
 * output means one thread hand-off per 16 KiB (measured: most of the extraction's time went to
 * those hand-offs). Larger chunks are slower again, as every chunk is a fresh allocation.
 */
const CHUNK_BYTES = 256 * 1024;
/** Inflated bytes between two young-generation collections (see the pacer's use below). */
const EXTRACT_GARBAGE_PACE_BYTES = 2 ** 20;
/** Member data is gathered into writes of about this size. */
const WRITE_BATCH_BYTES = 1 << 20;
/**
 * Past this much unsynced data, a large member's write-back to disk is started while extraction
 * goes on (fdatasync in the background), so the install's fsync finds little left to write.
 */
const EARLY_SYNC_BYTES = 32 * 2 ** 20;

/**
 * A .tar.gz that is a byte range of a larger file (a layer inside a bundle), unpacked straight
 * from there: its size and sha256 are checked as it is read, and a mismatch fails the extraction,
 * so nothing unpacked from other bytes is ever kept.
 */
export interface VerifiedArchiveRange {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
  readonly digest: string;
  /** Names the blob in a digest or size error: `blob sha256:… of file:/media/bundle.tar (trivy-db)`. */
  readonly blob: string;
  /** Told of each stretch read (a progress bar). */
  readonly onBytes?: (count: number) => void;
}

function rangeStream(range: VerifiedArchiveRange): Readable {
  // An empty range cannot be given to createReadStream (end < start reads to the end).
  if (range.size === 0) return Readable.from([]);
  return createReadStream(range.path, {
    start: range.offset,
    end: range.offset + range.size - 1,
    highWaterMark: CHUNK_BYTES,
  });
}

/** Bounds on what an untrusted archive may unpack to. */
export interface ExtractLimits {
  readonly maxEntries: number;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
}

/** Only these regular files (others are skipped), or a whole tree of regular files and directories. */
export type ExtractPlan = { readonly kind: 'files'; readonly names: readonly string[] } | { readonly kind: 'tree' };

export interface ExtractResult {
  readonly files: string[];
  readonly skipped: string[];
}

function refuse(what: string, why: string): VigilError {
  return new VigilError('ARCHIVE_REFUSED', `${what}: ${why}`, {
    hint: 'the artifact is damaged or was not built for Vigil/Trivy; try another repository',
  });
}

function writeFailed(target: string, error: unknown): VigilError {
  return new VigilError('EXTRACT_WRITE_FAILED', `cannot write ${target}: ${describeError(error)}`, {
    hint: 'check the free space and permissions of the cache directory (--cache-dir)',
    cause: error,
  });
}

/** Writes the buffers at `position`, finishing a short write (rare for files, but allowed). */
async function writeAt(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  let { bytesWritten } = await handle.writev(buffers, position);
  if (bytesWritten >= total) return;
  const rest = Buffer.concat(buffers, total);
  while (bytesWritten < total) {
    const written = await handle.write(rest, bytesWritten, total - bytesWritten, position + bytesWritten);
    bytesWritten += written.bytesWritten;
  }
}

/** Streams one member into a new file: batched writes, early write-back for large members. */
async function writeMember(member: AsyncIterable<Buffer>, target: string): Promise<void> {
  const handle = await open(target, 'wx', 0o644).catch((error: unknown) => {
    throw writeFailed(target, error);
  });
  let syncing: Promise<void> | undefined;
  let syncFailure: unknown;
  try {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let position = 0;
    let unsynced = 0;
    const flush = async () => {
      await writeAt(handle, batch, position);
      position += batchBytes;
      unsynced += batchBytes;
      batch = [];
      batchBytes = 0;
      if (unsynced >= EARLY_SYNC_BYTES && !syncing) {
        unsynced = 0;
        syncing = handle.datasync().then(
          () => {
            syncing = undefined;
          },
          (error: unknown) => {
            syncFailure ??= error;
            syncing = undefined;
          },
        );
      }
    };
    for await (const chunk of member) {
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES) await flush();
    }
    if (batchBytes > 0) await flush();
    await syncing;
    if (syncFailure !== undefined) throw syncFailure;
  } catch (error) {
    await syncing;
    await handle.close().catch(() => undefined);
    throw error instanceof VigilError ? error : writeFailed(target, error);
  }
  await handle.close().catch((error: unknown) => {
    throw writeFailed(target, error);
  });
}

/** A tar member name as a safe relative path, or undefined for the archive root. */
function safeName(raw: string, what: string): string | undefined {
  const name = posix
    .normalize(raw.replace(/\\/g, '/'))
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  if (name === '' || name === '.') return undefined;
  if (name.startsWith('/') || name === '..' || name.startsWith('../') || name.includes('\0')) {
    throw refuse(what, `the archive member ${JSON.stringify(raw)} points outside the destination`);
  }
  return name;
}

/**
 * Unpacks a `.tar.gz` into `destination` (which must exist), with every size bounded and names
 * checked, so a hostile or corrupt archive fails cleanly instead of filling the disk or escaping.
 */
export async function extractTarGz(
  archive: string | VerifiedArchiveRange,
  destination: string,
  plan: ExtractPlan,
  limits: ExtractLimits,
  what: string,
  signal?: AbortSignal,
): Promise<ExtractResult> {
  const wanted = plan.kind === 'files' ? new Set(plan.names) : undefined;
  const files: string[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  let entries = 0;
  let total = 0;
  const extractor = tarExtract();
  extractor.on('entry', (header, stream, next) => {
    const fail = (error: unknown) => {
      // The entry stream dies with the extractor; its own error event would otherwise go unheard.
      stream.on('error', () => undefined);
      stream.resume();
      extractor.destroy(error as Error);
    };
    try {
      entries++;
      if (entries > limits.maxEntries) throw refuse(what, `more than ${limits.maxEntries} archive members`);
      const name = safeName(header.name, what);
      const skip = () => {
        if (name) skipped.push(name);
        stream.on('end', () => next());
        stream.resume();
      };
      if (name === undefined) return skip();
      if (header.type === 'directory') {
        if (plan.kind === 'tree') {
          mkdir(join(destination, name), { recursive: true }).then(() => skip(), fail);
          return;
        }
        return skip();
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        if (wanted?.has(name)) throw refuse(what, `${name} is a ${header.type}, not a regular file`);
        return skip();
      }
      if (wanted && !wanted.has(name)) return skip();
      if (seen.has(name)) throw refuse(what, `${name} appears twice in the archive`);
      seen.add(name);
      const size = header.size ?? 0;
      if (size > limits.maxFileBytes)
        throw refuse(what, `${name} is ${size} bytes, more than the ${limits.maxFileBytes} allowed`);
      total += size;
      if (total > limits.maxTotalBytes)
        throw refuse(what, `the archive unpacks to more than ${limits.maxTotalBytes} bytes`);
      const target = join(destination, name);
      mkdir(dirname(target), { recursive: true })
        // streamx readables are async iterables; its type declarations only omit it.
        .then(() => writeMember(stream as unknown as AsyncIterable<Buffer>, target))
        .then(() => {
          files.push(name);
          next();
        }, fail);
    } catch (error) {
      fail(error);
    }
  });
  try {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    const done =
      typeof archive === 'string'
        ? pipeline(createReadStream(archive, { highWaterMark: CHUNK_BYTES }), gunzip, extractor, { signal })
        : pipeline(
            rangeStream(archive),
            new DigestVerifier(archive.digest, archive.size, archive.blob, archive.onBytes),
            gunzip,
            extractor,
            {
              signal,
            },
          );
    // Observed only once the pipeline has attached (a 'data' listener starts the flow). Every
    // MiB inflated rather than the default 2: the extraction is the pull's memory peak now that
    // the download allocates nothing per read (peak 75-77 -> 72 MB alone, measured; up to ~10%
    // more CPU). Much more often than member writes are batched would promote held chunks.
    const pacer = createGarbagePacer(EXTRACT_GARBAGE_PACE_BYTES);
    gunzip.on('data', (chunk: Buffer) => pacer.advance(chunk.length));
    await done;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // Damaged bytes in a range usually break the inflating before the digest is known: a range
    // that does not match its digest is reported as that, whatever broke first.
    if (typeof archive !== 'string' && !(error instanceof VigilError && error.code === 'DIGEST_MISMATCH')) {
      // Throws the digest (or size) mismatch, if that is what the range holds.
      const descriptor = { mediaType: 'application/octet-stream', digest: archive.digest, size: archive.size };
      await copyVerifiedRange(archive, descriptor, archive.blob, undefined, { signal });
    }
    if (error instanceof VigilError) throw error;
    throw refuse(what, `not a valid .tar.gz (${(error as Error).message})`);
  }
  if (wanted) {
    const absent = [...wanted].filter((name) => !files.includes(name));
    if (absent.length > 0) throw refuse(what, `the archive has no ${absent.join(' or ')}`);
  }
  return { files, skipped };
}
