import { VigilError } from '../../errors/index.ts';
import {
  type BoltMeta,
  BRANCH_PAGE_FLAG,
  BUCKET_HEADER_SIZE,
  BUCKET_LEAF_FLAG,
  decodeMeta,
  PAGE_HEADER_SIZE,
  readSafeU64,
} from './format.ts';
import { checkPageHeader, PageFile, type PageReadStats } from './page-file.ts';

/** A key/value pair; `bucket` marks a nested bucket (open it with `BoltBucket.bucket`). */
export interface BoltEntry {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly bucket: boolean;
}

export type BoltKey = string | Uint8Array;

export interface BoltOpenOptions {
  /** Upper bound of the page cache in bytes (default 8 MiB). */
  readonly cacheBytes?: number;
}

/** B+trees deeper than this do not occur (a 64 KiB-page tree of depth 12 holds more than 2^64 keys). */
const MAX_TREE_DEPTH = 24;

/** A read-only bbolt database. Safe for many processes at once: nothing is locked or written. */
export interface BoltDb {
  readonly path: string;
  readonly meta: BoltMeta;
  /** The top-level bucket namespace. */
  readonly root: BoltBucket;
  /** A nested bucket by path, or undefined when any level is missing. */
  bucket(...path: BoltKey[]): BoltBucket | undefined;
  readonly stats: PageReadStats;
  close(): void;
}

/** Opens a bbolt file read-only, validating both meta pages and using the newest valid one. */
export function openBolt(path: string, options: BoltOpenOptions = {}): BoltDb {
  const file = new PageFile(path, options.cacheBytes ?? 8 * 1024 * 1024);
  try {
    const meta = readMeta(file);
    file.setGeometry(meta.pageSize, meta.pageCount);
    const root = new BoltBucket(file, { pgid: meta.rootPgid }, 0);
    return {
      path,
      meta,
      root,
      bucket: (...names) => root.bucketPath(names),
      stats: file.stats,
      close: () => file.close(),
    };
  } catch (error) {
    file.close();
    throw error;
  }
}

function readMeta(file: PageFile): BoltMeta {
  if (file.fileSize < 1024) throw file.corrupt(`the file is only ${file.fileSize} bytes long`);
  const first = decodeMeta(file.readAt(0, 4096));
  const pageSize = first.ok ? first.meta.pageSize : 4096;
  const second = decodeMeta(file.readAt(pageSize, 4096));
  const candidates = [first, second].flatMap((check) => (check.ok ? [check.meta] : []));
  if (candidates.length === 0) {
    const reason = first.ok ? '' : first.reason;
    throw new VigilError('BOLT_CORRUPT', `${file.path} is not a valid bbolt file: ${reason || 'no valid meta page'}`, {
      hint: 'the file is damaged or not a bbolt database; download it again (vigil db pull)',
    });
  }
  const meta = candidates.reduce((best, next) => (next.txid > best.txid ? next : best));
  if (!Number.isSafeInteger(meta.pageCount) || meta.pageCount < 3) {
    throw file.corrupt(`meta page count ${meta.pageCount} is invalid`);
  }
  if (meta.pageCount * meta.pageSize > file.fileSize) {
    throw file.corrupt(
      `the file is truncated: ${file.fileSize} bytes, but the meta page says ${meta.pageCount} pages of ${meta.pageSize}`,
    );
  }
  if (meta.rootPgid < 2 || meta.rootPgid >= meta.pageCount) {
    throw file.corrupt(`root bucket page ${meta.rootPgid} is outside the file`);
  }
  return meta;
}

/** Where a bucket's tree lives: a page id, or an inline page carried in its parent's value. */
type BucketRoot = { pgid: number } | { inline: Buffer };

