/**
 * The ids of the last `capacity` pages remembered, oldest forgotten first: the page cache's record
 * of which pages went through probation, so a page read again while remembered earns a main slot.
 */
export class PageHistory {
  readonly #ids = new Set<number>();
  readonly #ring: Float64Array;
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Float64Array(Math.max(1, capacity)).fill(-1);
  }

  has(pgid: number): boolean {
    return this.#ids.has(pgid);
  }

  remember(pgid: number): void {
    const ring = this.#ring;
    const oldest = ring[this.#next] as number;
    if (oldest >= 0) this.#ids.delete(oldest);
    ring[this.#next] = pgid;
    this.#next = this.#next + 1 === ring.length ? 0 : this.#next + 1;
    this.#ids.add(pgid);
  }

  clear(): void {
    this.#ids.clear();
    this.#ring.fill(-1);
  }
}
