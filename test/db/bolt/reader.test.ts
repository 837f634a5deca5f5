import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeMeta, openBolt } from '../../../src/db/bolt/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { deepSpec, nestedSpec, overflowSpec, SMALL_SPEC } from '../../fixtures/db/bolt/specs.ts';
import { runGoTool } from '../../helpers/go-tools.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { type BoltDump, dumpBucket, specToDump } from './dump.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/db/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, 'bolt', name);

function readAll(path: string): BoltDump {
  const db = openBolt(path);
  try {
    return dumpBucket(db.root);
  } finally {
    db.close();
  }
}

function assertCorrupt(action: () => unknown, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(isVigilError(error), `expected a VigilError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('bbolt reader on files written by Go bbolt', () => {
  const dir = tempDir('vigil-bolt-reader-');
  let deepPath = '';
  before(() => {
    deepPath = join(dir, 'deep.db');
    runGoTool('boltfix', ['write', deepPath], JSON.stringify(deepSpec()));
  });

  for (const [name, spec] of [
    ['small.db', SMALL_SPEC],
    ['nested.db', nestedSpec()],
    ['overflow.db', overflowSpec()],
  ] as const) {
    test(`${name} reads exactly what boltfix dump prints and what was written`, () => {
      const ours = readAll(fixture(name));
      assert.deepEqual(ours, JSON.parse(runGoTool('boltfix', ['dump', fixture(name)])));
      assert.deepEqual(ours, specToDump(spec));
    });
  }

  test('a 3-level B+tree written by Go reads back fully and in byte order', () => {
    const stats = runGoTool('bolt', ['stats', deepPath]);
    const levels = Number(/Number of levels in B\+tree: (\d+)/.exec(stats)?.[1]);
    assert.ok(levels >= 3, `expected at least 3 levels, bolt stats says ${levels}`);
    const ours = readAll(deepPath);
    assert.deepEqual(ours, specToDump(deepSpec()));
    const db = openBolt(deepPath);
    const keys = [...(db.bucket('deep')?.entries() ?? [])].map((entry) => entry.key);
    assert.equal(keys.length, 12_000);
    for (let i = 1; i < keys.length; i++) assert.ok(Buffer.compare(keys[i - 1] as Buffer, keys[i] as Buffer) < 0);
    db.close();
  });

  test('seek, prefix iteration and point lookups', () => {
    const db = openBolt(deepPath);
    const deep = db.bucket('deep');
    assert.ok(deep);
    assert.equal(deep.get('CVE-2003-000003')?.toString(), '{"n":3}');
    assert.equal(deep.get('CVE-2003-000004'), undefined);
    const cursor = deep.cursor();
    // A key between two stored keys positions on the next one.
    assert.equal(cursor.seek('CVE-2003-0000035')?.key.toString(), 'CVE-2003-000028');
    assert.equal(cursor.next()?.key.toString(), 'CVE-2003-000053');
    assert.equal(cursor.seek('CVE-9')?.key.toString(), undefined);
    assert.equal(cursor.seek('')?.key.toString(), 'CVE-2000-000000');
    const prefixed = [...deep.entries('CVE-2024-')].map((entry) => entry.key.toString());
    assert.equal(prefixed.length, 480);
    assert.ok(prefixed.every((key) => key.startsWith('CVE-2024-')));
    assert.deepEqual([...deep.entries('CVE-2099')], []);
    // Values are not buckets and buckets are not values.
    assert.equal(db.root.get('deep'), undefined);
    assert.equal(deep.bucket('CVE-2003-000003'), undefined);
    assert.equal(db.bucket('deep', 'missing'), undefined);
    assert.equal(db.bucket('tail')?.get('z')?.toString(), 'last');
    db.close();
  });

  test('nested and inline buckets by path', () => {
    const db = openBolt(fixture('nested.db'));
    assert.equal(db.bucket('level1', 'level2', 'level3')?.get('deepest')?.toString(), 'here');
    assert.equal(db.bucket('level1', 'inline')?.get('b')?.toString(), '2');
    assert.deepEqual(
      JSON.parse(db.bucket('Red Hat CPE', 'repository')?.get('rhel-7-server-rpms')?.toString() ?? ''),
      [869],
    );
    assert.equal(db.bucket('level1')?.get('ü-unicode key')?.toString(), 'ünïcödé value');
    db.close();
  });

  test("trivy-db's own empty test DB opens with no buckets", () => {
    const db = openBolt(join(FIXTURES, 'trivy-db', 'normal.db'));
    assert.deepEqual([...db.root.entries()], []);
    assert.equal(db.meta.pageSize, 4096);
    db.close();
  });

  test('reads are positioned and cached, never the whole file', () => {
    const db = openBolt(deepPath, { cacheBytes: 64 * 1024 });
    for (let i = 0; i < 200; i++) db.bucket('deep')?.get(`CVE-${2000 + (i % 25)}-${String(i).padStart(6, '0')}`);
    assert.ok(db.stats.cacheHits > db.stats.reads, `hits ${db.stats.cacheHits}, reads ${db.stats.reads}`);
    assert.ok(db.stats.bytesRead < readFileSync(deepPath).length);
    db.close();
  });
});

describe('bbolt reader on damaged files', () => {
  const dir = tempDir('vigil-bolt-corrupt-');
  const pageSize = 4096;
  let deepPath = '';
  before(() => {
    deepPath = join(dir, 'deep.db');
    runGoTool('boltfix', ['write', deepPath], JSON.stringify(deepSpec()));
  });

  const flip = (bytes: Buffer, at: number) => bytes.writeUInt8((bytes.readUInt8(at) ^ 0xff) & 0xff, at);

  function damaged(name: string, change: (bytes: Buffer) => void): string {
    const path = join(dir, name);
    const bytes = readFileSync(deepPath);
    change(bytes);
    writeFileSync(path, bytes);
    return path;
  }

  /** The newest meta, the deep bucket's root page (a branch) and its first child. */
  function layout(bytes: Buffer) {
    const metas = [0, 1].map((i) => decodeMeta(bytes.subarray(i * pageSize, (i + 1) * pageSize)));
    const valid = metas.flatMap((m, i) => (m.ok ? [{ meta: m.meta, index: i }] : []));
    const newest = valid.reduce((a, b) => (b.meta.txid > a.meta.txid ? b : a));
    const db = openBolt(deepPath);
    const entry = [...db.root.entries()].find((e) => e.key.toString() === 'deep');
    db.close();
    assert.ok(entry);
    const branchPgid = Number(entry.value.readBigUInt64LE(0));
    const branchAt = branchPgid * pageSize;
    assert.equal(bytes.readUInt16LE(branchAt + 8), 0x01, 'the deep bucket root is a branch page');
    return { newest, branchAt, branchPgid };
  }

  test('a truncated file', () => {
    const path = join(dir, 'truncated.db');
    copyFileSync(deepPath, path);
    truncateSync(path, Math.floor(readFileSync(deepPath).length / 2));
    assertCorrupt(() => openBolt(path), /truncated/);
    const tiny = join(dir, 'tiny.db');
    writeFileSync(tiny, Buffer.alloc(100));
    assertCorrupt(() => openBolt(tiny), /only 100 bytes/);
  });

  test('not a bbolt file at all', () => {
    const path = join(dir, 'text.db');
    writeFileSync(path, Buffer.alloc(16_384, 'not bolt '));
    assertCorrupt(() => openBolt(path), /not a valid bbolt file/);
  });

  test('the newest meta fails its checksum: the older one is used, as bbolt does', () => {
    const bytes = readFileSync(deepPath);
    const { newest } = layout(bytes);
    const path = damaged('meta.db', (b) => {
      flip(b, newest.index * pageSize + 16 + 20);
    });
    const db = openBolt(path);
    assert.ok(db.meta.txid < newest.meta.txid);
    db.close();
    const both = damaged('metas.db', (b) => {
      flip(b, 16 + 20);
      flip(b, pageSize + 16 + 20);
    });
    assertCorrupt(() => openBolt(both), /checksum/);
  });

  test('bad page flags, out-of-range page ids, elements outside the page, cycles', () => {
    const bytes = readFileSync(deepPath);
    const { branchAt, branchPgid } = layout(bytes);
    const walk = (path: string) => () => {
      const db = openBolt(path);
      try {
        return dumpBucket(db.root);
      } finally {
        db.close();
      }
    };
    const flags = damaged('flags.db', (b) => b.writeUInt16LE(0x08, branchAt + 8));
    assertCorrupt(walk(flags), /flags 0x8/);
    const beyond = damaged('beyond.db', (b) => b.writeBigUInt64LE(10_000_000n, branchAt + 16 + 8));
    assertCorrupt(walk(beyond), /outside the file/);
    const offsets = damaged('offsets.db', (b) => b.writeUInt32LE(0xfff0, branchAt + 16));
    assertCorrupt(walk(offsets), /points outside the page/);
    const cycle = damaged('cycle.db', (b) => b.writeBigUInt64LE(BigInt(branchPgid), branchAt + 16 + 8));
    assertCorrupt(walk(cycle), /cycle/);
    const wrongId = damaged('id.db', (b) => b.writeBigUInt64LE(3n, branchAt));
    assertCorrupt(walk(wrongId), /claims to be page 3/);
  });

  test('random byte damage never crashes, hangs or escapes as a non-Vigil error', () => {
    const original = readFileSync(deepPath);
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let failures = 0;
    for (let round = 0; round < 150; round++) {
      const bytes = Buffer.from(original);
      for (let i = 0; i < 8; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      // Aim some damage at page headers and element tables, where it matters most.
      const page = 2 + Math.floor(random() * (bytes.length / pageSize - 2));
      bytes[page * pageSize + Math.floor(random() * 64)] = Math.floor(random() * 256);
      const path = join(dir, 'fuzz.db');
      writeFileSync(path, bytes);
      try {
        readAll(path);
      } catch (error) {
        assert.ok(isVigilError(error), `round ${round}: ${String(error)}`);
        failures += 1;
      }
    }
    assert.ok(failures > 0, 'some damage must be detected');
  });
});
