import { VigilError } from '../../../errors/index.ts';

/** Tag numbers (rpm's lib/rpmtag.h) that the package reader uses. */
export const RpmTag = {
  HeaderImage: 61,
  HeaderSignatures: 62,
  HeaderImmutable: 63,
  HeaderI18nTable: 100,
  SigPgp: 259,
  SigMd5: 261,
  RsaHeader: 268,
  Name: 1000,
  Version: 1001,
  Release: 1002,
  Epoch: 1003,
  Summary: 1004,
  InstallTime: 1008,
  Size: 1009,
  Vendor: 1011,
  License: 1014,
  Arch: 1022,
  FileSizes: 1028,
  FileModes: 1030,
  FileDigests: 1035,
  FileFlags: 1037,
  FileUserName: 1039,
  FileGroupName: 1040,
  SourceRpm: 1044,
  ProvideName: 1047,
  RequireName: 1049,
  DirIndexes: 1116,
  BaseNames: 1117,
  DirNames: 1118,
  FileDigestAlgo: 5011,
  ModularityLabel: 5096,
} as const;

/** Data types of header entries (rpm's rpmTagType). */
export const RpmType = {
  Null: 0,
  Char: 1,
  Int8: 2,
  Int16: 3,
  Int32: 4,
  Int64: 5,
  String: 6,
  Bin: 7,
  StringArray: 8,
  I18nString: 9,
} as const;

const FIXED_SIZE = [0, 1, 1, 2, 4, 8, 0, 1, 0, 0];
const isStringType = (type: number) =>
  type === RpmType.String || type === RpmType.StringArray || type === RpmType.I18nString;

// rpm's own limits (lib/header.c hdrchkTags / hdrchkData).
const MAX_INDEX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 256 * 1024 * 1024;
const ENTRY_SIZE = 16;
const REGION_TAGS: readonly number[] = [RpmTag.HeaderImage, RpmTag.HeaderSignatures, RpmTag.HeaderImmutable];

export interface RpmHeaderEntry {
  tag: number;
  type: number;
  count: number;
  /** The entry's bytes in the data store, exactly as long as its type and count say. */
  data: Buffer;
}

export const corruptHeader = (detail: string) => new VigilError('RPMDB_CORRUPT', `corrupt rpm header: ${detail}`);

/**
 * Parses one rpm header blob as stored in an rpmdb (no lead, no magic): a big-endian index of
 * (tag, type, offset, count) entries followed by their data. The optional first entry marks the
 * immutable region; entries after the region ("dribble", added at install time) override it.
 * Every offset, count and string is checked against the blob, so a corrupt header throws.
 */
export function parseRpmHeader(blob: Uint8Array): Map<number, RpmHeaderEntry> {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 8) throw corruptHeader(`${bytes.length} bytes is too short`);
  const indexLength = bytes.readUInt32BE(0);
  const dataLength = bytes.readUInt32BE(4);
  if (indexLength < 1 || indexLength > MAX_INDEX_ENTRIES) throw corruptHeader(`bad index length ${indexLength}`);
  if (dataLength > MAX_DATA_BYTES) throw corruptHeader(`bad data length ${dataLength}`);
  const dataStart = 8 + indexLength * ENTRY_SIZE;
  if (dataStart + dataLength > bytes.length) {
    throw corruptHeader(`index and data need ${dataStart + dataLength} bytes, blob has ${bytes.length}`);
  }
  const store = bytes.subarray(dataStart, dataStart + dataLength);
  const entryAt = (index: number) => {
    const at = 8 + index * ENTRY_SIZE;
    return {
      tag: bytes.readInt32BE(at),
      type: bytes.readUInt32BE(at + 4),
      offset: bytes.readInt32BE(at + 8),
      count: bytes.readUInt32BE(at + 12),
    };
  };
  let first = 0;
  const region = entryAt(0);
  if (REGION_TAGS.includes(region.tag)) {
    if (region.type !== RpmType.Bin || region.count !== ENTRY_SIZE) throw corruptHeader('bad region tag');
    if (region.offset < 0 || region.offset + ENTRY_SIZE > dataLength) throw corruptHeader('bad region offset');
    const trailerOffset = store.readInt32BE(region.offset + 8);
    const regionEntries = -trailerOffset / ENTRY_SIZE;
    if (!Number.isInteger(regionEntries) || regionEntries < 1 || regionEntries > indexLength) {
      throw corruptHeader('bad region trailer');
    }
    first = 1;
  }
  const entries = new Map<number, RpmHeaderEntry>();
  // As rpm requires (hdrblobVerifyInfo), entries lie in the data store in index order without
  // overlapping, which also keeps the work linear in the blob's size.
  let previousEnd = 0;
  for (let index = first; index < indexLength; index++) {
    const { tag, type, offset, count } = entryAt(index);
    if (tag < RpmTag.HeaderI18nTable) throw corruptHeader(`bad tag ${tag}`);
    if (type > RpmType.I18nString) throw corruptHeader(`tag ${tag} has bad type ${type}`);
    const size = FIXED_SIZE[type] ?? 0;
    if (offset < previousEnd || offset > dataLength || (size > 1 && offset % size !== 0)) {
      throw corruptHeader(`tag ${tag} has bad offset ${offset}`);
    }
    if (count > dataLength) throw corruptHeader(`tag ${tag} has bad count ${count}`);
    let end: number;
    if (isStringType(type)) {
      if (type === RpmType.String && count !== 1) throw corruptHeader(`string tag ${tag} has count ${count}`);
      end = offset;
      for (let i = 0; i < count; i++) {
        const nul = store.indexOf(0, end);
        if (nul < 0) throw corruptHeader(`tag ${tag} runs past the data`);
        end = nul + 1;
      }
    } else {
      end = offset + size * count;
      if (end > dataLength) throw corruptHeader(`tag ${tag} runs past the data`);
    }
    previousEnd = end;
    // A later entry for the same tag (dribble data) replaces the region's.
    entries.set(tag, { tag, type, count, data: store.subarray(offset, end) });
  }
  return entries;
}
