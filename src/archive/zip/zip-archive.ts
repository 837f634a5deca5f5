import { crc32, inflateRawSync } from 'node:zlib';
import { describeError } from '../../errors/index.ts';
import {
  checkEntryReadable,
  DEFAULT_ZIP_LIMITS,
  entryDataStart,
  LOCAL_HEADER_SIZE,
  locateCentralDirectory,
  parseCentralDirectory,
  type ZipEntry,
  type ZipLimits,
  zipError,
} from './central-directory.ts';

/**
 * A zip archive held in memory (jars and nested jars, Python eggs, Yarn cache zips). Entries
 * are inflated with an output limit and checked against their declared size and CRC-32.
 */
export class ZipArchive {
  readonly entries: readonly ZipEntry[];
  readonly limits: ZipLimits;
  private readonly data: Buffer;

  constructor(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS) {
    this.data = data;
    this.limits = limits;
    const location = locateCentralDirectory(data, 0, limits);
    this.entries = parseCentralDirectory(data.subarray(location.start, location.start + location.size), location);
  }

  find(name: string): ZipEntry | undefined {
    return this.entries.find((entry) => entry.name === name);
  }

  /** The entry's uncompressed bytes, refused above `maxSize` or the archive's limits. */
  read(entry: ZipEntry, maxSize = this.limits.maxEntrySize): Buffer {
    checkEntryReadable(entry, Math.min(maxSize, this.limits.maxEntrySize), this.limits);
    const data = this.data;
    const at = entry.localHeaderOffset;
    if (at < 0 || at + LOCAL_HEADER_SIZE > data.length)
      throw zipError(`corrupt zip: bad local header for ${entry.name}`);
    const start = entryDataStart(data.subarray(at, at + LOCAL_HEADER_SIZE), entry, data.length);
    const raw = data.subarray(start, start + entry.compressedSize);
    let body = raw;
    if (entry.method === 8) {
      try {
        // One byte of headroom shows an entry that inflates past its declared size.
        body = inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
      } catch (error) {
        throw zipError(`corrupt zip: cannot inflate ${entry.name}: ${describeError(error)}`);
      }
    }
    if (body.length !== entry.size) throw zipError(`corrupt zip: ${entry.name} is not ${entry.size} bytes`);
    if (crc32(body) !== entry.crc32) throw zipError(`corrupt zip: checksum error in ${entry.name}`);
    return body;
  }
}
