import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { VigilError } from '../../errors/index.ts';
import { BRANCH_PAGE_FLAG, LEAF_PAGE_FLAG, PAGE_HEADER_SIZE, readSafeU64 } from './format.ts';

const SLAB_BYTES = 256 * 1024;

/** Counters for benchmarks and tests: how many pages came from disk, how many from the cache. */
export interface PageReadStats {
  reads: number;
  cacheHits: number;
  bytesRead: number;
  /** Time spent in read system calls, in milliseconds. */
  readMs: number;
}

/**
 * A bbolt file read with positioned reads through a small LRU cache of whole pages (overflow
 * included). The file is never mapped or loaded whole, so memory stays flat whatever its size.
 */
export class PageFile {
  readonly path: string;
  readonly fileSize: number;
  readonly stats: PageReadStats = { reads: 0, cacheHits: 0, bytesRead: 0, readMs: 0 };
  #fd: number | undefined;
  #pageSize = 0;
  #pageCount = 0;
  #cache = new Map<number, Buffer>();
  #cacheBytes = 0;
  readonly #cacheLimit: number;
  #slab: Buffer | undefined;
  #slabUsed = 0;

  constructor(path: string, cacheLimitBytes: number) {
    this.path = path;
    this.#cacheLimit = cacheLimitBytes;
    try {
      this.#fd = openSync(path, 'r');
      this.fileSize = fstatSync(this.#fd).size;
    } catch (error) {
      if (this.#fd !== undefined) closeSync(this.#fd);
      throw new VigilError('BOLT_OPEN', `cannot open bbolt file ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Set once the meta page is known; page reads are checked against these bounds. */
  setGeometry(pageSize: number, pageCount: number): void {
    this.#pageSize = pageSize;
    this.#pageCount = pageCount;
  }

  /** Raw bytes at an offset, for the meta pages before the page size is known. */
  readAt(offset: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    const read = this.#read(buffer, 0, length, offset);
    return read === length ? buffer : buffer.subarray(0, read);
  }

  /** A branch or leaf page (with its overflow pages), checked for structural sanity. */
  page(pgid: number): Buffer {
    const cached = this.#cache.get(pgid);
    if (cached !== undefined) {
      this.stats.cacheHits += 1;
      // Refresh its LRU position.
      this.#cache.delete(pgid);
      this.#cache.set(pgid, cached);
      return cached;
    }
    const pageSize = this.#pageSize;
    if (!Number.isSafeInteger(pgid) || pgid < 2 || pgid >= this.#pageCount) {
      throw this.corrupt(`page ${pgid} is outside the file's ${this.#pageCount} pages`);
    }
    const offset = pgid * pageSize;
    if (offset + pageSize > this.fileSize) throw this.corrupt(`page ${pgid} lies beyond the end of the file`);
    const first = this.#allocate(pageSize);
    if (this.#read(first, 0, pageSize, offset) !== pageSize) {
      throw this.corrupt(`page ${pgid} is truncated`);
    }
    const overflow = first.readUInt32LE(12);
    let page = first;
    if (overflow > 0) {
      const total = (overflow + 1) * pageSize;
      if (pgid + overflow >= this.#pageCount || offset + total > this.fileSize) {
        throw this.corrupt(`page ${pgid} overflows ${overflow} pages past the end of the file`);
      }
      page = Buffer.allocUnsafe(total);
      first.copy(page, 0);
      if (this.#read(page, pageSize, total - pageSize, offset + pageSize) !== total - pageSize) {
        throw this.corrupt(`page ${pgid} is truncated`);
      }
    }
    checkPageHeader(page, pgid, this);
    this.#remember(pgid, page);
    return page;
  }

  corrupt(detail: string): VigilError {
    return new VigilError('BOLT_CORRUPT', `corrupt bbolt file ${this.path}: ${detail}`, {
      hint: 'the file is damaged or not a bbolt database; download it again (vigil db pull)',
    });
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#cache.clear();
    this.#cacheBytes = 0;
  }

  #read(buffer: Buffer, at: number, length: number, position: number): number {
    if (this.#fd === undefined) throw new VigilError('BOLT_CLOSED', `bbolt file ${this.path} is closed`);
    let done = 0;
    const start = performance.now();
    while (done < length) {
      const n = readSync(this.#fd, buffer, at + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    this.stats.readMs += performance.now() - start;
    this.stats.reads += 1;
    this.stats.bytesRead += done;
    return done;
  }

  /**
   * Page buffers are carved from 256 KiB slabs: one allocation per 64 pages instead of one per
   * page keeps external memory, and so garbage collections and RSS, down on lookup-heavy runs.
   */
  #allocate(size: number): Buffer {
    if (size > SLAB_BYTES / 8) return Buffer.allocUnsafe(size);
    if (this.#slab === undefined || this.#slabUsed + size > this.#slab.length) {
      this.#slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.#slabUsed = 0;
    }
    const buffer = this.#slab.subarray(this.#slabUsed, this.#slabUsed + size);
    this.#slabUsed += size;
    return buffer;
  }

  #remember(pgid: number, page: Buffer): void {
    // Pages larger than a quarter of the cache (big overflow values) are not worth evicting others for.
    if (page.length > this.#cacheLimit / 4) return;
    this.#cache.set(pgid, page);
    this.#cacheBytes += page.length;
    while (this.#cacheBytes > this.#cacheLimit) {
      const oldest = this.#cache.keys().next();
      if (oldest.done) break;
      const evicted = this.#cache.get(oldest.value);
      this.#cache.delete(oldest.value);
      this.#cacheBytes -= evicted?.length ?? 0;
    }
  }
}

export interface CorruptionReporter {
  corrupt(detail: string): VigilError;
}

/**
 * Checks a branch/leaf page's header and that every element, key and value lies inside it,
 * so later reads never go out of bounds. `pgid` is undefined for inline bucket pages.
 */
export function checkPageHeader(page: Buffer, pgid: number | undefined, reporter: CorruptionReporter): void {
  const where = pgid === undefined ? 'inline bucket page' : `page ${pgid}`;
  if (page.length < PAGE_HEADER_SIZE) throw reporter.corrupt(`${where} is truncated`);
  if (pgid !== undefined) {
    const storedId = readSafeU64(page, 0);
    if (storedId !== pgid) throw reporter.corrupt(`${where} claims to be page ${storedId}`);
  }
  const flags = page.readUInt16LE(8);
  const isBranch = flags === BRANCH_PAGE_FLAG;
  if (!isBranch && flags !== LEAF_PAGE_FLAG) {
    throw reporter.corrupt(`${where} has flags 0x${flags.toString(16)}, expected a branch or leaf page`);
  }
  const count = page.readUInt16LE(10);
  if (isBranch && count === 0) throw reporter.corrupt(`${where} is an empty branch page`);
  const elementsEnd = PAGE_HEADER_SIZE + count * 16;
  if (elementsEnd > page.length) throw reporter.corrupt(`${where} has ${count} elements, more than fit`);
  for (let i = 0; i < count; i++) {
    const at = PAGE_HEADER_SIZE + i * 16;
    const pos = isBranch ? page.readUInt32LE(at) : page.readUInt32LE(at + 4);
    const ksize = isBranch ? page.readUInt32LE(at + 4) : page.readUInt32LE(at + 8);
    const vsize = isBranch ? 0 : page.readUInt32LE(at + 12);
    const end = at + pos + ksize + vsize;
    if (at + pos < elementsEnd || end > page.length) {
      throw reporter.corrupt(`${where} element ${i} points outside the page`);
    }
  }
}
