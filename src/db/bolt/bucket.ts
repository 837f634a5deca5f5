import {
  BRANCH_PAGE_FLAG,
  BUCKET_HEADER_SIZE,
  BUCKET_LEAF_FLAG,
  PAGE_HEADER_SIZE,
  readSafeU64,
  u16,
  u32,
} from './format.ts';
import { checkPageHeader } from './page-check.ts';
import type { PageFile } from './page-file.ts';

/**
 * A key/value pair; `bucket` marks a nested bucket (open it with `BoltBucket.openEntry`). Its
 * buffers belong to the caller: they stay valid whatever is read afterwards.
 */
export interface BoltEntry {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly bucket: boolean;
}

export type BoltKey = string | Uint8Array;

/**
 * Receives a value's bytes in place: `bytes[start, end)`. They may lie in a cache slot, so they
 * are valid only until the function returns and only if it reads nothing else from the DB.
 */
export type ValueDecoder<T> = (bytes: Buffer, start: number, end: number) => T;

/**
 * Receives one entry in place: key `bytes[keyStart, valueStart)`, value `bytes[valueStart,
 * valueEnd)`. Same rule as ValueDecoder: valid until it returns, and it must not read the DB.
 * Visiting allocates nothing per entry, which is what a scan looking up every package wants.
 */
export type EntryVisitor = (
  bytes: Buffer,
  keyStart: number,
  valueStart: number,
  valueEnd: number,
  isBucket: boolean,
) => void;

/** B+trees deeper than this do not occur (a 64 KiB-page tree of depth 12 holds more than 2^64 keys). */
const MAX_TREE_DEPTH = 24;
const MAX_BUCKET_NESTING = 64;
/** Levels of a tree that lookups keep passing through (its root and the root's children): cached on first read. */
const UPPER_LEVELS = 2;

