import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';

const FOLLOW_READ_BYTES = 256 * 1024;

/**
 * How far a member has been written to its file without gaps: writes may finish out of order,
 * and readers wait here for the next stretch. `fail` wakes them for good.
 */
export class WrittenExtent {
  #written = 0;
  #stopped = false;
  readonly #done = new Map<number, number>();
  #waiters: Array<() => void> = [];

  get bytes(): number {
    return this.#written;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** `length` bytes at `offset` (from the member's start) are on disk. */
  add(offset: number, length: number): void {
    this.#done.set(offset, length);
    let next = this.#done.get(this.#written);
    while (next !== undefined) {
      this.#done.delete(this.#written);
      this.#written += next;
      next = this.#done.get(this.#written);
    }
    this.#wake();
  }

  stop(): void {
    this.#stopped = true;
    this.#wake();
  }

  /** Resolves once more was written than `than`, or the writing stopped. */
  beyond(than: number): Promise<void> {
    if (this.#written > than || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * Feeds `tap` the member's bytes read back from the file as they are written, at the tap's own
 * pace, through one reused buffer (each chunk reused once the tap is done with it). The copy never
 * waits for the tap: a slow tap (inflating a DB layer for its metadata) only finishes later.
 * Stops when the tap closes or ends, or the writing stopped short.
 */
export async function followWrites(
  handle: FileHandle,
  dataStart: number,
  size: number,
  extent: WrittenExtent,
  tap: Writable,
): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(FOLLOW_READ_BYTES, Math.max(size, 1)));
  let fed = 0;
  while (fed < size && !tap.destroyed && !tap.writableEnded) {
    if (fed >= extent.bytes) {
      if (extent.stopped) return;
      await extent.beyond(fed);
      continue;
    }
    const length = Math.min(buffer.length, extent.bytes - fed);
    const { bytesRead } = await handle.read(buffer, 0, length, dataStart + fed);
    if (bytesRead <= 0) throw new Error(`the bundle file ends before byte ${dataStart + fed} it has written`);
    await handOver(tap, buffer.subarray(0, bytesRead));
    fed += bytesRead;
  }
}

/**
 * Gives `chunk` to `tap` and resolves once the tap is done with it (its write callback), or has
 * closed or failed: only then may the chunk's memory be reused.
 */
export function handOver(tap: Writable, chunk: Buffer): Promise<void> {
  if (tap.destroyed || tap.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      tap.off('close', done);
      tap.off('error', done);
      resolve();
    };
    tap.on('close', done);
    tap.on('error', done);
    tap.write(chunk, done);
  });
}
