import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

  it('frees the memory of dropped buffers with the process collector', () => {
    const MiB = 2 ** 20;
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 16; i++) Buffer.allocUnsafeSlow(MiB).fill(i);
    assert.ok(process.memoryUsage().arrayBuffers >= before + 15 * MiB, 'the dropped buffers still hold memory');
    createGarbagePacer(1).advance(1);
    assert.ok(process.memoryUsage().arrayBuffers < before + 4 * MiB, 'one pacer step freed them');
  });
});
