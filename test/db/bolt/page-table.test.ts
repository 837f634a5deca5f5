import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PageFile } from '../../../src/db/bolt/page-file.ts';
import { PageHistory } from '../../../src/db/bolt/page-history.ts';
import { MAX_TABLE_PGID, PageTable } from '../../../src/db/bolt/page-table.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** A deterministic pseudo-random sequence, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

// The page cache finds its slots and its probation history through these tables; a lost or stale
// entry would hand a lookup another page's bytes, so they are checked against a Map doing the same.
describe('PageTable', () => {
  test('agrees with a Map through a long run of inserts, updates and removals', () => {
    for (const [capacity, range] of [
      [16, 40],
      [2048, 6000],
      [2048, 2 ** 31 - 1],
    ] as const) {
      const table = new PageTable(capacity);
      const oracle = new Map<number, number>();
      const rand = random(capacity + range);
      for (let step = 0; step < 200_000; step++) {
        const pgid = Math.floor(rand() * range);
        const action = rand();
        if (action < 0.45 && (oracle.size < capacity || oracle.has(pgid))) {
          table.set(pgid, step);
          oracle.set(pgid, step);
        } else if (action < 0.8) {
          table.delete(pgid);
          oracle.delete(pgid);
        } else {
          assert.equal(table.get(pgid), oracle.get(pgid) ?? -1, `step ${step}: pgid ${pgid}`);
        }
        assert.equal(table.size, oracle.size);
      }
      for (const [pgid, value] of oracle) assert.equal(table.get(pgid), value);
    }
  });

  test('keeps probe runs intact when removals wrap around the end of the table', () => {
    // Consecutive ids share long probe runs in a small table; removing from their middle must
    // leave every other id findable.
    const table = new PageTable(8);
    const ids = [0, 1, 2, 3, 4, 5, 6, 7];
    for (const id of ids) table.set(id, id * 10);
    for (const removed of [3, 0, 7, 4]) {
      table.delete(removed);
      ids.splice(ids.indexOf(removed), 1);
      for (const id of ids) assert.equal(table.get(id), id * 10, `after removing ${removed}, id ${id}`);
      assert.equal(table.get(removed), -1);
    }
  });

  test('holds the largest page id and refuses more entries than it was sized for', () => {
    const table = new PageTable(2);
    table.set(MAX_TABLE_PGID, 7);
    table.set(2, 1);
    assert.equal(table.get(MAX_TABLE_PGID), 7);
    table.set(2, 3);
    assert.equal(table.get(2), 3);
    assert.throws(() => table.set(5, 1), /page table full \(2 entries\)/);
    table.clear();
    assert.equal(table.size, 0);
    assert.equal(table.get(MAX_TABLE_PGID), -1);
    assert.throws(() => new PageTable(2 ** 30), /capacity .* out of range/);
  });

  test('a file with more pages than the tables can name is refused at open, not misread', () => {
    const dir = tempDir();
    const path = join(dir, 'big.db');
    writeFileSync(path, Buffer.alloc(8192));
    const file = new PageFile(path, 1 << 20);
    try {
      assert.throws(
        () => file.setGeometry(4096, MAX_TABLE_PGID + 2),
        (error: unknown) => isVigilError(error) && /it has 2147483649 pages/.test(error.message),
      );
      file.setGeometry(4096, MAX_TABLE_PGID + 1);
    } finally {
      file.close();
    }
  });
});

describe('PageHistory', () => {
  test('remembers exactly the last `capacity` pages', () => {
    const history = new PageHistory(100);
    const rand = random(7);
    const order: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      const pgid = 2 + Math.floor(rand() * 400);
      if (history.has(pgid)) continue;
      history.remember(pgid);
      order.push(pgid);
      const recent = new Set(order.slice(-100));
      if (step % 97 === 0) {
        for (let id = 2; id < 402; id++) assert.equal(history.has(id), recent.has(id), `step ${step}: page ${id}`);
      }
    }
    history.clear();
    for (let id = 2; id < 402; id++) assert.equal(history.has(id), false);
  });
});