function toKey(key: BoltKey): Buffer {
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  return Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

/**
 * A bucket: point lookups, nested buckets and ordered cursors. Its tree lives at a page, or (a
 * small bucket) inline in its parent's value, copied out so it never depends on a cache slot.
 */
export class BoltBucket {
  readonly #file: PageFile;
  readonly #pgid: number;
  readonly #inline: Buffer | undefined;
  readonly #depth: number;

  private constructor(file: PageFile, pgid: number, inline: Buffer | undefined, depth: number) {
    this.#file = file;
    this.#pgid = pgid;
    this.#inline = inline;
    this.#depth = depth;
  }

  /** The bucket whose tree starts at `pgid` (the root namespace, from the meta page). */
  static atPage(file: PageFile, pgid: number): BoltBucket {
    return new BoltBucket(file, pgid, undefined, 0);
  }

  /** The value stored under `key`, or undefined when absent or when `key` names a bucket. */
  get(key: BoltKey): Buffer | undefined {
    const target = toKey(key);
    const leaf = this.#leafFor(target);
    const owned = this.#inline !== undefined || this.#file.slot < 0;
    const at = exactElement(leaf, target);
    if (at < 0 || (u32(leaf, at) & BUCKET_LEAF_FLAG) !== 0) return undefined;
    const valueStart = at + u32(leaf, at + 4) + u32(leaf, at + 8);
    const valueEnd = valueStart + u32(leaf, at + 12);
    return owned ? leaf.subarray(valueStart, valueEnd) : copyOut(leaf, valueStart, valueEnd);
  }

  /** `decode` applied to the value stored under `key` in place; undefined when absent or a bucket. */
  read<T>(key: BoltKey, decode: ValueDecoder<T>): T | undefined {
    const target = toKey(key);
    const leaf = this.#leafFor(target);
    const at = exactElement(leaf, target);
    if (at < 0 || (u32(leaf, at) & BUCKET_LEAF_FLAG) !== 0) return undefined;
    const valueStart = at + u32(leaf, at + 4) + u32(leaf, at + 8);
    return decode(leaf, valueStart, valueStart + u32(leaf, at + 12));
  }

  /** Every entry in key order, handed to `visitor` in place. */
  visit(visitor: EntryVisitor): void {
    const inline = this.#inline;
    if (inline === undefined) {
      this.cursor().visitAll(visitor);
      return;
    }
    const count = u16(inline, 10);
    for (let i = 0; i < count; i++) visitElement(inline, i, visitor);
  }

  /** The nested bucket called `name`, or undefined. */
  bucket(name: BoltKey): BoltBucket | undefined {
    const target = toKey(name);
    const leaf = this.#leafFor(target);
    const owned = this.#inline !== undefined || this.#file.slot < 0;
    const at = exactElement(leaf, target);
    if (at < 0 || (u32(leaf, at) & BUCKET_LEAF_FLAG) === 0) return undefined;
    const valueStart = at + u32(leaf, at + 4) + u32(leaf, at + 8);
    const valueEnd = valueStart + u32(leaf, at + 12);
    return this.#open(leaf, valueStart, valueEnd, owned, target);
  }

  /**
   * Hands every entry of the nested bucket `name` to `visitor` in place and tells whether that
   * bucket exists. Unlike `bucket(name)?.visit(…)`, a small (inline) bucket is visited where it
   * lies in the page cache instead of being copied out first: the visitor reads nothing else
   * from the DB (see EntryVisitor), so the page cannot be replaced meanwhile.
   */
  visitBucket(name: BoltKey, visitor: EntryVisitor): boolean {
    const target = toKey(name);
    const leaf = this.#leafFor(target);
    const at = exactElement(leaf, target);
    if (at < 0 || (u32(leaf, at) & BUCKET_LEAF_FLAG) === 0) return false;
    const valueStart = at + u32(leaf, at + 4) + u32(leaf, at + 8);
    const valueEnd = valueStart + u32(leaf, at + 12);
    this.#open(leaf, valueStart, valueEnd, true, target).visit(visitor);
    return true;
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
    return this.#open(entry.value, 0, entry.value.length, true, entry.key);
  }

  cursor(): BoltCursor {
    return new BoltCursor(this.#file, this.#pgid, this.#inline);
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

  /**
   * The leaf page that holds `target` if anything does, by a descent that allocates nothing. A
   * page cycle cannot loop forever: it runs into the depth bound.
   */
  #leafFor(target: Buffer): Buffer {
    if (this.#inline !== undefined) return this.#inline;
    let pgid = this.#pgid;
    for (let depth = 0; depth < MAX_TREE_DEPTH; depth++) {
      const page = this.#file.page(pgid, depth < UPPER_LEVELS);
      if (page[8] !== BRANCH_PAGE_FLAG) return page;
      pgid = readSafeU64(page, PAGE_HEADER_SIZE + branchIndex(page, target) * 16 + 8);
    }
    throw this.#file.corrupt(`a B+tree is deeper than ${MAX_TREE_DEPTH} levels (a page cycle)`);
  }

  /** The bucket a bucket value describes: a root page id, or an inline page that is copied unless owned. */
  #open(bytes: Buffer, start: number, end: number, owned: boolean, name: Buffer): BoltBucket {
    if (this.#depth >= MAX_BUCKET_NESTING) {
      throw this.#file.corrupt(`buckets are nested more than ${MAX_BUCKET_NESTING} levels deep`);
    }
    if (end - start < BUCKET_HEADER_SIZE) throw this.#file.corrupt(`bucket ${name.toString()} has a truncated header`);
    const pgid = readSafeU64(bytes, start);
    if (pgid !== 0) return new BoltBucket(this.#file, pgid, undefined, this.#depth + 1);
    const inline = owned
      ? bytes.subarray(start + BUCKET_HEADER_SIZE, end)
      : copyOut(bytes, start + BUCKET_HEADER_SIZE, end);
    checkPageHeader(inline, undefined, this.#file);
    if (inline[8] === BRANCH_PAGE_FLAG) throw this.#file.corrupt('an inline bucket page has branch elements');
    return new BoltBucket(this.#file, 0, inline, this.#depth + 1);
  }
}

/** One level of a cursor's path: the page (re-read if its cache slot was reused) and the position in it. */
interface Frame {
  page: Buffer;
  pgid: number;
  slot: number;
  stamp: number;
  index: number;
  readonly count: number;
  readonly branch: boolean;
}

/** Walks a bucket's B+tree in key order; `seek` positions at the first key ≥ the given one. */
export class BoltCursor {
  readonly #file: PageFile;
  readonly #rootPgid: number;
  readonly #inline: Buffer | undefined;
  #stack: Frame[] = [];

  constructor(file: PageFile, rootPgid: number, inline: Buffer | undefined) {
    this.#file = file;
    this.#rootPgid = rootPgid;
    this.#inline = inline;
  }

  first(): BoltEntry | undefined {
    this.#stack = [];
    this.#descendFirst(this.#pushRoot());
    return this.#settle();
  }

  seek(key: BoltKey): BoltEntry | undefined {
    const target = toKey(key);
    this.#stack = [];
    let frame = this.#pushRoot();
    while (frame.branch) {
      frame.index = branchIndex(frame.page, target);
      frame = this.#push(childPgid(frame.page, frame.index));
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

  /** From the first entry on, every entry handed to `visitor` in place (see EntryVisitor). */
  visitAll(visitor: EntryVisitor): void {
    this.#stack = [];
    this.#descendFirst(this.#pushRoot());
    for (let leaf = this.#position(); leaf !== undefined; leaf = this.#position()) {
      visitElement(leaf.page, leaf.index, visitor);
      leaf.index += 1;
    }
  }

  #settle(): BoltEntry | undefined {
    const leaf = this.#position();
    return leaf === undefined ? undefined : leafEntry(leaf.page, leaf.index, leaf.slot < 0);
  }

  /** Moves past exhausted pages to the next leaf element: its frame, with its page current; undefined at the end. */
  #position(): Frame | undefined {
    for (;;) {
      const top = this.#stack.at(-1);
      if (top === undefined) return undefined;
      if (top.index < top.count) {
        const page = this.#current(top);
        if (!top.branch) return top;
        this.#descendFirst(this.#push(childPgid(page, top.index)));
        continue;
      }
      this.#stack.pop();
      const parent = this.#stack.at(-1);
      if (parent === undefined) return undefined;
      parent.index += 1;
    }
  }

  #descendFirst(start: Frame): void {
    let frame = start;
    while (frame.branch) frame = this.#push(childPgid(frame.page, 0));
  }

  /** The frame's page, read again when its cache slot has been given to another page meanwhile. */
  #current(frame: Frame): Buffer {
    if (!this.#file.holds(frame.slot, frame.stamp)) {
      frame.page = this.#file.page(frame.pgid, this.#stack.indexOf(frame) < UPPER_LEVELS);
      frame.slot = this.#file.slot;
      frame.stamp = this.#file.stamp;
    }
    return frame.page;
  }

  #pushRoot(): Frame {
    if (this.#inline === undefined) return this.#push(this.#rootPgid);
    const count = u16(this.#inline, 10);
    const frame: Frame = { page: this.#inline, pgid: -1, slot: -1, stamp: 0, index: 0, count, branch: false };
    this.#stack.push(frame);
    return frame;
  }

  #push(pgid: number): Frame {
    if (this.#stack.length >= MAX_TREE_DEPTH) {
      throw this.#file.corrupt(`a B+tree is deeper than ${MAX_TREE_DEPTH} levels (a page cycle)`);
    }
    if (this.#inline !== undefined) throw this.#file.corrupt('an inline bucket page has branch elements');
    for (const frame of this.#stack) {
      if (frame.pgid === pgid)
        throw this.#file.corrupt(`page ${pgid} refers back to itself through its children (a cycle)`);
    }
    const page = this.#file.page(pgid, this.#stack.length < UPPER_LEVELS);
    const frame: Frame = {
      page,
      pgid,
      slot: this.#file.slot,
      stamp: this.#file.stamp,
      index: 0,
      count: u16(page, 10),
      branch: page[8] === BRANCH_PAGE_FLAG,
    };
    this.#stack.push(frame);
    return frame;
  }
}

function startsWith(key: Buffer, prefix: Buffer): boolean {
  return key.length >= prefix.length && key.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/** A copy of page bytes, for anything handed out from a cache slot that will be reused. */
function copyOut(page: Buffer, start: number, end: number): Buffer {
  const copy = Buffer.allocUnsafe(end - start);
  page.copy(copy, 0, start, end);
  return copy;
}

function childPgid(branch: Buffer, index: number): number {
  return readSafeU64(branch, PAGE_HEADER_SIZE + index * 16 + 8);
}

/** Key and value of a leaf element; from a cache slot they are copied out together (they are adjacent). */
function leafEntry(page: Buffer, index: number, owned: boolean): BoltEntry {
  const at = PAGE_HEADER_SIZE + index * 16;
  const flags = u32(page, at);
  const keyStart = at + u32(page, at + 4);
  const keyLength = u32(page, at + 8);
  const valueEnd = keyStart + keyLength + u32(page, at + 12);
  const bytes = owned ? page : copyOut(page, keyStart, valueEnd);
  const base = owned ? keyStart : 0;
  return {
    key: bytes.subarray(base, base + keyLength),
    value: bytes.subarray(base + keyLength, base + (valueEnd - keyStart)),
    bucket: (flags & BUCKET_LEAF_FLAG) !== 0,
  };
}

function visitElement(page: Buffer, index: number, visitor: EntryVisitor): void {
  const at = PAGE_HEADER_SIZE + index * 16;
  const keyStart = at + u32(page, at + 4);
  const valueStart = keyStart + u32(page, at + 8);
  visitor(page, keyStart, valueStart, valueStart + u32(page, at + 12), (u32(page, at) & BUCKET_LEAF_FLAG) !== 0);
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

/** The child to descend into: the last element whose key is ≤ target (the first when none is). */
function branchIndex(page: Buffer, target: Buffer): number {
  let low = 0;
  let high = u16(page, 10);
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = PAGE_HEADER_SIZE + mid * 16;
    const cmp = compareKeyAt(target, page, at + u32(page, at), u32(page, at + 4));
    if (cmp === 0) return mid;
    if (cmp > 0) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? low - 1 : 0;
}

/** The first leaf element whose key is ≥ target. */
function leafIndex(page: Buffer, target: Buffer): number {
  let low = 0;
  let high = u16(page, 10);
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = PAGE_HEADER_SIZE + mid * 16;
    const cmp = compareKeyAt(target, page, at + u32(page, at + 4), u32(page, at + 8));
    if (cmp > 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The offset of the leaf element whose key is exactly `target`, or -1. */
function exactElement(leaf: Buffer, target: Buffer): number {
  const index = leafIndex(leaf, target);
  if (index >= u16(leaf, 10)) return -1;
  const at = PAGE_HEADER_SIZE + index * 16;
  const length = u32(leaf, at + 8);
  if (length !== target.length) return -1;
  return compareKeyAt(target, leaf, at + u32(leaf, at + 4), length) === 0 ? at : -1;
}
