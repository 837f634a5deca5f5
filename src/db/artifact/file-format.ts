import { open } from 'node:fs/promises';
// The format's own file: bolt's index loads the reader, page cache and writer, which this check never uses.
import { decodeMeta } from '../bolt/format.ts';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const HEAD_BYTES = 64 * 1024;

async function readHead(path: string): Promise<Buffer | string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${path} is missing` : `${path} cannot be read (${code ?? (error as Error).message})`;
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Why `path` is not a bbolt file, or undefined when it is: the magic 0xED0CDAED at offset 16 and
 * a valid meta page (either of the two, as bbolt itself falls back to the second).
 */
export async function bboltProblem(path: string): Promise<string | undefined> {
  const head = await readHead(path);
  if (typeof head === 'string') return head;
  const first = decodeMeta(head);
  if (first.ok) return undefined;
  if (head.length >= 28 && head.readUInt32LE(16) === 0xed0cdaed) {
    const pageSize = head.readUInt32LE(24);
    if (pageSize > 0 && pageSize < head.length && decodeMeta(head.subarray(pageSize)).ok) return undefined;
  }
  return `${path} is not a bbolt database (${first.reason})`;
}

/** Why `path` is not an SQLite database, or undefined when it is. */
export async function sqliteProblem(path: string): Promise<string | undefined> {
  const head = await readHead(path);
  if (typeof head === 'string') return head;
  if (head.length < 100 || !head.subarray(0, 16).equals(SQLITE_HEADER)) return `${path} is not an SQLite database`;
  return undefined;
}
