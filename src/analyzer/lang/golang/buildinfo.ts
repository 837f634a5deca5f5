import { VigilError } from '../../../errors/index.ts';
import {
  type ExecutableImage,
  findSection,
  IMAGE_SCN_ALIGN_32BYTES,
  IMAGE_SCN_CNT_INITIALIZED_DATA,
  IMAGE_SCN_MEM_READ,
  IMAGE_SCN_MEM_WRITE,
  openExecutable,
  PF_W,
  PF_X,
  PT_LOAD,
  readVirtual,
} from '../../executable/index.ts';

/**
 * Reads the Go toolchain version and the module information string the Go linker embeds in
 * every binary (`\xff Go buildinf:`), as Go's debug/buildinfo does: both the pointer format
 * (Go < 1.18, strings reached through target-sized pointers) and the inline format (length-
 * prefixed strings right after the 32-byte header).
 */
export interface RawBuildInfo {
  /** e.g. `go1.22.1` or `go1.22.1 X:loopvar`. */
  goVersion: string;
  /** The modinfo text without its 16-byte sentinels; empty when the binary has none. */
  modInfo: string;
}

export const ERR_UNRECOGNIZED_EXE = 'unrecognized executable format';
export const ERR_NOT_GO_BINARY = 'non go binary';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const ALIGN = 16;
const SEARCH_CHUNK = 512 * 1024;
/** Longest version or modinfo string accepted; real ones are a few kilobytes. */
const MAX_STRING = 16 * 1024 * 1024;

export function notGoBinary(): VigilError {
  return new VigilError('GO_NOT_GO_BINARY', ERR_NOT_GO_BINARY);
}

/** Where Go's linker puts the build info: its own section, else the first writable data. */
function dataStart(image: ExecutableImage): { address: number; size: number } {
  switch (image.format) {
    case 'elf': {
      const section = findSection(image, '.go.buildinfo');
      if (section) return { address: section.address, size: section.size };
      const segment = image.segments.find((s) => s.type === PT_LOAD && (s.flags & (PF_X | PF_W)) === PF_W);
      return segment ? { address: segment.address, size: segment.memorySize } : { address: 0, size: 0 };
    }
    case 'macho': {
      const section = findSection(image, '__go_buildinfo');
      if (section) return { address: section.address, size: section.size };
      const rw = image.segments.find(
        (s) => s.address !== 0 && s.fileSize !== 0 && s.flags === 3 && s.maxProtection === 3,
      );
      return rw ? { address: rw.address, size: rw.memorySize } : { address: 0, size: 0 };
    }
    case 'pe': {
      const wanted = (IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE) >>> 0;
      const section = image.sections.find(
        (s) =>
          s.address !== image.imageBase && s.fileSize !== 0 && (s.flags & ~IMAGE_SCN_ALIGN_32BYTES) >>> 0 === wanted,
      );
      return section ? { address: section.address, size: section.size } : { address: 0, size: 0 };
    }
  }
}

/** The address of the aligned build-info header within [start, start+size). */
function searchMagic(image: ExecutableImage, start: number, size: number): number {
  const end = start + size;
  let address = start % ALIGN === 0 ? start : start + (ALIGN - (start % ALIGN));
  while (address < end) {
    const chunk = readVirtual(image, address, Math.min(SEARCH_CHUNK + MAGIC.length - 1, end - address));
    if (!chunk || chunk.length === 0) break;
    let from = 0;
    for (;;) {
      const i = chunk.indexOf(MAGIC, from);
      if (i < 0) break;
      if (i % ALIGN === 0) return address + i;
      from = i + (ALIGN - (i % ALIGN));
    }
    if (chunk.length < SEARCH_CHUNK) break;
    address += SEARCH_CHUNK;
  }
  throw notGoBinary();
}

function readUvarint(bytes: Buffer): { value: number; length: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length && i < 10; i += 1) {
    const byte = bytes[i] ?? 0;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return Number.isSafeInteger(value) ? { value, length: i + 1 } : undefined;
    scale *= 128;
  }
  return undefined;
}

