import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type BoltTree, BoltWriter, openBolt, writeBoltTree } from '../../../src/db/bolt/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { runGoTool } from '../../helpers/go-tools.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { type BoltDump, dumpBucket } from './dump.ts';

function treeToDump(tree: BoltTree): BoltDump {
  const out: BoltDump = {};
  for (const [key, value] of tree) {
    out[key] = value instanceof Map ? treeToDump(value) : Buffer.from(value).toString('utf8');
  }
  return out;
}

function levelsOf(path: string): number {
  return Number(/Number of levels in B\+tree: (\d+)/.exec(runGoTool('bolt', ['stats', path]))?.[1]);
}

/** Writes with our writer, then asks both Go oracles to check and dump it, and reads it back ourselves. */
function roundTrip(dir: string, name: string, tree: BoltTree, pageSize?: number): string {
  const path = join(dir, name);
  writeBoltTree(path, tree, { pageSize });
  assert.equal(runGoTool('bolt', ['check', path]).trim(), 'OK');
  assert.equal(runGoTool('boltfix', ['check', path]).trim(), 'OK');
  const expected = treeToDump(tree);
  assert.deepEqual(JSON.parse(runGoTool('boltfix', ['dump', path])), expected);
  const db = openBolt(path);
  assert.deepEqual(dumpBucket(db.root), expected);
  db.close();
  return path;
}

function bucket(entries: Record<string, BoltTree | string>): BoltTree {
  return new Map(Object.entries(entries));
}

describe('bbolt writer, checked by Go bbolt', () => {
  const dir = tempDir('vigil-bolt-writer-');

  test('small buckets, nested three deep, inline and empty buckets, unicode keys', () => {
    const tree = bucket({
      'data-source': bucket({ 'alpine 3.19': '{"ID":"alpine"}' }),
      'alpine 3.19': bucket({ busybox: bucket({ 'CVE-2023-42363': '{"FixedVersion":"1.36.1-r16"}' }) }),
      level1: bucket({ level2: bucket({ level3: bucket({ leaf: 'deep' }) }), empty: bucket({}) }),
      ünïcode: bucket({ κλειδί: 'τιμή' }),
      empty: bucket({}),
    });
    roundTrip(dir, 'small.db', tree);
  });

  test('a bucket exactly at the inline limit and one byte over it', () => {
    // bbolt inlines a leaf-only bucket whose page (16-byte header + 16 per element + keys + values)
    // is at most a quarter page: 1024 bytes here.
    const atLimit = bucket({ k: 'v'.repeat(1024 - 16 - 16 - 1) });
    const overLimit = bucket({ k: 'v'.repeat(1024 - 16 - 16) });
    const path = roundTrip(dir, 'inline-limit.db', bucket({ top: bucket({ at: atLimit, over: overLimit }) }));
    const stats = runGoTool('bolt', ['stats', path]);
    assert.match(stats, /Total number on inlined buckets: 1 /);
  });

  test('values larger than a page go on overflow pages', () => {
    const tree = bucket({
      blobs: bucket({ a: 'small', b: 'B'.repeat(5000), c: 'C'.repeat(70_000), d: 'small again' }),
    });
    roundTrip(dir, 'overflow.db', tree);
  });

  test('many keys build a B+tree of three or more levels; many buckets; 16 KiB pages', () => {
    const deep: BoltTree = new Map();
    for (let i = 0; i < 40_000; i++) deep.set(`key-${String(i).padStart(7, '0')}`, `value-${i}`);
    const many: BoltTree = new Map();
    for (let i = 0; i < 600; i++) {
      const pkg: BoltTree = new Map();
      for (let j = 0; j < i % 40; j++) pkg.set(`CVE-2024-${String(j).padStart(5, '0')}`, `{"FixedVersion":"${j}.0"}`);
      many.set(`package-${i}`, pkg);
    }
    const path = roundTrip(dir, 'deep.db', bucket({ deep, many }));
    assert.ok(levelsOf(path) >= 3, `levels: ${levelsOf(path)}`);
    // Go's point lookups descend our branch pages by key, so they prove the separators are right.
    for (const i of [0, 1, 12_345, 29_999, 39_999]) {
      const key = `key-${String(i).padStart(7, '0')}`;
      assert.equal(runGoTool('boltfix', ['get', path, 'deep', key]).trim(), `value-${i}`);
    }
    assert.equal(
      runGoTool('boltfix', ['get', path, 'many', 'package-599', 'CVE-2024-00038']).trim(),
      '{"FixedVersion":"38.0"}',
    );
    roundTrip(dir, 'deep-16k.db', bucket({ deep }), 16_384);
  });

  test('keys with long shared prefixes and binary bytes sort as bytes', () => {
    const tree: BoltTree = new Map();
    const inner: BoltTree = new Map();
    for (let i = 0; i < 3000; i++) inner.set(`${'p'.repeat(200)}${i}`, `${i}`);
    inner.set('\u0001low', 'x');
    inner.set('\u00ffhigh', 'y');
    tree.set('prefixes', inner);
    roundTrip(dir, 'prefixes.db', tree);
  });

  test('the streaming writer refuses keys out of order and values outside a bucket', () => {
    const path = join(dir, 'bad.db');
    const writer = new BoltWriter(path);
    assert.throws(() => writer.put('k', 'v'), isVigilError);
    writer.beginBucket('b');
    writer.put('b', '1');
    assert.throws(() => writer.put('a', '2'), /ascending order/);
    assert.throws(() => writer.put('b', '2'), /ascending order/);
    assert.throws(() => writer.finish(), /still open/);
    writer.abort();
    assert.equal(existsSync(path), false);
  });

  test('the file is compact: no page is wasted beyond the freelist', () => {
    const tree: BoltTree = new Map([['b', new Map([['k', 'v']])]]);
    const path = join(dir, 'compact.db');
    writeBoltTree(path, tree);
    // Two meta pages, one root leaf holding the inline bucket, one freelist page.
    assert.equal(statSync(path).size, 4 * 4096);
    assert.equal(runGoTool('bolt', ['check', path]).trim(), 'OK');
  });
});
