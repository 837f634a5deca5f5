import { crc32, inflateRawSync } from 'node:zlib';
import { describeError, VigilError } from '../../errors/index.ts';

/**
 * A zip reader for archives held in memory (jars, wars, nested jars): the central directory,
 * zip64 records, stored and deflated entries, data prepended to the archive (self-running
 * jars). Every offset and size is checked against the buffer; entries are inflated with an
 * output limit, checked against their declared size and CRC-32, and held to a compression
 * ratio, so a corrupt archive or a zip bomb gives an error, never a hang or a huge allocation.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header, from the start of the buffer. */
  localHeaderOffset: number;
  isDirectory: boolean;
}

export interface ZipLimits {
  /** Most entries an archive may list. */
  maxEntries: number;
  /** Largest uncompressed entry `read` returns. */
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
const MAX_COMMENT = 0xffff;
const RATIO_FLOOR = 1024 * 1024;

export function zipError(message: string): VigilError {
  return new VigilError('ZIP_CORRUPT', message);
}

function u64(data: Buffer, at: number, what: string): number {
  if (at + 8 > data.length) throw zipError(`corrupt zip: ${what} past the end`);
  const value = data.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw zipError(`corrupt zip: ${what} out of range`);
  return Number(value);
}

interface Directory {
  count: number;
  size: number;
  offset: number;
  /** Where the central directory really starts in the buffer. */
  start: number;
}

function findEndOfCentralDirectory(data: Buffer): number {
  if (data.length < 22) throw zipError('not a zip archive (too short)');
  const earliest = Math.max(0, data.length - 22 - MAX_COMMENT);
  for (let at = data.length - 22; at >= earliest; at -= 1) {
    if (data[at] === 0x50 && data.readUInt32LE(at) === EOCD) return at;
  }
  throw zipError('not a zip archive (no end of central directory)');
}

function readDirectory(data: Buffer): Directory {
  const eocd = findEndOfCentralDirectory(data);
  let count = data.readUInt16LE(eocd + 10);
  let size = data.readUInt32LE(eocd + 12);
  let offset = data.readUInt32LE(eocd + 16);
  let end = eocd;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator >= 0 && data.readUInt32LE(locator) === ZIP64_LOCATOR) {
      const record = u64(data, locator + 8, 'zip64 end record offset');
      // Prepended data shifts the record: look where it says, then where it must be.
      const candidates = [record, locator - 56];
      const at = candidates.find((c) => c >= 0 && c + 56 <= data.length && data.readUInt32LE(c) === ZIP64_EOCD);
      if (at === undefined) throw zipError('corrupt zip: zip64 end record not found');
      count = u64(data, at + 32, 'zip64 entry count');
      size = u64(data, at + 40, 'zip64 directory size');
      offset = u64(data, at + 48, 'zip64 directory offset');
      end = at;
    }
  }
  // Bytes before the archive (a launcher script) shift every recorded offset.
  const start = end - size;
  if (start < 0 || size > data.length) throw zipError('corrupt zip: central directory runs past the start');
  return { count, size, offset, start };
}

/** Reads the zip64 extended-information extra field for the values the directory left at 0xFFFFFFFF. */
function zip64Extra(extra: Buffer, entry: { size: number; compressedSize: number; localHeaderOffset: number }): void {
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
      if (entry.size === 0xffffffff) entry.size = next('zip64 size');
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next('zip64 compressed size');
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next('zip64 header offset');
      return;
    }
    at += 4 + length;
  }
}

export class ZipArchive {
  readonly entries: readonly ZipEntry[];
  readonly limits: ZipLimits;
  private readonly data: Buffer;

  constructor(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS) {
    this.data = data;
    this.limits = limits;
    this.entries = this.readEntries();
  }

  private readEntries(): ZipEntry[] {
    const data = this.data;
    const directory = readDirectory(data);
    if (directory.count > this.limits.maxEntries) {
      throw zipError(`zip archive lists ${directory.count} entries, more than the limit ${this.limits.maxEntries}`);
    }
    const base = directory.start - directory.offset;
    const entries: ZipEntry[] = [];
    let at = directory.start;
    for (let i = 0; i < directory.count; i += 1) {
      if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) {
        throw zipError('corrupt zip: bad central directory entry');
      }
      const nameLength = data.readUInt16LE(at + 28);
      const extraLength = data.readUInt16LE(at + 30);
      const commentLength = data.readUInt16LE(at + 32);
      const nameEnd = at + 46 + nameLength;
      if (nameEnd + extraLength > data.length) throw zipError('corrupt zip: entry name runs past the end');
      const entry = {
        name: data.toString('utf8', at + 46, nameEnd),
        flags: data.readUInt16LE(at + 8),
        method: data.readUInt16LE(at + 10),
        crc32: data.readUInt32LE(at + 16),
        compressedSize: data.readUInt32LE(at + 20),
        size: data.readUInt32LE(at + 24),
        localHeaderOffset: data.readUInt32LE(at + 42),
        isDirectory: false,
      };
      zip64Extra(data.subarray(nameEnd, nameEnd + extraLength), entry);
      entry.localHeaderOffset += base;
      entry.isDirectory = entry.name.endsWith('/');
      entries.push(entry);
      at = nameEnd + extraLength + commentLength;
    }
    return entries;
  }

  find(name: string): ZipEntry | undefined {
    return this.entries.find((entry) => entry.name === name);
  }

  /** The entry's uncompressed bytes, refused above `maxSize` or the archive limits. */
  read(entry: ZipEntry, maxSize = this.limits.maxEntrySize): Buffer {
    const limit = Math.min(maxSize, this.limits.maxEntrySize);
    if (entry.size > limit) throw zipError(`zip entry ${entry.name} is ${entry.size} bytes, over the limit ${limit}`);
    if (entry.size > RATIO_FLOOR && entry.size > entry.compressedSize * this.limits.maxRatio) {
      throw zipError(`zip entry ${entry.name} expands more than ${this.limits.maxRatio}:1 (zip bomb?)`);
    }
    if ((entry.flags & 0x1) !== 0) throw zipError(`zip entry ${entry.name} is encrypted`);
    const data = this.data;
    const at = entry.localHeaderOffset;
    if (at < 0 || at + 30 > data.length || data.readUInt32LE(at) !== LOCAL) {
      throw zipError(`corrupt zip: bad local header for ${entry.name}`);
    }
    const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
    const end = start + entry.compressedSize;
    if (end > data.length) throw zipError(`corrupt zip: ${entry.name} runs past the end`);
    const raw = data.subarray(start, end);
    let body: Buffer;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) throw zipError(`corrupt zip: stored ${entry.name} changes size`);
      body = raw;
    } else if (entry.method === 8) {
      try {
        // One byte of headroom shows an entry that inflates past its declared size.
        body = inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
      } catch (error) {
        throw zipError(`corrupt zip: cannot inflate ${entry.name}: ${describeError(error)}`);
      }
    } else {
      throw zipError(`zip entry ${entry.name} uses unsupported compression method ${entry.method}`);
    }
    if (body.length !== entry.size) throw zipError(`corrupt zip: ${entry.name} is not ${entry.size} bytes`);
    if (crc32(body) !== entry.crc32) throw zipError(`corrupt zip: checksum error in ${entry.name}`);
    return body;
  }
}

/** Zip files by magic: a local header at the start, or an empty archive's end record. */
export function looksLikeZip(data: Buffer): boolean {
  return data.length >= 4 && data.readUInt32LE(0) === LOCAL;
}
