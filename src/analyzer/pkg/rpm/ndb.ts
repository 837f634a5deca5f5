import { VigilError } from '../../../errors/index.ts';

/** "RpmP" little-endian: the first word of an NDB `Packages.db` (SUSE, rpm ≥ 4.16 with ndb). */
export const NDB_MAGIC = 0x506d7052;
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const SLOTS_PER_PAGE = 4096 / SLOT_SIZE;
const BLOCK_SIZE = 16;
const MAX_SLOT_PAGES = 2048;

const corrupt = (detail: string) => new VigilError('RPMDB_CORRUPT', `corrupt NDB rpmdb: ${detail}`);

/**
 * The package header blobs of an NDB database, in slot order: a 32-byte header, slot pages (the
 * first two slots are the header itself) pointing at 16-byte blocks, each package a blob header
 * then the rpm header. Every slot and blob is checked against the file before it is read.
 */
export function readNdbBlobs(db: Buffer): Buffer[] {
  if (db.length < HEADER_SIZE) throw corrupt(`${db.length} bytes is too short`);
  if (db.readUInt32LE(0) !== NDB_MAGIC || db.readUInt32LE(4) !== 0) throw corrupt('unsupported header');
  const slotPages = db.readUInt32LE(12);
  if (slotPages === 0 || slotPages > MAX_SLOT_PAGES) throw corrupt(`bad slot page count ${slotPages}`);
  const slotCount = slotPages * SLOTS_PER_PAGE - 2;
  if (HEADER_SIZE + slotCount * SLOT_SIZE > db.length) throw corrupt('slot pages run past the end of the file');
  const blobs: Buffer[] = [];
  for (let slot = 0; slot < slotCount; slot++) {
    const at = HEADER_SIZE + slot * SLOT_SIZE;
    if (db.readUInt32LE(at) !== SLOT_MAGIC) throw corrupt(`bad magic in slot ${slot}`);
    const packageIndex = db.readUInt32LE(at + 4);
    if (packageIndex === 0) continue;
    const blockOffset = db.readUInt32LE(at + 8);
    const blockCount = db.readUInt32LE(at + 12);
    const start = blockOffset * BLOCK_SIZE;
    if (start + BLOCK_SIZE > db.length) throw corrupt(`package ${packageIndex} starts outside the file`);
    if (db.readUInt32LE(start) !== BLOB_MAGIC) throw corrupt(`bad blob magic for package ${packageIndex}`);
    if (db.readUInt32LE(start + 4) !== packageIndex) throw corrupt(`blob of package ${packageIndex} not found`);
    const length = db.readUInt32LE(start + 12);
    if (BLOCK_SIZE + length > blockCount * BLOCK_SIZE || start + BLOCK_SIZE + length > db.length) {
      throw corrupt(`blob of package ${packageIndex} is longer than its blocks`);
    }
    blobs.push(db.subarray(start + BLOCK_SIZE, start + BLOCK_SIZE + length));
  }
  return blobs;
}