/** A varint-length-prefixed string at `address`, and the address after it. */
function decodeString(image: ExecutableImage, address: number): { bytes: Buffer; next: number } {
  const prefix = readVirtual(image, address, 10);
  const length = prefix ? readUvarint(prefix) : undefined;
  if (!length || length.value > MAX_STRING) throw notGoBinary();
  const body = readVirtual(image, address + length.length, length.value);
  if (!body || body.length < length.value) throw notGoBinary();
  return { bytes: body, next: address + length.length + length.value };
}

/** A Go string header (data pointer, length) at `address`, followed to its bytes. */
function readPointedString(image: ExecutableImage, ptrSize: 4 | 8, bigEndian: boolean, address: number): Buffer {
  const none = Buffer.alloc(0);
  const header = readVirtual(image, address, 2 * ptrSize);
  if (!header || header.length < 2 * ptrSize) return none;
  const readPtr = (at: number): number => {
    if (ptrSize === 4) return bigEndian ? header.readUInt32BE(at) : header.readUInt32LE(at);
    const value = bigEndian ? header.readBigUInt64BE(at) : header.readBigUInt64LE(at);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
  };
  const dataAddress = readPtr(0);
  const length = readPtr(ptrSize);
  if (dataAddress < 0 || length < 0 || length > MAX_STRING) return none;
  const data = readVirtual(image, dataAddress, length);
  return data && data.length >= length ? data : none;
}

/** Reads the raw build info of an already parsed executable. */
export function readRawBuildInfoFromImage(image: ExecutableImage): RawBuildInfo {
  const { address: start, size } = dataStart(image);
  if (size === 0) throw notGoBinary();
  const address = searchMagic(image, start, size);
  const header = readVirtual(image, address, HEADER_SIZE);
  if (!header || header.length < HEADER_SIZE) throw notGoBinary();
  const flags = header[15] ?? 0;
  let goVersion: Buffer;
  let modInfo: Buffer;
  if ((flags & 0x2) === 0x2) {
    const version = decodeString(image, address + HEADER_SIZE);
    goVersion = version.bytes;
    modInfo = decodeString(image, version.next).bytes;
  } else {
    const ptrSize = header[14];
    if (ptrSize !== 4 && ptrSize !== 8) throw notGoBinary();
    const bigEndian = (flags & 0x1) === 0x1;
    const pointer = (at: number): number => {
      if (ptrSize === 4) return bigEndian ? header.readUInt32BE(at) : header.readUInt32LE(at);
      const value = bigEndian ? header.readBigUInt64BE(at) : header.readBigUInt64LE(at);
      return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
    };
    goVersion = readPointedString(image, ptrSize, bigEndian, pointer(16));
    modInfo = readPointedString(image, ptrSize, bigEndian, pointer(16 + ptrSize));
  }
  if (goVersion.length === 0) throw notGoBinary();
  // The modinfo string is framed by 16-byte sentinels (cmd/go's infoStart and infoEnd).
  const framed = modInfo.length >= 33 && modInfo[modInfo.length - 17] === 0x0a;
  return {
    goVersion: goVersion.toString('utf8'),
    modInfo: framed ? modInfo.subarray(16, modInfo.length - 16).toString('utf8') : '',
  };
}

/**
 * Reads the raw build info of a binary. Files that are not ELF, PE or Mach-O, or whose
 * headers are corrupt, throw `unrecognized executable format`; executables without Go build
 * info throw `non go binary` (Trivy's two errors).
 */
export function readRawBuildInfo(data: Buffer): RawBuildInfo {
  let image: ExecutableImage;
  try {
    image = openExecutable(data);
  } catch (error) {
    throw new VigilError('GO_UNRECOGNIZED_EXE', ERR_UNRECOGNIZED_EXE, { cause: error });
  }
  return readRawBuildInfoFromImage(image);
}
