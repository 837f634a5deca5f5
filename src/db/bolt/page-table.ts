/** Largest page id a PageTable holds: ids live in an Int32Array (with 4 KiB pages, an 8 TiB file). */
export const MAX_TABLE_PGID = 0x7fff_ffff;

/**
 * Page id -> small non-negative integer, for the page cache's bookkeeping: open addressing with
 * linear probing in two typed arrays sized once, at most half full. Lookups, inserts and removals
 * allocate nothing and leave no garbage, where a Map or Set churned by evictions keeps rehashing
 * into fresh tables that pile up in the old generation of a long-running process.
 */
export class PageTable {
  readonly #keys: Int32Array;
  readonly #values: Int32Array;
  readonly #mask: number;
  readonly #shift: number;
  #size = 0;
  readonly #capacity: number;

  /** Room for `capacity` entries; more is a caller's bug and throws. */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0 || capacity > 2 ** 29) {
      throw new RangeError(`page table capacity ${capacity} is out of range (0 to 2^29)`);
    }
    let bits = 3;
    while (1 << bits < capacity * 2) bits += 1;
    this.#keys = new Int32Array(1 << bits).fill(-1);
    this.#values = new Int32Array(1 << bits);
    this.#mask = (1 << bits) - 1;
    this.#shift = 32 - bits;
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  /** The value stored for `pgid`, or -1 when there is none. */
  get(pgid: number): number {
    const keys = this.#keys;
    const mask = this.#mask;
    for (let i = this.#home(pgid); ; i = (i + 1) & mask) {
      const key = keys[i] as number;
      if (key === pgid) return this.#values[i] as number;
      if (key === -1) return -1;
    }
  }

  set(pgid: number, value: number): void {
    const keys = this.#keys;
    const mask = this.#mask;
    let i = this.#home(pgid);
    for (; keys[i] !== -1; i = (i + 1) & mask) {
      if (keys[i] === pgid) {
        this.#values[i] = value;
        return;
      }
    }
    if (this.#size >= this.#capacity) throw new RangeError(`page table full (${this.#capacity} entries)`);
    keys[i] = pgid;
    this.#values[i] = value;
    this.#size += 1;
  }

  delete(pgid: number): void {
    const keys = this.#keys;
    const values = this.#values;
    const mask = this.#mask;
    let hole = this.#home(pgid);
    for (; keys[hole] !== pgid; hole = (hole + 1) & mask) if (keys[hole] === -1) return;
    // Backward-shift deletion: an entry further along the probe run moves into the hole when its
    // home lies at or before the hole, so no tombstones accumulate and lookups stay short.
    for (let at = (hole + 1) & mask; keys[at] !== -1; at = (at + 1) & mask) {
      const home = this.#home(keys[at] as number);
      if (((at - home) & mask) >= ((at - hole) & mask)) {
        keys[hole] = keys[at] as number;
        values[hole] = values[at] as number;
        hole = at;
      }
    }
    keys[hole] = -1;
    this.#size -= 1;
  }

  clear(): void {
    this.#keys.fill(-1);
    this.#size = 0;
  }

  /** Fibonacci hashing: the top bits of the product, so consecutive ids spread over the table. */
  #home(pgid: number): number {
    return Math.imul(pgid, 0x9e37_79b1) >>> this.#shift;
  }
}
