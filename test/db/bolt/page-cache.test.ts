import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { type BoltDb, BoltWriter, openBolt } from '../../../src/db/bolt/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { deepSpec } from '../../fixtures/db/bolt/specs.ts';
import { runGoTool } from '../../helpers/go-tools.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { dumpBucket, specToDump } from './dump.ts';

// The page cache recycles a fixed set of slots, reads ahead on sequential access and hands out
// copies. These tests run it with the smallest cache (16 slots) so every path is hit often, and
// compare everything read with what Go's bbolt stored or with what our writer was given.
const TINY = { cacheBytes: 1 };
const PAGE = 4096;

/** Enough small values for a run of consecutive leaves longer than any read-ahead. */
const OTHER_KEYS = 20_000;
const keyOf = (i: number) => `key-${String(i).padStart(6, '0')}`;
const valueFor = (i: number) => `value ${i} ${'x'.repeat(i % 300)}${i % 97 === 0 ? 'L'.repeat(6000 + i) : ''}`;

/**
 * A compact file from our writer: `wide` with 6,000 keys (some values on overflow pages), `other`
 * with 3,000, and a bucket of small nested buckets; leaves of one tree lie side by side.
 */
function writeCompact(path: string): void {
  const writer = new BoltWriter(path);
  writer.beginBucket('nested');
  for (let i = 0; i < 400; i++) {
    writer.beginBucket(keyOf(i));
    writer.put('a', `nested ${i}`);
    writer.endBucket();
  }
  writer.endBucket();
  writer.beginBucket('other');
  for (let i = 0; i < OTHER_KEYS; i++) writer.put(keyOf(i), `other ${i}`);
  writer.endBucket();
  writer.beginBucket('wide');
  for (let i = 0; i < 6000; i++) writer.put(keyOf(i), valueFor(i));
  writer.endBucket();
  writer.finish();
}

function open(path: string, options = TINY): BoltDb {
  return openBolt(path, options);
}

