import { closeSync, fstatSync, openSync, readSync, readvSync } from 'node:fs';
// Imported: the global `performance` is a lazy getter that runs on every access.
import { performance } from 'node:perf_hooks';
import { VigilError } from '../../errors/index.ts';
import { BRANCH_PAGE_FLAG, u32 } from './format.ts';
import { checkPageHeader, isTreePage } from './page-check.ts';
import { PageHistory } from './page-history.ts';
import type { PageReadStats } from './page-stats.ts';
import { MAX_TABLE_PGID, PageTable } from './page-table.ts';

/** Clock weights: a branch page survives three sweeps of the clock hand, a leaf one. */
const BRANCH_WEIGHT = 3;
const LEAF_WEIGHT = 1;
/** Largest read-ahead, in bytes. */
const READ_AHEAD_BYTES = 128 * 1024;
/** Slots the cache keeps at least, so a B+tree descent never evicts the page it is about to use. */
const MIN_SLOTS = 16;
/** Probation slots beyond two read-ahead windows, so a run read ahead is not recycled before use. */
const PROBATION_SPARE = 16;

/**
 * A bbolt file read with positioned reads through a fixed-size page cache. The file is never
 * mapped or loaded whole, so memory stays flat whatever its size.
 *
 * Single pages live in slots of one arena allocated once: a read lands in recycled memory (no
 * allocation, no garbage) and a cache hit is a map lookup. Because slots are reused, a slot's
 * bytes are only valid until the next page is loaded: `slot`/`stamp` describe the last page
 * returned, and `holds` tells whether a slot still holds what it held then. Pages with overflow
 * (values larger than a page) get their own buffers, which are never reused, in a small
 * separate cache.
 *
 * Admission is two-queue (2Q): a page read for the first time goes to a small ring of probation
 * slots recycled first in, first out, and its id is remembered; it takes a main slot on a second
 * use (a hit on probation, or a read while remembered), or at once when its reader marks it as
 * near the top of its tree. A scan looks each package up once, so its leaves keep landing in the
 * same few already-touched slots instead of faulting in fresh arena memory page by page (on a VM
 * a first touch costs more than the read) and one-off pages never push out hot ones. Main slots
 * are evicted by a clock (second chance) in which branch pages weigh more than leaves.
 *
 * A miss on the page right after the previous miss's pages reads ahead, doubling up to 128 KiB:
 * cursors walking a compacted file (where a tree's leaves are consecutive) then need one read per
 * run of pages, while random lookups keep reading single pages.
 */
export class PageFile {
  readonly path: string;
  readonly fileSize: number;
  readonly stats: PageReadStats = {
    reads: 0,
    cacheHits: 0,
    bytesRead: 0,
    pagesReadAhead: 0,
    cachePages: 0,
    pagesAdmitted: 0,
    readMs: 0,
  };
  /** The slot of the page the last `page()` call returned, or -1 when that page owns its buffer. */
  slot = -1;
  /** That slot's fill stamp, for `holds`. */
  stamp = 0;
  #fd: number | undefined;
  #pageSize = 0;
  #pageCount = 0;
  readonly #cacheBytes: number;
  // Two clock reads per page cost garbage (a boxed double each) until the JIT has warmed up: off unless asked for.
  readonly #timeReads: boolean;
  // The slot cache.
  #slotCount = 0;
  #arena: Buffer | undefined;
  #views: Buffer[] = [];
  /** Each slot's view in a one-element list, for readv. */
  #viewLists: Buffer[][] = [];
  /** Page id -> its slot. */
  #slotOf = new PageTable(0);
  #slotPgid = new Float64Array(0);
  #slotStamp = new Uint32Array(0);
  #slotWeight = new Uint8Array(0);
  /** Slots [0, probation) form the probation ring, the rest are main slots. */
  #probation = 0;
  #probationHand = 0;
  #probationUsed = 0;
  #slotsUsed = 0;
  #hand = 0;
  #nextStamp = 1;
  // Pages that went through probation (remembered twice as many as the main slots hold).
  #seen = new PageHistory(0);
  // Pages with overflow, in their own buffers (LRU by insertion order).
  #large = new Map<number, Buffer>();
  #largeBytes = 0;
  // Read-ahead.
  #scratch: Buffer | undefined;
  #sequentialNext = -1;
  #window = 1;
  #maxWindow = 1;

