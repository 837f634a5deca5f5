import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BoltBucket, BoltWriter, openBolt } from '../../../src/db/bolt/index.ts';
import { deepSpec } from '../../fixtures/db/bolt/specs.ts';
import { runGoTool } from '../../helpers/go-tools.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import type { BoltDump } from './dump.ts';

// BoltBucket.visit and .read hand out bytes where they lie in the page cache; the page cache
// admits a page to a main slot only on its second use (or when it is near a tree's top). Both are
// checked against what Go's bbolt stored and against the writer's input, with caches small
// enough that slots are recycled all the time.
const FIXTURES = fileURLToPath(new URL('../../fixtures/db/bolt/', import.meta.url));
const keyOf = (i: number) => `key-${String(i).padStart(6, '0')}`;
// Every 97th value spans overflow pages, which live in their own buffers.
const valueFor = (i: number) => `value ${i} ${'v'.repeat(i % 200)}${i % 97 === 0 ? 'O'.repeat(5000 + i) : ''}`;
const KEYS = 8000;

/** An EntryVisitor that records each entry as one string. */
const record =
  (into: string[]) => (bytes: Buffer, keyStart: number, valueStart: number, valueEnd: number, isBucket: boolean) =>
    into.push(
      `${bytes.toString('hex', keyStart, valueStart)} ${isBucket} ${bytes.toString('hex', valueStart, valueEnd)}`,
    );
const inPlace: string[] = [];

/** A dump like `boltfix dump` prints, built with visit (values decoded in place), read and visitBucket. */
function dumpByVisit(bucket: BoltBucket): BoltDump {
  const entries: Array<[string, boolean, string]> = [];
  bucket.visit((bytes, keyStart, valueStart, valueEnd, isBucket) => {
    entries.push([
      bytes.toString('utf8', keyStart, valueStart),
      isBucket,
      bytes.toString('utf8', valueStart, valueEnd),
    ]);
  });
  const out: BoltDump = {};
  for (const [key, isBucket, value] of entries) {
    if (isBucket) {
      const nested = bucket.bucket(key);
      assert.ok(nested, `bucket ${key} opens`);
      assert.equal(
        bucket.read(key, () => 'a value'),
        undefined,
        `read of bucket ${key}`,
      );
      // visitBucket hands the same entries in place, an inline bucket without copying it out.
      assert.equal(bucket.visitBucket(key, record(inPlace)), true, `visitBucket ${key}`);
      const copied: string[] = [];
      nested.visit(record(copied));
      assert.deepEqual(inPlace.splice(0), copied, `visitBucket ${key} gives what visit gives`);
      out[key] = dumpByVisit(nested);
    } else {
      assert.equal(
        bucket.visitBucket(key, () => assert.fail(`value ${key} visited as a bucket`)),
        false,
      );
      assert.equal(
        bucket.read(key, (bytes, start, end) => bytes.toString('utf8', start, end)),
        value,
        `read ${key}`,
      );
      out[key] = value;
    }
  }
  return out;
}

describe('bbolt values in place and page admission', () => {
  const dir = tempDir('vigil-bolt-in-place-');
  const deep = join(dir, 'deep.db');
  const ours = join(dir, 'ours.db');
  before(() => {
    runGoTool('boltfix', ['write', deep], JSON.stringify(deepSpec()));
    const writer = new BoltWriter(ours);
    writer.beginBucket('wide');
    for (let i = 0; i < KEYS; i++) writer.put(keyOf(i), valueFor(i));
    writer.endBucket();
    writer.finish();
  });

  for (const name of ['small.db', 'nested.db', 'overflow.db', 'deep.db']) {
    test(`visit and read of ${name} give what boltfix dump prints, with a 16-slot cache`, () => {
      const path = name === 'deep.db' ? deep : join(FIXTURES, name);
      const db = openBolt(path, { cacheBytes: 1 });
      assert.deepEqual(dumpByVisit(db.root), JSON.parse(runGoTool('boltfix', ['dump', path])));
      assert.equal(
        db.root.visitBucket('no such bucket', () => assert.fail('visited')),
        false,
      );
      db.close();
    });
  }

  test('visit hands every entry in key order, overflow values included; read finds each and nothing else', () => {
    const db = openBolt(ours, { cacheBytes: 64 * 1024 });
    const wide = db.bucket('wide');
    assert.ok(wide);
    let count = 0;
    wide.visit((bytes, keyStart, valueStart, valueEnd, isBucket) => {
      assert.equal(isBucket, false);
      assert.equal(bytes.toString('utf8', keyStart, valueStart), keyOf(count));
      assert.equal(bytes.toString('utf8', valueStart, valueEnd), valueFor(count));
      count += 1;
    });
    assert.equal(count, KEYS);
    for (let i = 0; i < KEYS; i += 13) {
      assert.equal(
        wide.read(keyOf(i), (bytes, start, end) => bytes.toString('utf8', start, end)),
        valueFor(i),
      );
    }
    assert.equal(
      wide.read('key-', () => 'found'),
      undefined,
    );
    assert.equal(
      wide.read(keyOf(KEYS), () => 'found'),
      undefined,
    );
    db.close();
  });

  test('leaves used once stay on probation; a second use admits them; a third pass reads nothing', () => {
    const db = openBolt(ours, { cacheBytes: 4 << 20 });
    const wide = db.bucket('wide');
    assert.ok(wide);
    // One key per 40, in a scrambled order so no run of consecutive leaves is read ahead.
    const keys = Array.from({ length: KEYS / 40 }, (_, i) => ((i * 37) % (KEYS / 40)) * 40);
    const pass = () => {
      for (const i of keys) assert.equal(wide.get(keyOf(i))?.toString(), valueFor(i));
    };
    pass();
    const first = { ...db.stats };
    assert.ok(first.reads > 100, `${first.reads} reads in the first pass`);
    // Pages near the top of the trees, and the few leaves two of the keys share; not the one-off leaves.
    assert.ok(
      first.pagesAdmitted * 4 < first.reads,
      `${first.pagesAdmitted} pages admitted by a pass of ${first.reads} reads of one-off lookups`,
    );
    pass();
    const admitted = db.stats.pagesAdmitted - first.pagesAdmitted;
    assert.ok(admitted * 2 > first.reads, `the second pass admitted ${admitted} pages`);
    const second = { ...db.stats };
    pass();
    assert.equal(db.stats.reads, second.reads, 'the third pass is served from the cache');
    db.close();
  });
});