function toKey(key: BoltKey): Buffer {
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  return Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

/** Byte order of `key` against page bytes; a plain loop beats Buffer#compare's native call for short keys. */
function compareKeyAt(key: Buffer, page: Buffer, start: number, length: number): number {
  const n = Math.min(key.length, length);
  for (let i = 0; i < n; i++) {
    const diff = (key[i] as number) - (page[start + i] as number);
    if (diff !== 0) return diff;
  }
  return key.length - length;
}

/** A bucket: point lookups, nested buckets and ordered cursors. */
export class BoltBucket {
  readonly #file: PageFile;
  readonly #root: BucketRoot;
  readonly #depth: number;

  constructor(file: PageFile, root: BucketRoot, depth: number) {
    this.#file = file;
    this.#root = root;
    this.#depth = depth;
  }

  /** The value stored under `key`, or undefined when absent or when `key` names a bucket. */
  get(key: BoltKey): Buffer | undefined {
    const entry = this.#exact(toKey(key));
    return entry === undefined || entry.bucket ? undefined : entry.value;
  }

  /** The nested bucket called `name`, or undefined. */
  bucket(name: BoltKey): BoltBucket | undefined {
    const entry = this.#exact(toKey(name));
    if (entry === undefined || !entry.bucket) return undefined;
    return this.#open(entry);
  }

  bucketPath(names: readonly BoltKey[]): BoltBucket | undefined {
    let current: BoltBucket | undefined = this;
    for (const name of names) {
      current = current?.bucket(name);
      if (current === undefined) return undefined;
    }
    return current;
  }

  /** Opens the nested bucket an entry of this bucket describes. */
  openEntry(entry: BoltEntry): BoltBucket {
    if (!entry.bucket) throw this.#file.corrupt(`key ${entry.key.toString()} is not a bucket`);
    return this.#open(entry);
  }

  cursor(): BoltCursor {
    return new BoltCursor(this.#file, this.#root);
  }

  /** Entries in key order, optionally only those whose key starts with `prefix`. */
  *entries(prefix?: BoltKey): Generator<BoltEntry> {
    const cursor = this.cursor();
    const start = prefix === undefined ? undefined : toKey(prefix);
    let entry = start === undefined ? cursor.first() : cursor.seek(start);
    while (entry !== undefined) {
      if (start !== undefined && !startsWith(entry.key, start)) return;
      yield entry;
      entry = cursor.next();
    }
  }

  #exact(key: Buffer): BoltEntry | undefined {
    const entry = this.cursor().seek(key);
    return entry?.key.equals(key) ? entry : undefined;
  }

  #open(entry: BoltEntry): BoltBucket {
    if (this.#depth >= 64) throw this.#file.corrupt('buckets are nested more than 64 levels deep');
    if (entry.value.length < BUCKET_HEADER_SIZE) {
      throw this.#file.corrupt(`bucket ${entry.key.toString()} has a truncated header`);
    }
    const pgid = readSafeU64(entry.value, 0);
    if (pgid === 0) {
      const inline = entry.value.subarray(BUCKET_HEADER_SIZE);
      checkPageHeader(inline, undefined, this.#file);
      return new BoltBucket(this.#file, { inline }, this.#depth + 1);
    }
    return new BoltBucket(this.#file, { pgid }, this.#depth + 1);
  }
}

function startsWith(key: Buffer, prefix: Buffer): boolean {
  return key.length >= prefix.length && key.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

interface StackFrame {
  page: Buffer;
  index: number;
  branch: boolean;
}

/** Walks a bucket's B+tree in key order; `seek` positions at the first key ≥ the given one. */
export class BoltCursor {
  readonly #file: PageFile;
  readonly #root: BucketRoot;
  #stack: StackFrame[] = [];

  constructor(file: PageFile, root: BucketRoot) {
    this.#file = file;
    this.#root = root;
  }

  first(): BoltEntry | undefined {
    this.#stack = [];
    let frame = this.#push(this.#rootPage());
    while (frame.branch) frame = this.#push(this.#child(frame.page, 0));
    return this.#settle();
  }

  seek(key: BoltKey): BoltEntry | undefined {
    const target = toKey(key);
    this.#stack = [];
    let frame = this.#push(this.#rootPage());
    while (frame.branch) {
      frame.index = branchIndex(frame.page, target);
      frame = this.#push(this.#child(frame.page, frame.index));
    }
    frame.index = leafIndex(frame.page, target);
    return this.#settle();
  }

  next(): BoltEntry | undefined {
    const top = this.#stack.at(-1);
    if (top === undefined) return undefined;
    top.index += 1;
    return this.#settle();
  }

  /** Moves past exhausted pages to the next leaf element, or ends the walk. */
  #settle(): BoltEntry | undefined {
    for (;;) {
      const top = this.#stack.at(-1);
      if (top === undefined) return undefined;
      const count = top.page.readUInt16LE(10);
      if (top.index < count) {
        if (!top.branch) return leafEntry(top.page, top.index);
        this.#descendFirst(this.#child(top.page, top.index));
        continue;
      }
      this.#stack.pop();
      const parent = this.#stack.at(-1);
      if (parent === undefined) return undefined;
      parent.index += 1;
    }
  }

  #descendFirst(page: Buffer): void {
    let frame = this.#push(page);
    while (frame.branch) frame = this.#push(this.#child(frame.page, 0));
  }

  #push(page: Buffer): StackFrame {
    if (this.#stack.length >= MAX_TREE_DEPTH) {
      throw this.#file.corrupt(`a B+tree is deeper than ${MAX_TREE_DEPTH} levels (a page cycle)`);
    }
    const frame = { page, index: 0, branch: page.readUInt16LE(8) === BRANCH_PAGE_FLAG };
    this.#stack.push(frame);
    return frame;
  }

  #rootPage(): Buffer {
    return 'inline' in this.#root ? this.#root.inline : this.#file.page(this.#root.pgid);
  }

  #child(branch: Buffer, index: number): Buffer {
    if ('inline' in this.#root) throw this.#file.corrupt('an inline bucket page has branch elements');
    const at = PAGE_HEADER_SIZE + index * 16;
    const pgid = readSafeU64(branch, at + 8);
    for (const frame of this.#stack) {
      if (readSafeU64(frame.page, 0) === pgid) {
        throw this.#file.corrupt(`page ${pgid} refers back to itself through its children (a cycle)`);
      }
    }
    return this.#file.page(pgid);
  }
}

function leafEntry(page: Buffer, index: number): BoltEntry {
  const at = PAGE_HEADER_SIZE + index * 16;
  const flags = page.readUInt32LE(at);
  const keyStart = at + page.readUInt32LE(at + 4);
  const keyEnd = keyStart + page.readUInt32LE(at + 8);
  const valueEnd = keyEnd + page.readUInt32LE(at + 12);
  return {
    key: page.subarray(keyStart, keyEnd),
    value: page.subarray(keyEnd, valueEnd),
    bucket: (flags & BUCKET_LEAF_FLAG) !== 0,
  };
}

/** The child to descend into: the last element whose key is ≤ target (the first when none is). */
function branchIndex(page: Buffer, target: Buffer): number {
  let low = 0;
  let high = page.readUInt16LE(10);
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = PAGE_HEADER_SIZE + mid * 16;
    const cmp = compareKeyAt(target, page, at + page.readUInt32LE(at), page.readUInt32LE(at + 4));
    if (cmp === 0) return mid;
    if (cmp > 0) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? low - 1 : 0;
}

/** The first leaf element whose key is ≥ target. */
function leafIndex(page: Buffer, target: Buffer): number {
  let low = 0;
  let high = page.readUInt16LE(10);
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = PAGE_HEADER_SIZE + mid * 16;
    const cmp = compareKeyAt(target, page, at + page.readUInt32LE(at + 4), page.readUInt32LE(at + 8));
    if (cmp > 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
