import { VigilError } from '../../../errors/index.ts';

/** The Berkeley DB hash magic, at offset 12 of the metadata page in either byte order. */
export const BDB_HASH_MAGIC = 0x061561;

const VALID_PAGE_SIZES = new Set([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]);
const PAGE_HEADER = 26;
const HASH_META_PAGE = 8;
const HASH_UNSORTED_PAGE = 2; // written by Berkeley DB before 4.6 (RHEL 5)
const HASH_PAGE = 13;
const OVERFLOW_PAGE = 7;
const OFF_PAGE_ITEM = 3; // H_OFFPAGE: the value lives on a chain of overflow pages
const OFF_PAGE_ITEM_SIZE = 12;

const corrupt = (detail: string) => new VigilError('RPMDB_CORRUPT', `corrupt Berkeley DB: ${detail}`);

/**
 * Every value stored off-page in a Berkeley DB hash database (rpm's `Packages` before rpm 4.16),
 * in page order. rpm keeps each package header as such a value; small inline items are not
 * headers and are skipped, as go-rpmdb (Trivy's reader) does. Overflow chains are followed with
 * each page used at most once, so a cyclic or shared chain is reported instead of looping.
 */
export function readBerkeleyDbValues(db: Buffer): Buffer[] {
  if (db.length < 512) throw corrupt(`${db.length} bytes is too short`);
  let littleEndian: boolean;
  if (db.readUInt32LE(12) === BDB_HASH_MAGIC) littleEndian = true;
  else if (db.readUInt32BE(12) === BDB_HASH_MAGIC) littleEndian = false;
  else throw corrupt('not a hash database');
  const u32 = (at: number) => (littleEndian ? db.readUInt32LE(at) : db.readUInt32BE(at));
  const u16 = (at: number) => (littleEndian ? db.readUInt16LE(at) : db.readUInt16BE(at));
  const pageSize = u32(20);
  if (!VALID_PAGE_SIZES.has(pageSize)) throw corrupt(`unexpected page size ${pageSize}`);
  if (db[24] !== 0) throw corrupt('encrypted database');
  if (db[25] !== HASH_META_PAGE) throw corrupt(`unexpected metadata page type ${db[25]}`);
  const lastPage = u32(32);
  // A truncated last page is tolerated, as go-rpmdb does.
  const pageCount = Math.min(lastPage + 1, Math.floor(db.length / pageSize));
  const usedOverflowPages = new Set<number>();

  const followChain = (firstPage: number, totalLength: number): Buffer => {
    const parts: Buffer[] = [];
    let length = 0;
    for (let page = firstPage; page !== 0; ) {
      if (page >= pageCount) throw corrupt(`overflow page ${page} is outside the file`);
      if (usedOverflowPages.has(page)) throw corrupt(`overflow page ${page} is used twice`);
      usedOverflowPages.add(page);
      const start = page * pageSize;
      if (db[start + 25] !== OVERFLOW_PAGE) throw corrupt(`page ${page} is not an overflow page`);
      const next = u32(start + 16);
      const used = next === 0 ? u16(start + 22) : pageSize - PAGE_HEADER;
      if (PAGE_HEADER + used > pageSize) throw corrupt(`overflow page ${page} claims ${used} bytes`);
      parts.push(db.subarray(start + PAGE_HEADER, start + PAGE_HEADER + used));
      length += used;
      if (length > totalLength) throw corrupt(`value on page ${firstPage} is longer than its ${totalLength} bytes`);
      page = next;
    }
    return Buffer.concat(parts, length);
  };

  const values: Buffer[] = [];
  for (let page = 0; page < pageCount; page++) {
    const start = page * pageSize;
    const type = db[start + 25];
    if (type !== HASH_PAGE && type !== HASH_UNSORTED_PAGE) continue;
    const entries = u16(start + 20);
    // Entries come in key/value pairs; a page that breaks this is skipped, as go-rpmdb does.
    if (entries % 2 !== 0 || PAGE_HEADER + entries * 2 > pageSize) continue;
    for (let entry = 1; entry < entries; entry += 2) {
      const offset = u16(start + PAGE_HEADER + entry * 2);
      if (offset + OFF_PAGE_ITEM_SIZE > pageSize) continue;
      const item = start + offset;
      if (db[item] !== OFF_PAGE_ITEM) continue;
      values.push(followChain(u32(item + 4), u32(item + 8)));
    }
  }
  return values;
}
