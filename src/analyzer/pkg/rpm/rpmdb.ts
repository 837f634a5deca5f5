import { VigilError } from '../../../errors/index.ts';
import { BDB_HASH_MAGIC, readBerkeleyDbValues } from './berkeley-db.ts';
import { NDB_MAGIC, readNdbBlobs } from './ndb.ts';
import { type RpmPackageInfo, readRpmPackage } from './rpm-package.ts';
import { readSqliteBlobs, SQLITE_MAGIC } from './rpm-sqlite.ts';

export type RpmdbFormat = 'sqlite' | 'ndb' | 'bdb';

/** Which of rpm's three database formats the bytes are, by their magic numbers. */
export function detectRpmdbFormat(db: Buffer): RpmdbFormat | undefined {
  if (db.length >= 16 && db.subarray(0, 16).equals(SQLITE_MAGIC)) return 'sqlite';
  if (db.length >= 4 && db.readUInt32LE(0) === NDB_MAGIC) return 'ndb';
  if (db.length >= 16 && (db.readUInt32LE(12) === BDB_HASH_MAGIC || db.readUInt32BE(12) === BDB_HASH_MAGIC)) {
    return 'bdb';
  }
  return undefined;
}

/** Every package header in an rpmdb of any format, in the database's own order. */
export function listRpmPackages(db: Buffer): RpmPackageInfo[] {
  const format = detectRpmdbFormat(db);
  if (format === undefined) {
    throw new VigilError('RPMDB_CORRUPT', 'not an rpm database (no SQLite, NDB or Berkeley DB hash magic)');
  }
  const blobs =
    format === 'sqlite' ? readSqliteBlobs(db) : format === 'ndb' ? readNdbBlobs(db) : readBerkeleyDbValues(db);
  return blobs.map(readRpmPackage);
}
