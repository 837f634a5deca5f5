import { type FileHandle, open } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { BodySource, BodyTarget } from '../net/index.ts';
import { followWrites, WrittenExtent } from './tap-follower.ts';

const BLOCK = 512;
/** Member data is gathered into writes of about this size. */
const WRITE_BYTES = 1 << 20;
/**
 * After this many bytes, a flush to disk starts in the background, so the disk writes while the
 * copy goes on and the final flush has little left (measured on a 200 MiB bundle: ~190 ms of
 * final flush otherwise).
 */
const EARLY_FLUSH_BYTES = 32 << 20;
/**
 * Member data from a body source is copied into reused buffers of this size, at most this many
 * written at once (1 MiB and two beat 256 KiB and three on a 200 MiB bundle, as for downloads).
 */
const SOURCE_BATCH_BYTES = 1024 * 1024;
const SOURCE_WRITES_IN_FLIGHT = 2;
const ZEROS = Buffer.alloc(2 * BLOCK);

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A POSIX ustar header for a regular file; names up to 255 bytes (prefix + name), any size (base-256 past 8 GiB). */
export function ustarHeader(name: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`tar member name too long: ${name}`);
    }
  }
  header.write(base, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100, 'latin1');
  header.write(octal(0, 8), 108, 'latin1');
  header.write(octal(0, 8), 116, 'latin1');
  if (size < 8 ** 11) header.write(octal(size, 12), 124, 'latin1');
  else {
    // GNU base-256: the high bit of the first byte set, the size big-endian in the rest.
    header[124] = 0x80;
    let rest = size;
    for (let at = 135; at > 124; at--) {
      header[at] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

/** Waits until a tap takes more, or gives up on it when it fails or closes. */
function feed(tap: Writable, chunk: Buffer): Promise<void> | undefined {
  if (tap.destroyed || tap.writableEnded) return undefined;
  if (tap.write(chunk)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      tap.off('drain', done);
      tap.off('close', done);
      tap.off('error', done);
      resolve();
    };
    tap.on('drain', done);
    tap.on('close', done);
    tap.on('error', done);
  });
}

/**
 * Writes an uncompressed tar file member by member with positioned, batched writes: far less
 * overhead than a general tar stream for the few large blobs a bundle holds. Members are written
 * one after another; the caller serialises them.
 */
export class TarFileWriter {
  readonly #handle: FileHandle;
  #position = 0;
  #unflushed = 0;
  /** The background flush in flight, and the first one that failed (reported by finish). */
  #flushing: Promise<void> | undefined;
  #flushFailure: unknown;
  readonly #flushEvery: number;

  private constructor(handle: FileHandle, flushEvery: number) {
    this.#handle = handle;
    this.#flushEvery = flushEvery;
  }

  /** `flushEveryBytes`: how often a background flush to disk starts (default 32 MiB). */
  static async create(path: string, options: { flushEveryBytes?: number } = {}): Promise<TarFileWriter> {
    // Readable too: taps read members back as they are written (tap-follower.ts).
    return new TarFileWriter(await open(path, 'wx+', 0o644), options.flushEveryBytes ?? EARLY_FLUSH_BYTES);
  }

  /** Writes at the current end; the place is taken at once, so writes may overlap. */
  async #write(buffers: Buffer[]): Promise<void> {
    const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    const at = this.#position;
    this.#position += total;
    let written = (await this.#handle.writev(buffers, at)).bytesWritten;
    if (written < total) {
      const whole = Buffer.concat(buffers, total);
      while (written < total) {
        written += (await this.#handle.write(whole, written, total - written, at + written)).bytesWritten;
      }
    }
    this.#unflushed += total;
    if (this.#unflushed >= this.#flushEvery && !this.#flushing) {
      this.#unflushed = 0;
      this.#flushing = this.#handle.datasync().then(
        () => {
          this.#flushing = undefined;
        },
        (error: unknown) => {
          this.#flushFailure ??= error;
          this.#flushing = undefined;
        },
      );
    }
  }

  async addBytes(name: string, bytes: Buffer, mtime: Date): Promise<void> {
    const padding = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
    await this.#write([ustarHeader(name, bytes.length, mtime), bytes, ZEROS.subarray(0, padding)]);
  }

  /**
   * Writes `size` bytes of `content` as one member; `taps` get the same bytes (a slow tap slows
   * the copy, a failed one is left behind). More or fewer bytes than `size` is an error.
   */
  async addStream(
    name: string,
    size: number,
    content: Readable,
    mtime: Date,
    taps: readonly Writable[] = [],
  ): Promise<void> {
    const start = this.#position;
    try {
      await this.#copy(name, size, content, mtime, taps);
    } catch (error) {
      // The next member overwrites this one, so a failed copy leaves no damage behind.
      this.#position = start;
      throw error;
    }
  }

