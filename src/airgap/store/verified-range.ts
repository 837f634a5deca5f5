import { createHash } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { noProgress } from '../../net/index.ts';
import type { Descriptor } from '../../oci/image/index.ts';
import { blobTooLong, blobTruncated, digestMismatch } from '../../oci/registry/index.ts';
import type { BlobReadOptions } from './types.ts';

/** Where a file of a layout lies on disk: a whole file, or a member's bytes inside a bundle. */
export interface FileRange {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
}

/**
 * Two buffers of this size are reused for the whole blob: one is read while the other is hashed
 * and written. A 200 MiB layer then costs no garbage at all, where a stream allocated a fresh
 * buffer per read and spent about a second collecting them.
 */
const PIECE_BYTES = 4 * 1024 * 1024;

async function readPiece(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

async function writePiece(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let written = 0;
  while (written < length) {
    written += (await handle.write(buffer, written, length - written, position + written)).bytesWritten;
  }
}

/**
 * Reads the blob's bytes from `range`, checks their size and sha256 against the descriptor and,
 * when `output` is given, writes them to that new file (removed again on any failure). `what`
 * names the blob in errors.
 */
export async function copyVerifiedRange(
  range: FileRange,
  descriptor: Descriptor,
  what: string,
  output: string | undefined,
  options: BlobReadOptions = {},
): Promise<void> {
  if (range.size > descriptor.size) throw blobTooLong(what, descriptor.size);
  const progress = options.progress ?? noProgress;
  const hash = createHash('sha256');
  const input = await open(range.path, 'r');
  let target: FileHandle | undefined;
  let reading: Promise<number> | undefined;
  progress.start(
    descriptor.annotations?.['org.opencontainers.image.title'] ?? descriptor.digest.slice(7, 19),
    range.size,
  );
  try {
    if (output !== undefined) target = await open(output, 'wx', 0o644);
    const buffers = [Buffer.allocUnsafe(PIECE_BYTES), Buffer.allocUnsafe(PIECE_BYTES)] as const;
    let done = 0;
    let turn = 0;
    reading = readPiece(input, buffers[0], Math.min(PIECE_BYTES, range.size), range.offset);
    while (done < range.size) {
      const length = (await reading) ?? 0;
      reading = undefined;
      if (length === 0) break;
      const buffer = buffers[turn] as Buffer;
      const next = done + length;
      turn = 1 - turn;
      // The next piece is read while this one is hashed and written.
      if (next < range.size) {
        const nextLength = Math.min(PIECE_BYTES, range.size - next);
        reading = readPiece(input, buffers[turn] as Buffer, nextLength, range.offset + next);
      }
      options.signal?.throwIfAborted();
      hash.update(buffer.subarray(0, length));
      if (target) await writePiece(target, buffer, length, done);
      progress.advance(length);
      done = next;
    }
    if (done !== descriptor.size) throw blobTruncated(what, done, descriptor.size);
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== descriptor.digest) throw digestMismatch(what, descriptor.digest, actual);
    await target?.close();
    target = undefined;
  } catch (error) {
    if (target) {
      await target.close().catch(() => undefined);
      await rm(output as string, { force: true });
    }
    throw error;
  } finally {
    progress.done();
    // A read still in flight (after an abort or a failed write) settles before its file closes.
    await reading?.catch(() => undefined);
    await input.close();
  }
}
