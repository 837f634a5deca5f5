import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { VigilError } from '../../errors/index.ts';

/** sha256 of bytes as an OCI digest. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function digestMismatch(what: string, expected: string, actual: string): VigilError {
  return new VigilError('DIGEST_MISMATCH', `${what}: the content's digest is ${actual}, expected ${expected}`, {
    hint: 'the registry, a mirror or a proxy served corrupted or substituted content; try another repository',
  });
}

/** More bytes arrived than the descriptor declares. */
export function blobTooLong(what: string, expectedSize: number): VigilError {
  return new VigilError('BLOB_SIZE_MISMATCH', `${what}: more than the ${expectedSize} bytes its descriptor declares`, {
    hint: 'the registry or a proxy served different content; try another repository',
  });
}

/** The blob ended before the size its descriptor declares. */
export function blobTruncated(what: string, received: number, expectedSize: number): VigilError {
  return new VigilError('BLOB_TRUNCATED', `${what}: got ${received} of ${expectedSize} bytes`, {
    hint: 'the connection was cut or the content is damaged; try again or use another repository',
  });
}

/** Refuses digests other than sha256 before anything is downloaded. */
export function assertSha256Digest(digest: string, what: string): void {
  if (!digest.startsWith('sha256:')) {
    throw new VigilError('DIGEST_UNSUPPORTED', `${what}: unsupported digest algorithm in ${digest}`, {
      hint: 'only sha256 digests are supported',
    });
  }
}

/**
 * Passes bytes through while counting and hashing them. More bytes than expected fail at once;
 * at the end, a short count or another digest fails too, so a consumer that finishes without an
 * error has exactly the content the descriptor names.
 */
export class DigestVerifier extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #expectedDigest: string;
  readonly #expectedSize: number;
  readonly #what: string;
  readonly #onBytes: ((count: number) => void) | undefined;
  #received = 0;

  constructor(expectedDigest: string, expectedSize: number, what: string, onBytes?: (count: number) => void) {
    // Room for many 64 KiB socket chunks, so the file side can write them in batches.
    super({ highWaterMark: 1 << 20 });
    this.#onBytes = onBytes;
    assertSha256Digest(expectedDigest, what);
    this.#expectedDigest = expectedDigest;
    this.#expectedSize = expectedSize;
    this.#what = what;
  }

  get received(): number {
    return this.#received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#received += chunk.length;
    if (this.#received > this.#expectedSize) {
      callback(blobTooLong(this.#what, this.#expectedSize));
      return;
    }
    this.#hash.update(chunk);
    this.#onBytes?.(chunk.length);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#received !== this.#expectedSize) {
      callback(blobTruncated(this.#what, this.#received, this.#expectedSize));
      return;
    }
    const actual = `sha256:${this.#hash.digest('hex')}`;
    callback(actual === this.#expectedDigest ? null : digestMismatch(this.#what, this.#expectedDigest, actual));
  }
}
