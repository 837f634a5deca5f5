import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createGarbagePacer } from '../../src/net/index.ts';

describe('garbage pacer', () => {
  it('collects once each time the interval is passed, however the bytes arrive', () => {
    let collections = 0;
    const pacer = createGarbagePacer(1000, () => collections++);
    for (let i = 0; i < 25; i++) pacer.advance(100);
    assert.equal(collections, 2);
    pacer.advance(5000);
    assert.equal(collections, 3);
    pacer.advance(999);
    assert.equal(collections, 3);
    pacer.advance(1);
    assert.equal(collections, 4);
  });

  it('frees the memory of dropped buffers with the process collector', async () => {
    const MiB = 2 ** 20;
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 16; i++) Buffer.allocUnsafeSlow(MiB).fill(i);
    assert.ok(process.memoryUsage().arrayBuffers >= before + 15 * MiB, 'the dropped buffers still hold memory');
    createGarbagePacer(1).advance(1);
    // V8 may hand the freeing to a background thread: allow it a moment (far less than its own GC would take).
    for (let wait = 0; wait < 50 && process.memoryUsage().arrayBuffers >= before + 4 * MiB; wait++) await delay(10);
    assert.ok(process.memoryUsage().arrayBuffers < before + 4 * MiB, 'one pacer step freed them');
  });
});
