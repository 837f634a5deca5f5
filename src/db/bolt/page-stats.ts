/** Counters for benchmarks and tests: how many pages came from disk, how many from the cache. */
export interface PageReadStats {
  /** Read system calls for pages (a read-ahead of several pages is one). */
  reads: number;
  cacheHits: number;
  bytesRead: number;
  /** Pages cached by read-ahead before anyone asked for them. */
  pagesReadAhead: number;
  /** Cache slots in use (each a page of memory). */
  cachePages: number;
  /** Pages given a main slot: used a second time, or near the top of their tree. */
  pagesAdmitted: number;
  /** Time spent in read system calls, in milliseconds; counted only when the file is opened with `timeReads`. */
  readMs: number;
}
