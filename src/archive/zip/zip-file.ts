import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { describeError } from '../../errors/index.ts';
import {
  checkEntryReadable,
  DEFAULT_ZIP_LIMITS,
  entryDataStart,
  LOCAL_HEADER_SIZE,
  locateCentralDirectory,
  parseCentralDirectory,
  TAIL_SIZE,
  type ZipEntry,
  type ZipLimits,
  zipError,
} from './central-directory.ts';

const READ_CHUNK = 64 * 1024;

/**
 * A zip archive read from a file without loading it (VEX repository archives): the central
 * directory is read once, entries are streamed on demand.
 */
export interface ZipFile {
  readonly entries: readonly ZipEntry[];
  /** The entry's content; the stream fails when it inflates to another size or CRC than the directory says. */
  open(entry: ZipEntry): Promise<Readable>;
  close(): Promise<void>;
}

export async function openZipFile(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipFile> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, TAIL_SIZE);
    const tail = await readAt(handle, size - tailLength, tailLength);
    const location = locateCentralDirectory(tail, size - tailLength, limits);
    const inTail = location.start - (size - tailLength);
    const directory =
      inTail >= 0 ? tail.subarray(inTail, inTail + location.size) : await readAt(handle, location.start, location.size);
    const entries = parseCentralDirectory(directory, location);
    return {
      entries,
      open: (entry) => openEntry(handle, size, entry, limits),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw zipError('corrupt zip: truncated archive');
  return buffer;
}

/** The bytes at [start, start + length), in chunks; the handle stays open for other entries. */
async function* readRange(handle: FileHandle, start: number, length: number): AsyncGenerator<Buffer> {
  for (let at = start; at < start + length; ) {
    const chunk = await readAt(handle, at, Math.min(READ_CHUNK, start + length - at));
    at += chunk.length;
    yield chunk;
  }
}

async function openEntry(
  handle: FileHandle,
  archiveSize: number,
  entry: ZipEntry,
  limits: ZipLimits,
): Promise<Readable> {
  checkEntryReadable(entry, limits.maxEntrySize, limits);
  const at = entry.localHeaderOffset;
  if (at < 0 || at + LOCAL_HEADER_SIZE > archiveSize) throw zipError(`corrupt zip: bad local header for ${entry.name}`);
  const start = entryDataStart(await readAt(handle, at, LOCAL_HEADER_SIZE), entry, archiveSize);
  const raw = Readable.from(readRange(handle, start, entry.compressedSize));
  const verified = verifier(entry);
  raw.on('error', (error: Error) => verified.destroy(zipError(`cannot read ${entry.name}: ${describeError(error)}`)));
  const inflate = entry.method === 8 ? createInflateRaw() : undefined;
  inflate?.on('error', (error: Error) =>
    verified.destroy(zipError(`corrupt zip: cannot inflate ${entry.name}: ${describeError(error)}`)),
  );
  // A consumer that stops early, or a verification failure, releases the streams behind.
  verified.on('close', () => {
    raw.destroy();
    inflate?.destroy();
  });
  return inflate ? raw.pipe(inflate).pipe(verified) : raw.pipe(verified);
}

/** Passes the entry's bytes on, failing as soon as they exceed its size, and at the end on a size or CRC mismatch. */
function verifier(entry: ZipEntry): Transform {
  let seen = 0;
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > entry.size) {
        callback(zipError(`corrupt zip: ${entry.name} is not ${entry.size} bytes`));
        return;
      }
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (seen !== entry.size) callback(zipError(`corrupt zip: ${entry.name} is not ${entry.size} bytes`));
      else if (crc !== entry.crc32) callback(zipError(`corrupt zip: checksum error in ${entry.name}`));
      else callback();
    },
  });
}
