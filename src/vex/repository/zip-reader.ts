import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/**
 * A small reader for the zip archives VEX repositories ship: stored and deflated entries from
 * the central directory, sizes bounded before anything is inflated. No zip64, no encryption:
 * a VEX repository is far below 4 GiB, and a document needs no secret.
 */
export interface ZipEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'symlink';
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
}

export class ZipFormatError extends Error {}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;

export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  /** The entry's content, inflated; the stream fails when its size or CRC differ from the directory. */
  open(entry: ZipEntry): Promise<Readable>;
  close(): Promise<void>;
}

export async function openZip(path: string, maxEntries: number): Promise<ZipArchive> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const entries = await readCentralDirectory(handle, size, maxEntries);
    return {
      entries,
      open: (entry) => openEntry(handle, path, size, entry),
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
  if (bytesRead !== length) throw new ZipFormatError('truncated zip archive');
  return buffer;
}

async function readCentralDirectory(handle: FileHandle, size: number, maxEntries: number): Promise<ZipEntry[]> {
  if (size < 22) throw new ZipFormatError('too short for a zip archive');
  const tailLength = Math.min(size, 22 + MAX_COMMENT);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no end of central directory record');
  const count = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    throw new ZipFormatError('zip64 archives are not supported');
  }
  if (count > maxEntries) throw new ZipFormatError(`${count} entries, over the limit of ${maxEntries}`);
  if (directoryOffset + directorySize > size) throw new ZipFormatError('central directory outside the archive');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError('corrupt central directory');
    }
    const flags = directory.readUInt16LE(at + 8);
    const method = directory.readUInt16LE(at + 10);
    const crc32 = directory.readUInt32LE(at + 16);
    const compressedSize = directory.readUInt32LE(at + 20);
    const uncompressedSize = directory.readUInt32LE(at + 24);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const madeBy = directory.readUInt16LE(at + 4) >> 8;
    const externalAttributes = directory.readUInt32LE(at + 38);
    const localHeaderOffset = directory.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw new ZipFormatError('corrupt central directory');
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    if (flags & 0x1) throw new ZipFormatError(`entry ${name} is encrypted`);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      throw new ZipFormatError('zip64 entries are not supported');
    }
    // Unix mode in the high 16 bits when made on Unix (3).
    const unixType = madeBy === 3 ? (externalAttributes >>> 16) & 0o170000 : 0;
    const kind = name.endsWith('/') ? 'directory' : unixType === 0o120000 ? 'symlink' : 'file';
    entries.push({ name, kind, method, compressedSize, size: uncompressedSize, crc32, localHeaderOffset });
    at = end;
  }
  return entries;
}

async function openEntry(handle: FileHandle, path: string, archiveSize: number, entry: ZipEntry): Promise<Readable> {
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipFormatError(`entry ${entry.name} uses compression method ${entry.method} (only stored and deflate)`);
  }
  if (entry.localHeaderOffset + 30 > archiveSize)
    throw new ZipFormatError(`entry ${entry.name} lies outside the archive`);
  const local = await readAt(handle, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipFormatError(`corrupt local header for ${entry.name}`);
  const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > archiveSize) throw new ZipFormatError(`entry ${entry.name} is truncated`);
  if (entry.compressedSize === 0) return Readable.from([]);
  const raw = createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  const content = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  if (entry.method === 8) raw.on('error', (error) => content.destroy(error));
  return content;
}
