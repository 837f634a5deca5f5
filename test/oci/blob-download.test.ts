import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import type { VigilError } from '../../src/errors/index.ts';
import { createHttpClient, type TransferProgress } from '../../src/net/index.ts';
import {
  type BlobFileSink,
  openBlobFileSink,
  parseReference,
  RegistryClient,
  sha256Digest,
  type VerifiedBlobWrite,
  writeVerifiedBlob,
} from '../../src/oci/registry/index.ts';
import { startTestRegistry } from '../helpers/registry.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const dir = tempDir();
let fileCount = 0;
const freshFile = () => join(dir, `blob-${fileCount++}`);

/** The content as a stream of uneven chunks, like socket reads. */
function chunked(content: Buffer, sizes: readonly number[] = [1, 65_536, 7, 300_000, 4096]): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0, turn = 0; at < content.length; turn++) {
    const size = sizes[turn % sizes.length] as number;
    chunks.push(content.subarray(at, at + size));
    at += size;
  }
  return Readable.from(chunks, { objectMode: false });
}

function expectation(content: Buffer, overrides: Partial<VerifiedBlobWrite> = {}): VerifiedBlobWrite {
  return {
    expectedDigest: sha256Digest(content),
    expectedSize: content.length,
    what: 'blob under test',
    url: new URL('http://127.0.0.1:1/v2/x/blobs/y'),
    ...overrides,
  };
}

const withCode = (code: string) => (error: unknown) => (error as VigilError).code === code;

describe('verified blob writes', () => {
  it('writes a multi-MiB body in uneven chunks byte for byte, reporting every byte', async () => {
    const content = randomBytes(5 * 2 ** 20 + 12_345);
    const file = freshFile();
    let reported = 0;
    await writeVerifiedBlob(chunked(content), file, expectation(content, { onBytes: (count) => (reported += count) }));
    assert.ok(readFileSync(file).equals(content));
    assert.equal(reported, content.length);
  });

  it('writes an empty blob', async () => {
    const file = freshFile();
    await writeVerifiedBlob(Readable.from([]), file, expectation(Buffer.alloc(0)));
    assert.equal(readFileSync(file).length, 0);
  });

  it('stops at the first byte beyond the declared size, releases the body and keeps no file', async () => {
    const content = randomBytes(3 * 2 ** 20);
    const file = freshFile();
    const body = chunked(content);
    await assert.rejects(
      writeVerifiedBlob(body, file, expectation(content.subarray(0, 2 ** 20 + 5))),
      withCode('BLOB_SIZE_MISMATCH'),
    );
    assert.equal(body.destroyed, true);
    assert.equal(existsSync(file), false);
  });

  it('refuses a short body and one with another digest, keeping no file', async () => {
    const content = randomBytes(2 * 2 ** 20);
    const short = freshFile();
    await assert.rejects(
      writeVerifiedBlob(chunked(content.subarray(0, content.length - 1)), short, expectation(content)),
      (error: unknown) => withCode('BLOB_TRUNCATED')(error) && /got 2097151 of 2097152 bytes/.test(String(error)),
    );
    assert.equal(existsSync(short), false);
    const altered = Buffer.from(content);
    altered[1_500_000] = (altered[1_500_000] as number) ^ 0xff;
    const corrupt = freshFile();
    await assert.rejects(
      writeVerifiedBlob(chunked(altered), corrupt, expectation(content)),
      withCode('DIGEST_MISMATCH'),
    );
    assert.equal(existsSync(corrupt), false);
  });

  it('names a connection cut mid-body as a network failure and keeps no file', async () => {
    const content = randomBytes(4 * 2 ** 20);
    for (const cutAfterChunks of [0, 3]) {
      let served = 0;
      const body = new Readable({
        read() {
          if (served === cutAfterChunks) {
            this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
            return;
          }
          this.push(content.subarray(served * 600_000, ++served * 600_000));
        },
      });
      const file = freshFile();
      await assert.rejects(writeVerifiedBlob(body, file, expectation(content)), withCode('NET_RESET'));
      assert.equal(existsSync(file), false);
    }
  });

  it('stops at the signal with its reason and keeps no file', async () => {
    const content = randomBytes(2 * 2 ** 20);
    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    const body = new Readable({ read() {} });
    body.push(content.subarray(0, 1_200_000));
    setImmediate(() => {
      controller.abort(reason);
      body.destroy(new DOMException('aborted', 'AbortError'));
    });
    const file = freshFile();
    await assert.rejects(
      writeVerifiedBlob(body, file, expectation(content, { signal: controller.signal })),
      (error: unknown) => error === reason,
    );
    assert.equal(existsSync(file), false);
  });

  it('never overwrites an existing file, and leaves it as it was', async () => {
    const content = randomBytes(1000);
    const file = freshFile();
    writeFileSync(file, 'somebody else');
    await assert.rejects(
      writeVerifiedBlob(chunked(content), file, expectation(content)),
      (error: unknown) => withCode('BLOB_WRITE_FAILED')(error) && /EEXIST/.test(String(error)),
    );
    assert.equal(readFileSync(file, 'utf8'), 'somebody else');
  });

  it('refuses a digest algorithm other than sha256 before creating the file', async () => {
    const file = freshFile();
    await assert.rejects(
      writeVerifiedBlob(Readable.from([Buffer.from('x')]), file, {
        ...expectation(Buffer.from('x')),
        expectedDigest: 'sha512:00',
      }),
      withCode('DIGEST_UNSUPPORTED'),
    );
    assert.equal(existsSync(file), false);
  });
});