describe('bbolt page cache: slot reuse, copies, read-ahead', () => {
  const dir = tempDir('vigil-bolt-cache-');
  const compact = join(dir, 'compact.db');
  const deep = join(dir, 'deep.db');
  before(() => {
    writeCompact(compact);
    runGoTool('boltfix', ['write', deep], JSON.stringify(deepSpec()));
  });

  test('a 16-slot cache reads a Go-written 3-level tree exactly as boltfix dumps it', () => {
    const db = open(deep);
    assert.deepEqual(dumpBucket(db.root), JSON.parse(runGoTool('boltfix', ['dump', deep])));
    assert.deepEqual(dumpBucket(db.root), specToDump(deepSpec()));
    db.close();
  });

  test('cursors paused while other lookups reuse their slots resume where they were', () => {
    const walk = (cacheBytes: number) => {
      const db = open(compact, { cacheBytes });
      const wide = db.bucket('wide');
      const other = db.bucket('other');
      assert.ok(wide && other);
      const a = wide.entries();
      const b = other.entries();
      for (let i = 0; i < 3000; i++) {
        const fromWide = a.next().value;
        const fromOther = b.next().value;
        assert.equal(fromWide?.key.toString(), keyOf(i));
        assert.equal(fromWide?.value.toString(), valueFor(i));
        assert.equal(fromOther?.value.toString(), `other ${i}`);
        // Point lookups all over the tree in between: with 16 slots, the cursors' pages are evicted.
        const far = (i * 7919) % 6000;
        assert.equal(wide.get(keyOf(far))?.toString(), valueFor(far));
      }
      db.close();
      return db.stats.bytesRead;
    };
    const tiny = walk(1);
    const roomy = walk(64 << 20);
    assert.ok(tiny > 3 * roomy, `the tiny cache re-read pages: ${tiny} bytes against ${roomy}`);
  });

  test('keys, values and nested buckets handed out stay intact after their slots are reused', () => {
    const db = open(compact);
    const wide = db.bucket('wide');
    assert.ok(wide);
    const kept = [];
    for (const entry of wide.entries(keyOf(12))) {
      kept.push(entry);
      if (kept.length === 200) break;
    }
    const values = Array.from({ length: 200 }, (_, i) => wide.get(keyOf(i * 29)));
    const nested = Array.from({ length: 50 }, (_, i) => db.bucket('nested', keyOf(i * 7)));
    // Thousands of other pages pass through the 16 slots.
    for (const entry of db.bucket('other')?.entries() ?? []) assert.ok(entry.value.length > 0);
    for (let i = 0; i < 6000; i += 3) wide.get(keyOf(i));
    kept.forEach((entry, i) => {
      assert.equal(entry.key.toString(), keyOf(12 + i));
      assert.equal(entry.value.toString(), valueFor(12 + i));
    });
    values.forEach((value, i) => {
      assert.equal(value?.toString(), valueFor(i * 29));
    });
    nested.forEach((bucket, i) => {
      assert.equal(bucket?.get('a')?.toString(), `nested ${i * 7}`);
    });
    db.close();
  });

  test('a scan of consecutive leaves reads ahead; random lookups read single pages', () => {
    const scan = open(compact, { cacheBytes: 1 << 20 });
    let count = 0;
    for (const entry of scan.bucket('other')?.entries() ?? []) {
      assert.equal(entry.value.toString(), `other ${count}`);
      count += 1;
    }
    assert.equal(count, OTHER_KEYS);
    const pages = scan.stats.bytesRead / PAGE;
    assert.ok(scan.stats.pagesReadAhead > 0, 'pages were read ahead');
    assert.ok(scan.stats.reads * 4 < pages, `${scan.stats.reads} reads for ${pages} pages`);
    scan.close();
    const random = open(compact, { cacheBytes: 1 << 20 });
    const wide = random.bucket('wide');
    let seed = 7;
    for (let i = 0; i < 300; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = seed % 6000;
      assert.equal(wide?.get(keyOf(n))?.toString(), valueFor(n));
    }
    assert.ok(
      random.stats.pagesReadAhead * 10 < random.stats.bytesRead / PAGE,
      `random lookups read ahead ${random.stats.pagesReadAhead} of ${random.stats.bytesRead / PAGE} pages`,
    );
    random.close();
  });

  test('the whole compact file reads back with every cache size, overflow values among read-ahead pages', () => {
    const expected = (() => {
      const db = open(compact, { cacheBytes: 64 << 20 });
      const dump = dumpBucket(db.root);
      db.close();
      return dump;
    })();
    assert.equal(Object.keys(expected.wide ?? {}).length, 6000);
    assert.equal((expected.wide as Record<string, string>)[keyOf(97)], valueFor(97));
    for (const cacheBytes of [1, 64 * 1024, 1 << 20]) {
      const db = open(compact, { cacheBytes });
      assert.deepEqual(dumpBucket(db.root), expected, `cache of ${cacheBytes} bytes`);
      db.close();
    }
  });

  test('a damaged page inside a read-ahead run fails when reached, after everything before it', () => {
    const bytes = readFileSync(compact);
    // The `other` bucket's leaves are consecutive: leaf pages whose first value is "other N".
    const leaves: number[] = [];
    for (let pgid = 2; (pgid + 1) * PAGE <= bytes.length; pgid++) {
      const at = pgid * PAGE;
      if (bytes.readUInt16LE(at + 8) !== 0x02 || bytes.readUInt16LE(at + 10) === 0) continue;
      const valueAt = at + 16 + bytes.readUInt32LE(at + 20) + bytes.readUInt32LE(at + 24);
      if (bytes.toString('utf8', valueAt, valueAt + 6) === 'other ') leaves.push(pgid);
    }
    assert.ok(leaves.length > 10, `found ${leaves.length} leaves of other`);
    assert.equal((leaves.at(-1) as number) - (leaves[0] as number), leaves.length - 1, 'consecutive leaves');
    // Damage the fifth one's element table: it arrives in a read-ahead run, not asked for yet.
    const victim = leaves[4] as number;
    const damaged = Buffer.from(bytes);
    damaged.writeUInt32LE(0xfff0, victim * PAGE + 16 + 4);
    const path = join(dir, 'damaged.db');
    writeFileSync(path, damaged);
    const db = open(path, { cacheBytes: 1 << 20 });
    let seen = 0;
    assert.throws(
      () => {
        for (const entry of db.bucket('other')?.entries() ?? []) {
          assert.equal(entry.value.toString(), `other ${seen}`);
          seen += 1;
        }
      },
      (error: unknown) =>
        isVigilError(error) && new RegExp(`page ${victim} element 0 points outside`).test(error.message),
    );
    assert.ok(seen > 0 && seen < OTHER_KEYS, `${seen} entries before the damaged page`);
    db.close();
  });

  test('random damage with a tiny cache and read-ahead: a VigilError or the data, never a crash or hang', () => {
    const original = readFileSync(compact);
    let seed = 4242;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const path = join(dir, 'fuzz.db');
    let failures = 0;
    for (let round = 0; round < 60; round++) {
      const bytes = Buffer.from(original);
      for (let i = 0; i < 6; i++) {
        // Page headers and element tables, where damage matters most.
        const page = 2 + Math.floor(random() * (bytes.length / PAGE - 2));
        bytes[page * PAGE + Math.floor(random() * 96)] = Math.floor(random() * 256);
      }
      writeFileSync(path, bytes);
      try {
        const db = open(path, { cacheBytes: round % 2 === 0 ? 1 : 256 * 1024 });
        try {
          dumpBucket(db.root);
          const wide = db.bucket('wide');
          for (let i = 0; i < 200; i++) wide?.get(keyOf((i * 7919) % 6000));
          // Values handed out in place, and decoded there, must be as safe as copies.
          wide?.visit((bytes, keyStart, valueStart, valueEnd) => {
            assert.ok(keyStart <= valueStart && valueStart <= valueEnd && valueEnd <= bytes.length);
            bytes.toString('utf8', keyStart, valueEnd);
          });
          for (let i = 0; i < 50; i++)
            wide?.read(keyOf(i * 113), (bytes, start, end) => bytes.toString('utf8', start, end));
        } finally {
          db.close();
        }
      } catch (error) {
        assert.ok(isVigilError(error), `round ${round}: ${String(error)}`);
        failures += 1;
      }
    }
    assert.ok(failures > 0, 'some damage must be detected');
  });
});
