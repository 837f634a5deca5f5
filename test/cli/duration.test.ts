import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../src/cli/duration.ts';

describe('parseDuration', () => {
  it('reads Go-style durations and days', () => {
    assert.equal(parseDuration('300ms'), 300);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('2h45m'), 9_900_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('0'), 0);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '5', 'm', '5 m', '5x', '1h-5m', 'abc', '-5m']) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
  });

  it('formats durations compactly', () => {
    assert.equal(formatDuration(300_000), '5m');
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(8 * 86_400_000 + 3_600_000), '8d1h');
    assert.equal(formatDuration(0), '0s');
  });
});
