import { VigilError } from '../../errors/index.ts';

/** A corrupt or truncated executable: the header promises bytes the file does not have. */
export function corruptExecutable(what: string): VigilError {
  return new VigilError('EXECUTABLE_CORRUPT', `corrupt executable: ${what}`);
}

/**
 * Bounds-checked reads of fixed-size integers at absolute offsets, in one byte order. Every
 * read past the end of the buffer throws a VigilError instead of returning garbage, and 64-bit
 * values beyond 2^53 (never real addresses or sizes) are refused rather than rounded.
 */
export class ByteView {
  readonly data: Buffer;
  readonly littleEndian: boolean;

  constructor(data: Buffer, littleEndian: boolean) {
    this.data = data;
    this.littleEndian = littleEndian;
  }

  private check(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > this.data.length) {
      throw corruptExecutable(`${what} at offset ${offset} is past the end of the file`);
    }
  }

  u8(offset: number, what = 'byte'): number {
    this.check(offset, 1, what);
    return this.data.readUInt8(offset);
  }

  u16(offset: number, what = 'field'): number {
    this.check(offset, 2, what);
    return this.littleEndian ? this.data.readUInt16LE(offset) : this.data.readUInt16BE(offset);
  }

  u32(offset: number, what = 'field'): number {
    this.check(offset, 4, what);
    return this.littleEndian ? this.data.readUInt32LE(offset) : this.data.readUInt32BE(offset);
  }

  u64(offset: number, what = 'field'): number {
    this.check(offset, 8, what);
    const value = this.littleEndian ? this.data.readBigUInt64LE(offset) : this.data.readBigUInt64BE(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corruptExecutable(`${what} is out of range`);
    return Number(value);
  }

  /** A 32- or 64-bit unsigned word, as the file's class says. */
  word(offset: number, wide: boolean, what = 'field'): number {
    return wide ? this.u64(offset, what) : this.u32(offset, what);
  }

  /** `length` bytes at `offset`, as a view (no copy); throws when they are not all there. */
  bytes(offset: number, length: number, what = 'data'): Buffer {
    this.check(offset, length, what);
    return this.data.subarray(offset, offset + length);
  }

  /** A NUL-terminated string starting at `offset`, at most `limit` bytes long. */
  cString(offset: number, limit = 4096): string {
    if (offset < 0 || offset >= this.data.length) throw corruptExecutable('string offset past the end of the file');
    const end = Math.min(this.data.length, offset + limit);
    const nul = this.data.indexOf(0, offset);
    return this.data.toString('latin1', offset, nul === -1 || nul > end ? end : nul);
  }
}
