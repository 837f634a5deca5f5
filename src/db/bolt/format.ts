/**
 * The bbolt on-disk format (go.etcd.io/bbolt, file format version 2), little-endian:
 *  - every page starts with a 16-byte header {id u64, flags u16, count u16, overflow u32};
 *    a page with overflow N spans N+1 consecutive pages
 *  - leaf elements are 16 bytes {flags u32, pos u32, ksize u32, vsize u32}, branch elements
 *    16 bytes {pos u32, ksize u32, pgid u64}; `pos` is relative to the element's own offset
 *  - pages 0 and 1 hold the two meta records; a reader takes the valid one with the higher txid
 *  - a leaf element with flag 0x01 is a sub-bucket: its value is {root pgid u64, sequence u64},
 *    followed by an inline page when root is 0
 */
export const BOLT_MAGIC = 0xed0cdaed;
export const BOLT_VERSION = 2;

export const PAGE_HEADER_SIZE = 16;
export const ELEMENT_SIZE = 16;
export const META_SIZE = 64;
export const BUCKET_HEADER_SIZE = 16;

export const BRANCH_PAGE_FLAG = 0x01;
export const LEAF_PAGE_FLAG = 0x02;
export const META_PAGE_FLAG = 0x04;
export const FREELIST_PAGE_FLAG = 0x10;

/** Leaf element flag marking a nested bucket. */
export const BUCKET_LEAF_FLAG = 0x01;

/** The freelist pgid bbolt stores when the freelist is not persisted (NoFreelistSync). */
export const NO_FREELIST_PGID = 0xffff_ffff_ffff_ffffn;

/** Page sizes bbolt can produce (it uses the OS page size; 4 KiB to 64 KiB in practice). */
export const MIN_PAGE_SIZE = 512;
export const MAX_PAGE_SIZE = 1 << 20;

export interface BoltMeta {
  readonly pageSize: number;
  readonly flags: number;
  readonly rootPgid: number;
  readonly rootSequence: bigint;
  readonly freelistPgid: bigint;
  /** High-water mark: the number of pages in use; every page id is below it. */
  readonly pageCount: number;
  readonly txid: bigint;
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const U64_MASK = 0xffff_ffff_ffff_ffffn;

/** FNV-1a, 64 bit: bbolt's meta checksum. */
export function fnv64a(bytes: Uint8Array): bigint {
  let hash = FNV64_OFFSET;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * FNV64_PRIME) & U64_MASK;
  }
  return hash;
}

/**
 * Little-endian u32 and u16 by plain indexing, for offsets already checked to lie inside the
 * page: no argument validation and no call into Buffer, whose checks (and the garbage they make
 * before the JIT has warmed up) cost more than the read on a first pass.
 */
export function u32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) +
    (bytes[at + 3] as number) * 0x100_0000
  );
}

export function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

/** Reads a u64 that must fit a JS number exactly (page ids, counts). */
export function readSafeU64(buffer: Buffer, offset: number): number {
  if (offset < 0 || offset + 8 > buffer.length)
    throw new RangeError(`u64 at ${offset} is outside ${buffer.length} bytes`);
  const low = u32(buffer, offset);
  const high = u32(buffer, offset + 4);
  if (high > 0x1f_ffff) return Number.POSITIVE_INFINITY;
  return high * 0x1_0000_0000 + low;
}

export function writeU64(buffer: Buffer, offset: number, value: number | bigint): void {
  buffer.writeBigUInt64LE(BigInt(value), offset);
}

export type MetaCheck = { ok: true; meta: BoltMeta } | { ok: false; reason: string };

/** Decodes and validates the meta record that starts `PAGE_HEADER_SIZE` bytes into `page`. */
export function decodeMeta(page: Buffer): MetaCheck {
  if (page.length < PAGE_HEADER_SIZE + META_SIZE) return { ok: false, reason: 'meta page is truncated' };
  const flags = page.readUInt16LE(8);
  if ((flags & META_PAGE_FLAG) === 0) return { ok: false, reason: `not a meta page (flags 0x${flags.toString(16)})` };
  const m = page.subarray(PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + META_SIZE);
  const magic = m.readUInt32LE(0);
  if (magic !== BOLT_MAGIC) return { ok: false, reason: `bad magic 0x${magic.toString(16)}` };
  const version = m.readUInt32LE(4);
  if (version !== BOLT_VERSION) return { ok: false, reason: `unsupported bbolt version ${version}` };
  const checksum = m.readBigUInt64LE(56);
  if (fnv64a(m.subarray(0, 56)) !== checksum) return { ok: false, reason: 'meta checksum mismatch' };
  const pageSize = m.readUInt32LE(8);
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
    return { ok: false, reason: `invalid page size ${pageSize}` };
  }
  return {
    ok: true,
    meta: {
      pageSize,
      flags: m.readUInt32LE(12),
      rootPgid: readSafeU64(m, 16),
      rootSequence: m.readBigUInt64LE(24),
      freelistPgid: m.readBigUInt64LE(32),
      pageCount: readSafeU64(m, 40),
      txid: m.readBigUInt64LE(48),
    },
  };
}

/** Encodes a meta record (with its checksum) into a full meta page. */
export function encodeMetaPage(pageId: number, pageSize: number, meta: Omit<BoltMeta, 'pageSize'>): Buffer {
  const page = Buffer.alloc(pageSize);
  writeU64(page, 0, pageId);
  page.writeUInt16LE(META_PAGE_FLAG, 8);
  const m = page.subarray(PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + META_SIZE);
  m.writeUInt32LE(BOLT_MAGIC, 0);
  m.writeUInt32LE(BOLT_VERSION, 4);
  m.writeUInt32LE(pageSize, 8);
  m.writeUInt32LE(meta.flags, 12);
  writeU64(m, 16, meta.rootPgid);
  writeU64(m, 24, meta.rootSequence);
  writeU64(m, 32, meta.freelistPgid);
  writeU64(m, 40, meta.pageCount);
  writeU64(m, 48, meta.txid);
  writeU64(m, 56, fnv64a(m.subarray(0, 56)));
  return page;
}
