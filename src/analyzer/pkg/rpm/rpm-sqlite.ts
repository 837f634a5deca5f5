import { DatabaseSync } from 'node:sqlite';
import { describeError, VigilError } from '../../../errors/index.ts';

export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * The header blobs of an rpmdb.sqlite (RHEL 9, Fedora, Mariner), read entirely in memory: the
 * bytes are handed to SQLite with `deserialize`, so no temporary file is written anywhere. rpm
 * leaves its databases in WAL mode, which an in-memory database cannot open, so a private copy
 * is marked as a rollback-journal database first (header bytes 18-19); the data is unchanged.
 * A `-wal` file next to it is not read, as in Trivy.
 */
export function readSqliteBlobs(db: Buffer): Buffer[] {
  if (db.length < 100 || !db.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new VigilError('RPMDB_CORRUPT', 'corrupt rpmdb.sqlite: not an SQLite database');
  }
  const image = new Uint8Array(db);
  image[18] = 1;
  image[19] = 1;
  const sqlite = new DatabaseSync(':memory:');
  try {
    sqlite.enableDefensive(true);
    sqlite.deserialize(image);
    const blobs: Buffer[] = [];
    for (const row of sqlite.prepare('SELECT blob FROM Packages').iterate()) {
      const blob = (row as { blob?: unknown }).blob;
      if (!(blob instanceof Uint8Array)) throw new Error('a Packages row has no blob');
      blobs.push(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
    }
    return blobs;
  } catch (error) {
    throw new VigilError('RPMDB_CORRUPT', `corrupt rpmdb.sqlite: ${describeError(error)}`, { cause: error });
  } finally {
    sqlite.close();
  }
}
