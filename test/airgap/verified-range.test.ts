import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyVerifiedRange } from '../../src/airgap/store/index.ts';
import { VigilError } from '../../src/errors/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// A blob of a little over two of the copier's 4 MiB pieces, stored between other bytes as a member
// of a bundle is, so that offsets, the piece after piece loop and the short last piece all count.
const blob = randomBytes(9 * 2 ** 20 + 12_345);
const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
const descriptor = { mediaType: 'application/octet-stream', digest, size: blob.length };
const dir = tempDir();
const container = join(dir, 'bundle.tar');
const before = randomBytes(1536);
writeFileSync(container, Buffer.concat([before, blob, randomBytes(700)]));
const range = { path: container, offset: before.length, size: blob.length };

function refusedWith(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof VigilError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, /^blob sha256:[0-9a-f]{64} of test: /);
    return true;
  };
}

describe('copyVerifiedRange', () => {
  it('copies the bytes of a range into a new file when they match the digest, and reports progress', async () => {
    const output = join(tempDir(), 'layer');
    let advanced = 0;
    let started: number | undefined;
    await copyVerifiedRange(range, descriptor, 'blob … of test', output, {
      progress: {
        start: (_label, total) => {
          started = total;
        },
        advance: (count) => {
          advanced += count;
        },
        done: () => undefined,
      },
    });
    assert.ok(readFileSync(output).equals(blob));
    assert.equal(started, blob.length);
    assert.equal(advanced, blob.length);
    // Checking alone writes nothing.
    await copyVerifiedRange(range, descriptor, 'blob … of test', undefined);
  });

  it('refuses one changed byte and leaves no file behind', async () => {
    const damaged = join(tempDir(), 'damaged.tar');
    const bytes = readFileSync(container);
    const at = before.length + 5 * 2 ** 20 + 3;
    bytes[at] = (bytes[at] as number) ^ 1;
    writeFileSync(damaged, bytes);
    const output = join(tempDir(), 'layer');
    await assert.rejects(
      copyVerifiedRange({ ...range, path: damaged }, descriptor, `blob ${digest} of test`, output),
      refusedWith('DIGEST_MISMATCH'),
    );
    assert.equal(existsSync(output), false);
  });

  it('refuses a range shorter or longer than the descriptor', async () => {
    const output = join(tempDir(), 'layer');
    await assert.rejects(
      copyVerifiedRange({ ...range, size: blob.length - 1 }, descriptor, `blob ${digest} of test`, output),
      refusedWith('BLOB_TRUNCATED'),
    );
    assert.equal(existsSync(output), false);
    await assert.rejects(
      copyVerifiedRange({ ...range, size: blob.length + 1 }, descriptor, `blob ${digest} of test`, undefined),
      refusedWith('BLOB_SIZE_MISMATCH'),
    );
    // A file cut short before the range ends reads as truncated, too.
    const cut = join(tempDir(), 'cut.tar');
    writeFileSync(cut, readFileSync(container).subarray(0, before.length + 2 * 2 ** 20));
    await assert.rejects(
      copyVerifiedRange({ ...range, path: cut }, descriptor, `blob ${digest} of test`, undefined),
      refusedWith('BLOB_TRUNCATED'),
    );
  });

  it('never overwrites or removes a file that is already there', async () => {
    const output = join(tempDir(), 'layer');
    writeFileSync(output, 'mine');
    await assert.rejects(copyVerifiedRange(range, descriptor, `blob ${digest} of test`, output), /EEXIST/);
    assert.equal(readFileSync(output, 'utf8'), 'mine');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const output = join(tempDir(), 'layer');
    await assert.rejects(
      copyVerifiedRange(range, descriptor, `blob ${digest} of test`, output, { signal: controller.signal }),
      /stop/,
    );
    assert.equal(existsSync(output), false);
  });
});