  constructor(path: string, cacheLimitBytes: number, timeReads = false) {
    this.path = path;
    this.#cacheBytes = cacheLimitBytes;
    this.#timeReads = timeReads;
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
    if (pageCount - 1 > MAX_TABLE_PGID) {
      throw new VigilError('BOLT_OPEN', `cannot open bbolt file ${this.path}: it has ${pageCount} pages`, {
        hint: `files of up to ${MAX_TABLE_PGID + 1} pages are supported`,
      });
    }
    this.#pageSize = pageSize;
    this.#pageCount = pageCount;
    this.#slotCount = Math.max(MIN_SLOTS, Math.floor(this.#cacheBytes / pageSize));
    this.#slotPgid = new Float64Array(this.#slotCount).fill(-1);
    this.#slotStamp = new Uint32Array(this.#slotCount);
    this.#slotWeight = new Uint8Array(this.#slotCount);
    this.#views = new Array(this.#slotCount);
    this.#viewLists = new Array(this.#slotCount);
    // Read-ahead fills at most a quarter of the slots, so it never pushes out the page asked for.
    this.#maxWindow = Math.max(1, Math.min(Math.floor(READ_AHEAD_BYTES / pageSize), this.#slotCount >> 2));
    this.#probation = Math.min(2 * this.#maxWindow + PROBATION_SPARE, this.#slotCount >> 1);
    this.#slotsUsed = this.#probation;
    this.#hand = this.#probation;
    // Remembers twice as many pages as the main slots hold, so a working set that fits is admitted on its second read.
    this.#seen = new PageHistory(2 * this.#slotCount);
    this.#slotOf = new PageTable(this.#slotCount);
  }

  /** Raw bytes at an offset, for the meta pages before the page size is known. */
  readAt(offset: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    const read = this.#read(buffer, 0, length, offset);
    return read === length ? buffer : buffer.subarray(0, read);
  }