describe('downloadBlob from docker-registry', () => {
  it('pulls a multi-MiB blob verified, with progress from start to done', async () => {
    const registry = await startTestRegistry('noauth', join(dir, 'registry'));
    after(() => registry.stop());
    const http = createHttpClient({ retry: { attempts: 1 } });
    after(() => http.close());
    const client = new RegistryClient({ http });
    const reference = parseReference(`${registry.host}/vigil/big:1`);
    const content = randomBytes(6 * 2 ** 20 + 3);
    const descriptor = {
      mediaType: 'application/octet-stream',
      digest: sha256Digest(content),
      size: content.length,
      annotations: { 'org.opencontainers.image.title': 'big.bin' },
    };
    await client.pushBlob(reference, { digest: descriptor.digest, size: descriptor.size, bytes: content });
    const events: string[] = [];
    let advanced = 0;
    const progress: TransferProgress = {
      start: (label, total) => events.push(`start ${label} ${total}`),
      advance: (count) => (advanced += count),
      done: () => events.push('done'),
    };
    const file = freshFile();
    await client.downloadBlob(reference, descriptor, file, { progress });
    assert.ok(readFileSync(file).equals(content));
    assert.deepEqual(events, [`start big.bin ${content.length}`, 'done']);
    assert.equal(advanced, content.length);
  });
});

describe('blob file sinks (bodies streamed from the socket)', () => {
  /** Feeds `content` to the sink in uneven views of one reused buffer, as the socket reader does. */
  async function feed(sink: BlobFileSink['sink'], content: Buffer, sizes: readonly number[] = [1, 65_536, 7, 262_144]) {
    const reused = Buffer.alloc(262_144);
    for (let at = 0, turn = 0; at < content.length; turn++) {
      const size = Math.min(sizes[turn % sizes.length] as number, content.length - at);
      content.copy(reused, 0, at, at + size);
      await sink.write(reused.subarray(0, size));
      reused.fill(0xee);
      at += size;
    }
  }
  const announced = (length: number) => ({
    status: 200,
    header: (name: string) => (name === 'content-length' ? String(length) : undefined),
  });

  it('keeps a body fed through a reused buffer byte for byte, reporting every byte', async () => {
    const content = randomBytes(3 * 2 ** 20 + 999);
    const file = freshFile();
    let reported = 0;
    let begun = 0;
    const target = await openBlobFileSink(file, {
      ...expectation(content, { onBytes: (count) => (reported += count) }),
      onBegin: () => begun++,
    });
    target.sink.begin(announced(content.length));
    await feed(target.sink, content);
    await target.finish();
    assert.ok(readFileSync(file).equals(content));
    assert.equal(reported, content.length);
    assert.equal(begun, 1);
  });

  it('removes the file on a wrong digest, a short body, a longer body or a failed request', async () => {
    const content = randomBytes(300_000);
    const altered = Buffer.from(content);
    altered[1234] = (altered[1234] as number) ^ 1;
    const corrupt = freshFile();
    const wrong = await openBlobFileSink(corrupt, expectation(content));
    await feed(wrong.sink, altered);
    await assert.rejects(wrong.finish(), withCode('DIGEST_MISMATCH'));
    assert.equal(existsSync(corrupt), false);

    const short = freshFile();
    const truncated = await openBlobFileSink(short, expectation(content));
    await feed(truncated.sink, content.subarray(0, 1000));
    await assert.rejects(truncated.finish(), withCode('BLOB_TRUNCATED'));
    assert.equal(existsSync(short), false);

    const long = freshFile();
    const tooLong = await openBlobFileSink(long, expectation(content.subarray(0, 10)));
    await assert.rejects(feed(tooLong.sink, content), withCode('BLOB_SIZE_MISMATCH'));
    await tooLong.abort();
    assert.equal(existsSync(long), false);

    const announcedWrong = freshFile();
    const refusing = await openBlobFileSink(announcedWrong, expectation(content));
    assert.throws(() => refusing.sink.begin(announced(content.length + 1)), withCode('BLOB_SIZE_MISMATCH'));
    await refusing.abort();
    assert.equal(existsSync(announcedWrong), false);
  });
});
