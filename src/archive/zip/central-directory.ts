import { VigilError } from '../../errors/index.ts';

/**
 * The zip format's index: the end record (zip64 too), the central directory and the local
 * headers, read from buffers. Every offset and size is checked against the bytes at hand, so a
 * corrupt archive gives a `ZIP_CORRUPT` error, never an out-of-range read or a huge allocation.
 * Bytes prepended to an archive (a launcher script, as in self-running jars) are allowed: the
 * directory is found from the end record, and every recorded offset is shifted by the same amount.
 */
export interface ZipEntry {
  readonly name: string;
  /** `symlink` only where an archive made on Unix says so in the entry's mode. */
  readonly kind: 'file' | 'directory' | 'symlink';
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Offset of the local header from the start of the archive (prepended bytes included). */
  readonly localHeaderOffset: number;
}

export interface ZipLimits {
  /** Most entries an archive may list. */
  maxEntries: number;
  /** Largest uncompressed entry a reader returns. */
  maxEntrySize: number;
  /** Highest uncompressed-to-compressed ratio accepted for entries over 1 MiB. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 500_000,
  maxEntrySize: 512 * 1024 * 1024,
  maxRatio: 1000,
};

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const RATIO_FLOOR = 1024 * 1024;
export const LOCAL_HEADER_SIZE = 30;

/** The archive's last bytes that always hold the end record, its comment and the zip64 records. */
export const TAIL_SIZE = EOCD_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE + ZIP64_EOCD_SIZE;

export function zipError(message: string): VigilError {
  return new VigilError('ZIP_CORRUPT', message);
}

export interface CentralDirectory {
  count: number;
  /** Where the directory really starts in the archive. */
  start: number;
  size: number;
  /** What to add to a recorded offset: the length of bytes prepended to the archive. */
  shift: number;
}

function u64(data: Buffer, at: number, what: string): number {
  if (at < 0 || at + 8 > data.length) throw zipError(`corrupt zip: ${what} past the end`);
  const value = data.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw zipError(`corrupt zip: ${what} out of range`);
  return Number(value);
}

function findEndRecord(tail: Buffer): number {
  if (tail.length < EOCD_SIZE) throw zipError('not a zip archive (too short)');
  const earliest = Math.max(0, tail.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = tail.length - EOCD_SIZE; at >= earliest; at -= 1) {
    if (tail[at] === 0x50 && tail.readUInt32LE(at) === EOCD) return at;
  }
  throw zipError('not a zip archive (no end of central directory)');
}

/**
 * Finds the central directory from `tail`, the archive's last bytes starting at offset
 * `tailStart` (the whole archive, or at least its last `TAIL_SIZE` bytes).
 */
export function locateCentralDirectory(tail: Buffer, tailStart: number, limits: ZipLimits): CentralDirectory {
  const eocd = findEndRecord(tail);
  let count = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  let end = eocd;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - ZIP64_LOCATOR_SIZE;
    if (locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR) {
      const record = u64(tail, locator + 8, 'zip64 end record offset') - tailStart;
      // Prepended data shifts the record: look where it says, then where it must be.
      const candidates = [record, locator - ZIP64_EOCD_SIZE];
      const at = candidates.find(
        (c) => c >= 0 && c + ZIP64_EOCD_SIZE <= tail.length && tail.readUInt32LE(c) === ZIP64_EOCD,
      );
      if (at === undefined) throw zipError('corrupt zip: zip64 end record not found');
      count = u64(tail, at + 32, 'zip64 entry count');
      size = u64(tail, at + 40, 'zip64 directory size');
      offset = u64(tail, at + 48, 'zip64 directory offset');
      end = at;
    }
  }
  const start = tailStart + end - size;
  if (start < 0) throw zipError('corrupt zip: central directory runs past the start');
  if (count > limits.maxEntries) {
    throw zipError(`zip archive lists ${count} entries, more than the limit ${limits.maxEntries}`);
  }
  return { count, start, size, shift: start - offset };
}

/** The entries of `directory`, the bytes the central directory spans. */
export function parseCentralDirectory(directory: Buffer, location: CentralDirectory): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < location.count; i += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) {
      throw zipError('corrupt zip: bad central directory entry');
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength > directory.length) throw zipError('corrupt zip: entry name runs past the end');
    const name = directory.toString('utf8', at + 46, nameEnd);
    const sizes = {
      size: directory.readUInt32LE(at + 24),
      compressedSize: directory.readUInt32LE(at + 20),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    zip64Extra(directory.subarray(nameEnd, nameEnd + extraLength), sizes);
    // The Unix mode sits in the high 16 bits of the external attributes when made on Unix (3).
    const madeOnUnix = directory.readUInt16LE(at + 4) >> 8 === 3;
    const unixType = madeOnUnix ? (directory.readUInt32LE(at + 38) >>> 16) & 0o170000 : 0;
    entries.push({
      name,
      kind: name.endsWith('/') ? 'directory' : unixType === 0o120000 ? 'symlink' : 'file',
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      crc32: directory.readUInt32LE(at + 16),
      compressedSize: sizes.compressedSize,
      size: sizes.size,
      localHeaderOffset: sizes.localHeaderOffset + location.shift,
    });
    at = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** Reads the zip64 extended-information extra field for the values the directory left at 0xFFFFFFFF. */
function zip64Extra(extra: Buffer, sizes: { size: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    const body = extra.subarray(at + 4, at + 4 + length);
    if (id === 0x0001) {
      let field = 0;
      const next = (what: string) => {
        const value = u64(body, field, what);
        field += 8;
        return value;
      };
      if (sizes.size === 0xffffffff) sizes.size = next('zip64 size');
      if (sizes.compressedSize === 0xffffffff) sizes.compressedSize = next('zip64 compressed size');
      if (sizes.localHeaderOffset === 0xffffffff) sizes.localHeaderOffset = next('zip64 header offset');
      return;
    }
    at += 4 + length;
  }
}

/** Refuses, before any byte is inflated, an entry over `limit`, a likely zip bomb, or one we cannot decode. */
export function checkEntryReadable(entry: ZipEntry, limit: number, limits: ZipLimits): void {
  if (entry.size > limit) throw zipError(`zip entry ${entry.name} is ${entry.size} bytes, over the limit ${limit}`);
  if (entry.size > RATIO_FLOOR && entry.size > entry.compressedSize * limits.maxRatio) {
    throw zipError(`zip entry ${entry.name} expands more than ${limits.maxRatio}:1 (zip bomb?)`);
  }
  if ((entry.flags & 0x1) !== 0) throw zipError(`zip entry ${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw zipError(`zip entry ${entry.name} uses unsupported compression method ${entry.method}`);
  }
}

/**
 * Where the entry's data starts, from its local header (`LOCAL_HEADER_SIZE` bytes at the
 * entry's `localHeaderOffset`); the data must end within `archiveSize`.
 */
export function entryDataStart(header: Buffer, entry: ZipEntry, archiveSize: number): number {
  if (header.length < LOCAL_HEADER_SIZE || header.readUInt32LE(0) !== LOCAL) {
    throw zipError(`corrupt zip: bad local header for ${entry.name}`);
  }
  const start = entry.localHeaderOffset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > archiveSize) throw zipError(`corrupt zip: ${entry.name} runs past the end`);
  return start;
}