  /**
   * A branch or leaf page (with its overflow pages), checked for structural sanity. When `slot`
   * is not -1 afterwards, the bytes belong to a cache slot: copy what must outlive the next call.
   * `upper` marks a page near the top of its tree, which every lookup in that tree passes
   * through: it skips probation.
   */
  page(pgid: number, upper = false): Buffer {
    const slot = this.#slotOf.get(pgid);
    if (slot !== -1) {
      this.stats.cacheHits += 1;
      if (slot < this.#probation) return this.#promote(pgid, slot);
      this.#slotWeight[slot] = (this.#views[slot] as Buffer)[8] === BRANCH_PAGE_FLAG ? BRANCH_WEIGHT : LEAF_WEIGHT;
      this.slot = slot;
      this.stamp = this.#slotStamp[slot] as number;
      return this.#views[slot] as Buffer;
    }
    const large = this.#large.get(pgid);
    if (large !== undefined) {
      this.stats.cacheHits += 1;
      this.#large.delete(pgid);
      this.#large.set(pgid, large);
      this.slot = -1;
      return large;
    }
    return this.#load(pgid, upper);
  }

  /** Whether `slot` still holds the page it held when its stamp was `stamp`; owned buffers (-1) always do. */
  holds(slot: number, stamp: number): boolean {
    return slot < 0 || this.#slotStamp[slot] === stamp;
  }

  corrupt(detail: string): VigilError {
    return new VigilError('BOLT_CORRUPT', `corrupt bbolt file ${this.path}: ${detail}`, {
      hint: 'the file is damaged or not a bbolt database; download it again (vigil db pull)',
    });
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#slotOf.clear();
    this.#seen.clear();
    this.#large.clear();
    this.#largeBytes = 0;
    this.#arena = undefined;
    this.#views = [];
    this.#viewLists = [];
    this.#scratch = undefined;
  }

  #load(pgid: number, upper: boolean): Buffer {
    const pageSize = this.#pageSize;
    if (!Number.isSafeInteger(pgid) || pgid < 2 || pgid >= this.#pageCount) {
      throw this.corrupt(`page ${pgid} is outside the file's ${this.#pageCount} pages`);
    }
    const offset = pgid * pageSize;
    if (offset + pageSize > this.fileSize) throw this.corrupt(`page ${pgid} lies beyond the end of the file`);
    const runNext = this.#sequentialNext;
    const runWindow = this.#window;
    this.#window = pgid === runNext ? Math.min(runWindow * 2, this.#maxWindow) : 1;
    const pages = Math.min(this.#window, this.#pageCount - pgid, Math.floor((this.fileSize - offset) / pageSize));
    if (pages > 1) return this.#loadRun(pgid, pages);
    this.#sequentialNext = pgid + 1;
    const admit = upper || this.#seen.has(pgid);
    const slot = admit ? this.#takeSlot() : this.#takeProbationSlot();
    const view = this.#slotView(slot);
    if (this.#readSlot(slot, offset) !== pageSize) throw this.corrupt(`page ${pgid} is truncated`);
    if (u32(view, 12) > 0) return this.#loadLarge(pgid, view);
    checkPageHeader(view, pgid, this);
    if (view[8] === BRANCH_PAGE_FLAG && pgid !== runNext) {
      // A cursor reading its parent page again between two leaves keeps its run of leaves going.
      this.#sequentialNext = runNext;
      this.#window = runWindow;
    }
    if (admit) return this.#admit(pgid, slot, view);
    this.#seen.remember(pgid);
    return this.#install(pgid, slot, 0);
  }

  /** One read of `pages` consecutive pages from `pgid`: the first is returned, the others cached for later. */
  #loadRun(pgid: number, pages: number): Buffer {
    const pageSize = this.#pageSize;
    this.#scratch ??= Buffer.allocUnsafeSlow(this.#maxWindow * pageSize);
    const scratch = this.#scratch;
    const got = this.#read(scratch, 0, pages * pageSize, pgid * pageSize);
    if (got < pageSize) throw this.corrupt(`page ${pgid} is truncated`);
    const first = scratch.subarray(0, pageSize);
    const firstSpan = u32(first, 12) + 1;
    const usable = Math.floor(got / pageSize);
    this.#sequentialNext = pgid + usable;
    // Later pages first, so the page asked for is the most recently installed.
    for (let at = Math.max(firstSpan, 1); at < usable; ) {
      const candidate = scratch.subarray(at * pageSize, (at + 1) * pageSize);
      const span = u32(candidate, 12) + 1;
      if (span === 1 && this.#slotOf.get(pgid + at) === -1 && isTreePage(candidate, pgid + at, this)) {
        this.#place(pgid + at, candidate);
        this.stats.pagesReadAhead += 1;
      }
      at += span;
    }
    if (firstSpan > 1) return this.#loadLarge(pgid, first);
    checkPageHeader(first, pgid, this);
    return this.#place(pgid, first);
  }

  /** Copies a page read into the scratch buffer to the slot its admission calls for. */
  #place(pgid: number, page: Buffer): Buffer {
    if (this.#seen.has(pgid)) {
      const slot = this.#takeSlot();
      page.copy(this.#slotView(slot));
      return this.#admit(pgid, slot, page);
    }
    const slot = this.#takeProbationSlot();
    page.copy(this.#slotView(slot));
    this.#seen.remember(pgid);
    return this.#install(pgid, slot, 0);
  }

  /** Installs a page in the main slot it was read into. */
  #admit(pgid: number, slot: number, page: Buffer): Buffer {
    this.stats.pagesAdmitted += 1;
    return this.#install(pgid, slot, this.#weightOf(page));
  }

  /** Moves a page asked for again while on probation to a main slot. */
  #promote(pgid: number, probationSlot: number): Buffer {
    const page = this.#views[probationSlot] as Buffer;
    const slot = this.#takeSlot();
    page.copy(this.#slotView(slot));
    this.#empty(probationSlot);
    return this.#admit(pgid, slot, page);
  }

  /** A page with overflow: its own buffer, `first` holding its first page already. */
  #loadLarge(pgid: number, first: Buffer): Buffer {
    const pageSize = this.#pageSize;
    const overflow = u32(first, 12);
    const total = (overflow + 1) * pageSize;
    const offset = pgid * pageSize;
    if (pgid + overflow >= this.#pageCount || offset + total > this.fileSize) {
      throw this.corrupt(`page ${pgid} overflows ${overflow} pages past the end of the file`);
    }
    const page = Buffer.allocUnsafe(total);
    first.copy(page, 0, 0, pageSize);
    if (this.#read(page, pageSize, total - pageSize, offset + pageSize) !== total - pageSize) {
      throw this.corrupt(`page ${pgid} is truncated`);
    }
    checkPageHeader(page, pgid, this);
    // Big values are not worth evicting many small pages for.
    if (total <= this.#cacheBytes / 8) {
      this.#large.set(pgid, page);
      this.#largeBytes += total;
      while (this.#largeBytes > this.#cacheBytes / 4) {
        const oldest = this.#large.keys().next();
        if (oldest.done) break;
        this.#largeBytes -= this.#large.get(oldest.value)?.length ?? 0;
        this.#large.delete(oldest.value);
      }
    }
    this.slot = -1;
    return page;
  }