  /**
   * Writes a member of `size` bytes that `source` writes: its views are copied into reused 1 MiB
   * buffers, each written while the next fills, so no memory is allocated per chunk. `taps` read
   * the member back from the file as it is written, at their own pace (tap-follower.ts), so a slow
   * tap never holds up the copy; the member is done when they are. A tap gets views of a reused
   * buffer: it must be done with each chunk when it calls back (a PassThrough that keeps chunks
   * would see them overwritten; addStream hands its taps the stream's own chunks instead). A source that fails, or writes
   * other than `size` bytes, fails the member, which the next one then overwrites.
   */
  async addSource(
    name: string,
    size: number,
    source: BodySource,
    mtime: Date,
    taps: readonly Writable[] = [],
  ): Promise<void> {
    const start = this.#position;
    const pool: Buffer[] = [];
    const inFlight = new Set<Promise<void>>();
    const extent = new WrittenExtent();
    let batch: Buffer | undefined;
    let filled = 0;
    let received = 0;
    let failure: unknown;
    const send = () => {
      const full = batch as Buffer;
      const view = full.subarray(0, filled);
      const offset = received - filled;
      batch = undefined;
      filled = 0;
      const done: Promise<void> = this.#write([view]).then(
        () => {
          inFlight.delete(done);
          pool.push(full);
          extent.add(offset, view.length);
        },
        (error: unknown) => {
          inFlight.delete(done);
          failure ??= error;
          extent.stop();
        },
      );
      inFlight.add(done);
    };
    const target: BodyTarget = {
      write(view) {
        if (failure !== undefined) throw failure;
        if (received + view.length > size) throw new Error(`${name}: more than the ${size} bytes announced`);
        let offset = 0;
        while (offset < view.length) {
          batch ??= pool.pop() ?? Buffer.allocUnsafe(Math.min(SOURCE_BATCH_BYTES, size));
          const copied = view.copy(batch, filled, offset);
          offset += copied;
          filled += copied;
          received += copied;
          if (filled === batch.length) send();
        }
        return inFlight.size >= SOURCE_WRITES_IN_FLIGHT ? Promise.race(inFlight) : undefined;
      },
    };
    const controller = new AbortController();
    let followers: Promise<unknown> = Promise.resolve();
    try {
      await this.#write([ustarHeader(name, size, mtime)]);
      const handle = this.#handle;
      const dataStart = this.#position;
      followers = Promise.all(taps.map((tap) => followWrites(handle, dataStart, size, extent, tap)));
      followers.catch(() => undefined);
      await source.writeTo(target, controller.signal);
      if (received !== size) throw new Error(`${name}: ${received} of the ${size} bytes announced`);
      if (filled > 0) send();
      await Promise.all(inFlight);
      if (failure !== undefined) throw failure;
      const padding = (BLOCK - (size % BLOCK)) % BLOCK;
      await this.#write([ZEROS.subarray(0, padding)]);
      await followers;
    } catch (error) {
      controller.abort(error);
      extent.stop();
      await Promise.allSettled([...inFlight, followers]);
      // The next member overwrites this one, so a failed copy leaves no damage behind.
      this.#position = start;
      throw error;
    }
    for (const tap of taps) if (!tap.destroyed && !tap.writableEnded) tap.end();
  }

  async #copy(name: string, size: number, content: Readable, mtime: Date, taps: readonly Writable[]): Promise<void> {
    await this.#write([ustarHeader(name, size, mtime)]);
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let received = 0;
    // 'data' events hand over each chunk as it is; async iteration would concatenate them.
    const chunks: Buffer[] = [];
    let wake: (() => void) | undefined;
    let failure: unknown;
    let ended = false;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      if (chunks.length >= 16) content.pause();
      wake?.();
    };
    const onEnd = () => {
      ended = true;
      wake?.();
    };
    const onError = (error: unknown) => {
      failure = error;
      wake?.();
    };
    content.on('data', onData);
    content.once('end', onEnd);
    content.once('error', onError);
    content.once('close', onEnd);
    try {
      for (;;) {
        if (failure !== undefined) throw failure;
        const chunk = chunks.shift();
        if (!chunk) {
          if (ended) break;
          content.resume();
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        received += chunk.length;
        if (received > size) throw new Error(`${name}: more than the ${size} bytes announced`);
        batch.push(chunk);
        batchBytes += chunk.length;
        const waits = taps.map((tap) => feed(tap, chunk)).filter(Boolean);
        if (batchBytes >= WRITE_BYTES) {
          await this.#write(batch);
          batch = [];
          batchBytes = 0;
        }
        if (waits.length > 0) await Promise.all(waits);
      }
    } finally {
      content.off('data', onData);
      content.off('end', onEnd);
      content.off('error', onError);
      content.off('close', onEnd);
    }
    if (failure !== undefined) throw failure;
    if (received !== size) throw new Error(`${name}: ${received} of the ${size} bytes announced`);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    await this.#write([...batch, ZEROS.subarray(0, padding)]);
    for (const tap of taps) if (!tap.destroyed && !tap.writableEnded) tap.end();
  }

  /** The end-of-archive blocks, flushed to disk, and the file closed. */
  async finish(): Promise<void> {
    await this.#write([ZEROS]);
    await this.#handle.truncate(this.#position);
    await this.#flushing;
    if (this.#flushFailure !== undefined) throw this.#flushFailure;
    await this.#handle.sync();
    await this.#handle.close();
  }

  async close(): Promise<void> {
    await this.#flushing;
    await this.#handle.close().catch(() => undefined);
  }
}
