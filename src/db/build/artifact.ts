import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';

/** trivy-db's schema version, written to metadata.json. */
export const TRIVY_DB_SCHEMA_VERSION = 2;

export interface DbMetadata {
  Version: number;
  NextUpdate: string;
  UpdatedAt: string;
  DownloadedAt: string;
}

/** Go's RFC 3339 with nanoseconds: fractional seconds only when non-zero, trailing zeros trimmed. */
export function goTimeText(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

/** metadata.json as trivy-db publishes it: DownloadedAt is the zero time until a client sets it. */
export function dbMetadata(updatedAt: Date, nextUpdate: Date): DbMetadata {
  return {
    Version: TRIVY_DB_SCHEMA_VERSION,
    NextUpdate: goTimeText(nextUpdate),
    UpdatedAt: goTimeText(updatedAt),
    DownloadedAt: '0001-01-01T00:00:00Z',
  };
}

/**
 * Writes `db.tar.gz` (trivy.db + metadata.json, the layer Trivy's DB artifact carries) through a
 * temporary file renamed into place, so a failed build never leaves a half-written artifact.
 */
export async function writeDbArchive(dbFile: string, metadata: DbMetadata, output: string, mtime: Date): Promise<void> {
  const temporary = `${output}.${process.pid}.tmp`;
  const archive = pack();
  const written = pipeline(archive, createGzip({ level: 9 }), createWriteStream(temporary));
  try {
    const metadataText = `${JSON.stringify(metadata)}\n`;
    archive.entry({ name: 'metadata.json', mode: 0o644, mtime, size: Buffer.byteLength(metadataText) }, metadataText);
    const size = statSync(dbFile).size;
    const entry = archive.entry({ name: 'trivy.db', mode: 0o644, mtime, size });
    await pipeline(createReadStream(dbFile), entry);
    archive.finalize();
    await written;
    renameSync(temporary, output);
  } catch (error) {
    archive.destroy();
    await written.catch(() => undefined);
    rmSync(temporary, { force: true });
    throw error;
  }
}