  #install(pgid: number, slot: number, weight: number): Buffer {
    const stamp = this.#nextStamp;
    this.#nextStamp = stamp === 0xffff_ffff ? 1 : stamp + 1;
    this.#slotOf.set(pgid, slot);
    this.#slotPgid[slot] = pgid;
    this.#slotStamp[slot] = stamp;
    this.#slotWeight[slot] = weight;
    this.slot = slot;
    this.stamp = stamp;
    return this.#views[slot] as Buffer;
  }

  #weightOf(page: Buffer): number {
    return page[8] === BRANCH_PAGE_FLAG ? BRANCH_WEIGHT : LEAF_WEIGHT;
  }

  /**
   * A free slot, or the first one the clock hand finds with no weight left. The slot is emptied
   * (and its stamp changed) before it is filled, so a failed read never leaves stale bytes mapped.
   */
  #takeSlot(): number {
    let slot: number;
    if (this.#slotsUsed < this.#slotCount) {
      slot = this.#slotsUsed++;
      this.stats.cachePages = this.#slotsUsed - this.#probation + this.#probationUsed;
    } else {
      for (;;) {
        const at = this.#hand;
        this.#hand = at + 1 === this.#slotCount ? this.#probation : at + 1;
        const weight = this.#slotWeight[at] as number;
        if (weight === 0) {
          slot = at;
          break;
        }
        this.#slotWeight[at] = weight - 1;
      }
    }
    return this.#empty(slot);
  }

  /** The next probation slot, first in first out. */
  #takeProbationSlot(): number {
    const slot = this.#probationHand;
    this.#probationHand = slot + 1 === this.#probation ? 0 : slot + 1;
    if (slot >= this.#probationUsed) {
      this.#probationUsed = slot + 1;
      this.stats.cachePages = this.#slotsUsed - this.#probation + this.#probationUsed;
    }
    return this.#empty(slot);
  }

  #empty(slot: number): number {
    const old = this.#slotPgid[slot] as number;
    if (old >= 0) this.#slotOf.delete(old);
    this.#slotPgid[slot] = -1;
    this.#slotStamp[slot] = 0;
    this.#slotWeight[slot] = 0;
    return slot;
  }

  #slotView(slot: number): Buffer {
    const existing = this.#views[slot];
    if (existing !== undefined) return existing;
    // Allocated on first use and never touched beyond the slots filled, so RSS grows with use only.
    this.#arena ??= Buffer.allocUnsafeSlow(this.#slotCount * this.#pageSize);
    const view = this.#arena.subarray(slot * this.#pageSize, (slot + 1) * this.#pageSize);
    this.#views[slot] = view;
    this.#viewLists[slot] = [view];
    return view;
  }

  /**
   * A page into its slot by readv with the slot's own list: fs.readSync checks its five
   * arguments through wrappers that allocate until the JIT has optimised them, which on a first
   * pass costs more than the system call; readv checks one array.
   */
  #readSlot(slot: number, position: number): number {
    if (this.#fd === undefined) throw new VigilError('BOLT_CLOSED', `bbolt file ${this.path} is closed`);
    const start = this.#timeReads ? performance.now() : 0;
    const n = readvSync(this.#fd, this.#viewLists[slot] as Buffer[], position);
    if (this.#timeReads) this.stats.readMs += performance.now() - start;
    this.stats.reads += 1;
    this.stats.bytesRead += n;
    // A short read (the file ends mid-page) is completed, or found short, by the general path.
    if (n > 0 && n < this.#pageSize)
      return n + this.#read(this.#views[slot] as Buffer, n, this.#pageSize - n, position + n);
    return n;
  }

  #read(buffer: Buffer, at: number, length: number, position: number): number {
    if (this.#fd === undefined) throw new VigilError('BOLT_CLOSED', `bbolt file ${this.path} is closed`);
    let done = 0;
    const start = this.#timeReads ? performance.now() : 0;
    while (done < length) {
      const n = readSync(this.#fd, buffer, at + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    if (this.#timeReads) this.stats.readMs += performance.now() - start;
    this.stats.reads += 1;
    this.stats.bytesRead += done;
    return done;
  }
}
