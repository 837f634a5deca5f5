import { PageTable } from './page-table.ts';

/**
 * The ids of the last `capacity` pages remembered, oldest forgotten first: the page cache's record
 * of which pages went through probation, so a page read again while remembered earns a main slot.
 */
export class PageHistory {
  readonly #ids: PageTable;
  readonly #ring: Int32Array;
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Int32Array(Math.max(1, capacity)).fill(-1);
    this.#ids = new PageTable(this.#ring.length);
  }

  has(pgid: number): boolean {
    return this.#ids.get(pgid) !== -1;
  }

  /** Remembers a page that is not remembered yet (a page read again while remembered is admitted instead). */
  remember(pgid: number): void {
    const ring = this.#ring;
    const oldest = ring[this.#next] as number;
    if (oldest >= 0) this.#ids.delete(oldest);
    ring[this.#next] = pgid;
    this.#next = this.#next + 1 === ring.length ? 0 : this.#next + 1;
    this.#ids.set(pgid, 0);
  }

  clear(): void {
    this.#ids.clear();
    this.#ring.fill(-1);
    this.#next = 0;
  }
}
