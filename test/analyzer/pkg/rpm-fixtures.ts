import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

export const fixtures = fileURLToPath(new URL('../../fixtures/analyzer-pkg/', import.meta.url));

/** A fixture file's bytes; `.br` files are stored brotli-compressed to keep the repository small. */
export function fixtureBytes(path: string): Buffer {
  const bytes = readFileSync(`${fixtures}${path}`);
  return path.endsWith('.br') ? brotliDecompressSync(bytes) : bytes;
}

export const sle15Ndb = () => fixtureBytes('go-rpmdb/sle15-bci.Packages.db.br');
export const marinerSqlite = () => fixtureBytes('go-rpmdb/cbl-mariner-2.0.rpmdb.sqlite.br');
export const libuuidBdb = () => fixtureBytes('go-rpmdb/libuuid.Packages');
export const epochBdb = () => fixtureBytes('osv-scalibr/rpm/Packages_epoch');
