import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { TarFileWriter, ustarHeader } from '../../src/airgap/tar-file-writer.ts';
import type { BodySource } from '../../src/net/index.ts';

const mtime = new Date('2026-01-02T03:04:05Z');

describe('TarFileWriter', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const workDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-tar-'));
    dirs.push(dir);
    return dir;
  };

  it('writes a tar GNU tar lists and extracts byte for byte, long names and taps included', async () => {
    const dir = await workDir();
    const file = join(dir, 'out.tar');
    const writer = await TarFileWriter.create(file);
    const longName = `blobs/sha256/${'a'.repeat(64)}/${'b'.repeat(80)}`;
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let at = 0; at < big.length; at++) big[at] = (at * 31) % 251;
    await writer.addBytes('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'), mtime);
    const tap = new PassThrough();
    const tapped: Buffer[] = [];
    tap.on('data', (chunk: Buffer) => tapped.push(chunk));
    const chunks = Array.from({ length: 50 }, (_, i) => big.subarray(i * 65536, (i + 1) * 65536));
    await writer.addStream(longName, big.length, Readable.from(chunks), mtime, [tap]);
    await writer.finish();

    assert.deepEqual(Buffer.concat(tapped), big, 'the tap saw the same bytes');
    const listing = execFileSync('tar', ['-tvf', file, '--utc'], { encoding: 'utf8' });
    assert.match(listing, /oci-layout/);
    assert.match(listing, new RegExp(`${big.length} 2026-01-02 03:04 ${longName}`));
    const out = join(dir, 'x');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xf', file, '-C', out]);
    assert.deepEqual(await readFile(join(out, longName)), big);
    assert.equal((await readFile(file)).length % 512, 0);
  });

  it('flushes to disk in the background as it goes, and the members still come out byte for byte', async () => {
    const dir = await workDir();
    const file = join(dir, 'out.tar');
    // A flush after every 256 KiB: many start while later pieces are written.
    const writer = await TarFileWriter.create(file, { flushEveryBytes: 256 * 1024 });
    const members = [5 * 1024 * 1024, 3 * 1024 * 1024 + 1].map((size) => randomBytes(size));
    for (const [index, member] of members.entries()) {
      const chunks = Array.from({ length: Math.ceil(member.length / 65536) }, (_, i) =>
        member.subarray(i * 65536, (i + 1) * 65536),
      );
      await writer.addStream(`m${index}`, member.length, Readable.from(chunks), mtime);
    }
    await writer.finish();
    const out = join(dir, 'x');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xf', file, '-C', out]);
    for (const [index, member] of members.entries()) assert.deepEqual(await readFile(join(out, `m${index}`)), member);
  });

  it('refuses a stream that is shorter or longer than announced, and the next member takes its place', async () => {
    const dir = await workDir();
    const file = join(dir, 'out.tar');
    const writer = await TarFileWriter.create(file);
    await assert.rejects(
      writer.addStream('short', 100, Readable.from([Buffer.alloc(60)]), mtime),
      /60 of the 100 bytes/,
    );
    await assert.rejects(
      writer.addStream('long', 10, Readable.from([Buffer.alloc(60)]), mtime),
      /more than the 10 bytes/,
    );
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await assert.rejects(writer.addStream('broken', 10, failing, mtime), /connection reset/);
    await writer.addBytes('kept', Buffer.from('kept'), mtime);
    await writer.finish();
    assert.equal(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }), 'kept\n');
  });

  /** A body source writing `content` in uneven pieces from one buffer it reuses at once. */
  const sourceOf = (content: Buffer, failAt?: number): BodySource => ({
    length: content.length,
    async writeTo(target) {
      const scratch = Buffer.alloc(70_001);
      for (let at = 0; at < content.length; at += scratch.length) {
        if (failAt !== undefined && at >= failAt) throw new Error('connection reset');
        const piece = content.subarray(at, at + scratch.length);
        piece.copy(scratch);
        const waiting = target.write(scratch.subarray(0, piece.length));
        scratch.fill(0);
        await waiting;
      }
    },
  });

  it('writes a member from a body source, its taps reading it back at their own pace', async () => {
    const dir = await workDir();
    const file = join(dir, 'out.tar');
    const writer = await TarFileWriter.create(file);
    const member = randomBytes(3 * 1024 * 1024 + 5);
    // A slow tap: each chunk is taken 2 ms late, so the copy runs far ahead of it.
    const seen: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        seen.push(Buffer.from(chunk));
        setTimeout(callback, 2);
      },
    });
    // A tap that wants only the first bytes and then closes: it is fed no more, and the copy goes on.
    let early = 0;
    const quitter = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        early += chunk.length;
        callback();
        this.destroy();
      },
    });
    await writer.addSource('blob', member.length, sourceOf(member), mtime, [slow, quitter]);
    await writer.addBytes('after', Buffer.from('after'), mtime);
    await writer.finish();
    assert.deepEqual(Buffer.concat(seen), member, 'the slow tap saw every byte, in order');
    assert.ok(early > 0 && early < member.length, `the closed tap got ${early} bytes`);
    const out = join(dir, 'x');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xf', file, '-C', out]);
    assert.deepEqual(await readFile(join(out, 'blob')), member);
    assert.equal(await readFile(join(out, 'after'), 'utf8'), 'after');
  });

  it('refuses a body source that fails or writes other than its size, and the next member takes its place', async () => {
    const dir = await workDir();
    const file = join(dir, 'out.tar');
    const writer = await TarFileWriter.create(file);
    const member = randomBytes(1024 * 1024);
    const tapped: Buffer[] = [];
    const tap = new PassThrough();
    tap.on('data', (chunk: Buffer) => tapped.push(chunk));
    await assert.rejects(
      writer.addSource('broken', member.length, sourceOf(member, 600_000), mtime, [tap]),
      /connection reset/,
    );
    await assert.rejects(
      writer.addSource('short', member.length + 1, sourceOf(member), mtime),
      /1048576 of the 1048577 bytes/,
    );
    await assert.rejects(writer.addSource('long', member.length - 1, sourceOf(member), mtime), /more than the/);
    await writer.addBytes('kept', Buffer.from('kept'), mtime);
    await writer.finish();
    assert.equal(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }), 'kept\n');
  });

  it('uses base-256 for sizes past the 8 GiB octal limit, and refuses names it cannot hold', () => {
    const header = ustarHeader('huge', 2 ** 34, mtime);
    assert.equal(header[124], 0x80);
    let size = 0;
    for (let at = 125; at < 136; at++) size = size * 256 + (header[at] as number);
    assert.equal(size, 2 ** 34);
    assert.throws(() => ustarHeader('x'.repeat(120), 1, mtime), /too long/);
  });
});
