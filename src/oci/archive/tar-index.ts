import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { VigilError } from '../../errors/index.ts';
import { TAR_BLOCK as BLOCK, tarHeaderName, tarNumber, tarString } from './tar-header.ts';

/**
 * An index of an uncompressed tar file built from its headers alone, with positioned reads:
 * opening a `docker save` archive or an OCI layout tarball never reads the layers themselves,
 * which is what lets a warm scan finish without touching layer bytes.
 */
export interface TarIndexEntry {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  readonly size: number;
  /** Offset of the entry's data in the tar file. */
  readonly offset: number;
  readonly linkname: string;
}

export interface TarIndex {
  readonly path: string;
  readonly entries: ReadonlyMap<string, TarIndexEntry>;
  /** The regular-file entry a name leads to, following symlinks and hard links inside the archive. */
  resolve(name: string): TarIndexEntry | undefined;
  read(entry: TarIndexEntry, maxBytes: number): Promise<Buffer>;
  stream(entry: TarIndexEntry): Readable;
  close(): Promise<void>;
}

const MAX_ENTRIES = 1_000_000;
const MAX_META_BYTES = 1024 * 1024;

export async function indexTarFile(path: string): Promise<TarIndex> {
  const handle = await open(path, 'r');
  try {
    const entries = await readHeaders(handle, path);
    return makeIndex(path, handle, entries);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readHeaders(handle: FileHandle, path: string): Promise<Map<string, TarIndexEntry>> {
  const { size: fileSize } = await handle.stat();
  const entries = new Map<string, TarIndexEntry>();
  const header = Buffer.alloc(BLOCK);
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let paxLink: string | undefined;
  const corrupt = (why: string) =>
    new VigilError('ARCHIVE_CORRUPT', `${path} is not a valid tar archive: ${why}`, {
      hint: 'check that the file is a complete `docker save` or OCI layout tarball (re-export it if it was truncated)',
    });
  while (offset + BLOCK <= fileSize) {
    await readExactly(handle, header, offset);
    if (header.every((byte) => byte === 0)) break;
    if (!validChecksum(header)) throw corrupt(`bad header checksum at byte ${offset}`);
    const size = tarNumber(header.subarray(124, 136));
    if (size === undefined) throw corrupt(`bad size field at byte ${offset}`);
    const dataOffset = offset + BLOCK;
    if (dataOffset + size > fileSize) throw corrupt(`entry at byte ${offset} runs past the end of the file`);
    const flag = String.fromCharCode(header[156] ?? 0);
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'L' || flag === 'x' || flag === 'K') {
      if (size > MAX_META_BYTES) throw corrupt('oversized extended header');
      const data = Buffer.alloc(size);
      await readExactly(handle, data, dataOffset);
      if (flag === 'L') longName = tarString(data);
      else if (flag === 'K') paxLink = tarString(data);
      else {
        const pax = parsePax(data);
        paxPath = pax.get('path') ?? paxPath;
        paxLink = pax.get('linkpath') ?? paxLink;
      }
      continue;
    }
    if (flag === 'g') continue;
    const name = normalizeName(paxPath ?? longName ?? tarHeaderName(header));
    const linkname = paxLink ?? tarString(header.subarray(157, 257));
    longName = paxPath = paxLink = undefined;
    if (entries.size >= MAX_ENTRIES) throw corrupt('too many entries');
    entries.set(name, { name, type: entryType(flag), size, offset: dataOffset, linkname });
  }
  return entries;
}

function makeIndex(path: string, handle: FileHandle, entries: Map<string, TarIndexEntry>): TarIndex {
  const resolve = (name: string): TarIndexEntry | undefined => {
    let current = entries.get(normalizeName(name));
    for (let hops = 0; current && hops < 16; hops += 1) {
      if (current.type === 'file') return current;
      if (current.type !== 'symlink' && current.type !== 'link') return undefined;
      const target =
        current.type === 'symlink' && !current.linkname.startsWith('/')
          ? joinRelative(current.name, current.linkname)
          : current.linkname;
      current = entries.get(normalizeName(target));
    }
    return undefined;
  };
  return {
    path,
    entries,
    resolve,
    async read(entry, maxBytes) {
      if (entry.size > maxBytes) {
        throw new VigilError('ARCHIVE_ENTRY_TOO_LARGE', `${entry.name} in ${path} is larger than ${maxBytes} bytes`, {
          hint: 'the archive does not look like an image export',
        });
      }
      const data = Buffer.alloc(entry.size);
      await readExactly(handle, data, entry.offset);
      return data;
    },
    stream(entry) {
      return handle.createReadStream({
        start: entry.offset,
        end: entry.offset + entry.size - 1,
        autoClose: false,
        emitClose: false,
      }) as unknown as Readable;
    },
    close: () => handle.close(),
  };
}

async function readExactly(handle: FileHandle, target: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new VigilError('ARCHIVE_TRUNCATED', 'unexpected end of archive');
    done += bytesRead;
  }
}

function validChecksum(header: Buffer): boolean {
  const stored = tarNumber(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return stored === sum;
}

function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space < 0) break;
    const length = Number.parseInt(data.subarray(position, space).toString('latin1'), 10);
    if (!Number.isFinite(length) || length <= 0 || position + length > data.length) break;
    const record = data.subarray(space + 1, position + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    position += length;
  }
  return records;
}

function entryType(flag: string): TarIndexEntry['type'] {
  if (flag === '0' || flag === '\0' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'link';
  return 'other';
}

/** `./a//b/` → `a/b`. */
export function normalizeName(name: string): string {
  return name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

function joinRelative(from: string, target: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
