import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { VigilError } from '../../errors/index.ts';
import {
  BRANCH_PAGE_FLAG,
  BUCKET_HEADER_SIZE,
  BUCKET_LEAF_FLAG,
  ELEMENT_SIZE,
  encodeMetaPage,
  FREELIST_PAGE_FLAG,
  LEAF_PAGE_FLAG,
  MAX_PAGE_SIZE,
  MIN_PAGE_SIZE,
  PAGE_HEADER_SIZE,
  writeU64,
} from './format.ts';

export interface BoltWriterOptions {
  /** Page size in bytes (a power of two, default 4096 like bbolt on Linux/amd64). */
  readonly pageSize?: number;
}

interface LeafElement {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly flags: number;
}

interface ChildRef {
  readonly firstKey: Buffer;
  readonly pgid: number;
}

/** A bucket being written: elements not yet on a page, and the leaf pages already written. */
interface OpenBucket {
  readonly name: Buffer;
  pending: LeafElement[];
  pendingBytes: number;
  leaves: ChildRef[];
  hasSubBucket: boolean;
  lastKey: Buffer | undefined;
}

const WRITE_CHUNK = 8 * 1024 * 1024;

function toBuffer(data: string | Uint8Array): Buffer {
  return typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Writes a compact bbolt file in one pass, the way `bbolt compact` lays one out: keys sorted,
 * leaf pages filled, branch pages built bottom-up, values larger than a page on overflow pages,
 * small leaf-only buckets inlined into their parent (bbolt's rule: at most a quarter page), then
 * an empty freelist page and both meta pages. Callers add keys in ascending byte order within
 * each bucket (enforced). Memory holds one pending page per open bucket plus one reference per
 * written leaf page, so files of any size stream straight to disk. The file is written under a
 * temporary name and renamed into place by `finish`.
 */
export class BoltWriter {
  readonly pageSize: number;
  readonly #path: string;
  readonly #temporary: string;
  #fd: number | undefined;
  #nextPgid = 2;
  #chunks: Buffer[] = [];
  #chunkBytes = 0;
  #written = 0;
  readonly #stack: OpenBucket[];

  constructor(path: string, options: BoltWriterOptions = {}) {
    const pageSize = options.pageSize ?? 4096;
    if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
      throw new VigilError('BOLT_WRITE', `invalid bbolt page size ${pageSize}`);
    }
    this.pageSize = pageSize;
    this.#path = path;
    this.#temporary = `${path}.${process.pid}.tmp`;
    this.#fd = openSync(this.#temporary, 'w');
    this.#stack = [newBucket(Buffer.alloc(0))];
    // Meta pages are written last, once the root is known; reserve their space now.
    this.#emit(Buffer.alloc(2 * pageSize));
  }

  /** Opens a nested bucket in the current bucket (a top-level bucket when none is open). */
  beginBucket(name: string | Uint8Array): void {
    const key = toBuffer(name);
    const parent = this.#current();
    this.#checkOrder(parent, key);
    parent.hasSubBucket = true;
    this.#stack.push(newBucket(key));
  }

  /** Stores a key/value pair in the current bucket; keys must ascend within a bucket. */
  put(key: string | Uint8Array, value: string | Uint8Array): void {
    if (this.#stack.length === 1) throw new VigilError('BOLT_WRITE', 'values must be stored inside a bucket');
    const bucket = this.#current();
    const keyBytes = toBuffer(key);
    this.#checkOrder(bucket, keyBytes);
    this.#add(bucket, { key: keyBytes, value: toBuffer(value), flags: 0 });
  }

  endBucket(): void {
    if (this.#stack.length <= 1) throw new VigilError('BOLT_WRITE', 'endBucket without a matching beginBucket');
    const bucket = this.#stack.pop() as OpenBucket;
    const value = this.#closeBucket(bucket);
    this.#add(this.#current(), { key: bucket.name, value, flags: BUCKET_LEAF_FLAG });
  }

  /** Writes the remaining pages, the freelist and the meta pages, then renames the file into place. */
  finish(): void {
    if (this.#stack.length !== 1) throw new VigilError('BOLT_WRITE', 'finish with buckets still open');
    const root = this.#stack[0] as OpenBucket;
    if (root.leaves.length === 0 || root.pending.length > 0) this.#flushLeaf(root);
    const rootPgid = this.#buildBranches(root.leaves);
    const freelistPgid = this.#allocate(1);
    const freelist = Buffer.alloc(this.pageSize);
    writeU64(freelist, 0, freelistPgid);
    freelist.writeUInt16LE(FREELIST_PAGE_FLAG, 8);
    this.#emit(freelist);
    this.#flushChunks();
    const fd = this.#fd as number;
    const meta = {
      flags: 0,
      rootPgid,
      rootSequence: 0n,
      freelistPgid: BigInt(freelistPgid),
      pageCount: this.#nextPgid,
    };
    writeSync(fd, encodeMetaPage(0, this.pageSize, { ...meta, txid: 0n }), 0, this.pageSize, 0);
    writeSync(fd, encodeMetaPage(1, this.pageSize, { ...meta, txid: 1n }), 0, this.pageSize, this.pageSize);
    fsyncSync(fd);
    closeSync(fd);
    this.#fd = undefined;
    renameSync(this.#temporary, this.#path);
  }

  /** Drops the partial file (after an error). */
  abort(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    rmSync(this.#temporary, { force: true });
  }

  #current(): OpenBucket {
    return this.#stack.at(-1) as OpenBucket;
  }

  #checkOrder(bucket: OpenBucket, key: Buffer): void {
    if (key.length === 0) throw new VigilError('BOLT_WRITE', 'bbolt keys cannot be empty');
    if (bucket.lastKey !== undefined && Buffer.compare(bucket.lastKey, key) >= 0) {
      throw new VigilError(
        'BOLT_WRITE',
        `keys must be added in ascending order: "${key.toString()}" after "${bucket.lastKey.toString()}"`,
      );
    }
    bucket.lastKey = key;
  }

  #add(bucket: OpenBucket, element: LeafElement): void {
    const size = ELEMENT_SIZE + element.key.length + element.value.length;
    // A full page is written as soon as the next element would not fit beside what is pending.
    const full = PAGE_HEADER_SIZE + bucket.pendingBytes + size > this.pageSize || bucket.pending.length === 0xffff;
    if (bucket.pending.length > 0 && full) {
      this.#flushLeaf(bucket);
    }
    bucket.pending.push(element);
    bucket.pendingBytes += size;
  }

  /** The bucket's value in its parent: a header with its root page, or with an inline page. */
  #closeBucket(bucket: OpenBucket): Buffer {
    const inlineSize = PAGE_HEADER_SIZE + bucket.pendingBytes;
    if (!bucket.hasSubBucket && bucket.leaves.length === 0 && inlineSize <= this.pageSize / 4) {
      const value = Buffer.alloc(BUCKET_HEADER_SIZE + inlineSize);
      encodeLeafPage(value.subarray(BUCKET_HEADER_SIZE), 0, bucket.pending);
      return value;
    }
    if (bucket.pending.length > 0 || bucket.leaves.length === 0) this.#flushLeaf(bucket);
    const value = Buffer.alloc(BUCKET_HEADER_SIZE);
    writeU64(value, 0, this.#buildBranches(bucket.leaves));
    return value;
  }

  #flushLeaf(bucket: OpenBucket): void {
    const bytes = PAGE_HEADER_SIZE + bucket.pendingBytes;
    const pages = Math.ceil(bytes / this.pageSize);
    const pgid = this.#allocate(pages);
    const page = Buffer.alloc(pages * this.pageSize);
    encodeLeafPage(page, pgid, bucket.pending);
    page.writeUInt32LE(pages - 1, 12);
    this.#emit(page);
    bucket.leaves.push({ firstKey: (bucket.pending[0] as LeafElement).key, pgid });
    bucket.pending = [];
    bucket.pendingBytes = 0;
  }

  /** Builds branch levels over `children` until one page remains; returns the root page id. */
  #buildBranches(children: ChildRef[]): number {
    let level = children;
    while (level.length > 1) {
      const parents: ChildRef[] = [];
      let group: ChildRef[] = [];
      let groupBytes = PAGE_HEADER_SIZE;
      const flush = () => {
        const pages = Math.ceil(groupBytes / this.pageSize);
        const pgid = this.#allocate(pages);
        const page = Buffer.alloc(pages * this.pageSize);
        encodeBranchPage(page, pgid, group);
        page.writeUInt32LE(pages - 1, 12);
        this.#emit(page);
        parents.push({ firstKey: (group[0] as ChildRef).firstKey, pgid });
        group = [];
        groupBytes = PAGE_HEADER_SIZE;
      };
      for (const child of level) {
        const size = ELEMENT_SIZE + child.firstKey.length;
        // At least two children per branch page, so every level shrinks.
        if (group.length >= 2 && (groupBytes + size > this.pageSize || group.length === 0xffff)) flush();
        group.push(child);
        groupBytes += size;
      }
      flush();
      level = parents;
    }
    return (level[0] as ChildRef).pgid;
  }

  #allocate(pages: number): number {
    const pgid = this.#nextPgid;
    this.#nextPgid += pages;
    return pgid;
  }

  #emit(bytes: Buffer): void {
    this.#chunks.push(bytes);
    this.#chunkBytes += bytes.length;
    if (this.#chunkBytes >= WRITE_CHUNK) this.#flushChunks();
  }

  #flushChunks(): void {
    if (this.#chunks.length === 0) return;
    const data = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    let done = 0;
    while (done < data.length)
      done += writeSync(this.#fd as number, data, done, data.length - done, this.#written + done);
    this.#written += data.length;
    this.#chunks = [];
    this.#chunkBytes = 0;
  }
}

function newBucket(name: Buffer): OpenBucket {
  return { name, pending: [], pendingBytes: 0, leaves: [], hasSubBucket: false, lastKey: undefined };
}

function encodeLeafPage(page: Buffer, pgid: number, elements: readonly LeafElement[]): void {
  writeU64(page, 0, pgid);
  page.writeUInt16LE(LEAF_PAGE_FLAG, 8);
  page.writeUInt16LE(elements.length, 10);
  let data = PAGE_HEADER_SIZE + elements.length * ELEMENT_SIZE;
  elements.forEach((element, i) => {
    const at = PAGE_HEADER_SIZE + i * ELEMENT_SIZE;
    page.writeUInt32LE(element.flags, at);
    page.writeUInt32LE(data - at, at + 4);
    page.writeUInt32LE(element.key.length, at + 8);
    page.writeUInt32LE(element.value.length, at + 12);
    data += element.key.copy(page, data);
    data += element.value.copy(page, data);
  });
}

function encodeBranchPage(page: Buffer, pgid: number, children: readonly ChildRef[]): void {
  writeU64(page, 0, pgid);
  page.writeUInt16LE(BRANCH_PAGE_FLAG, 8);
  page.writeUInt16LE(children.length, 10);
  let data = PAGE_HEADER_SIZE + children.length * ELEMENT_SIZE;
  children.forEach((child, i) => {
    const at = PAGE_HEADER_SIZE + i * ELEMENT_SIZE;
    page.writeUInt32LE(data - at, at);
    page.writeUInt32LE(child.firstKey.length, at + 4);
    writeU64(page, at + 8, child.pgid);
    data += child.firstKey.copy(page, data);
  });
}
