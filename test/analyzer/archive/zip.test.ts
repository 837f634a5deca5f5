import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { DEFAULT_ZIP_LIMITS, ZipArchive } from '../../../src/analyzer/archive/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** Archives made by Info-ZIP's `zip`, read back and compared with `unzip` (the oracle). */
const dir = tempDir('vigil-zip-');

function makeTree(): string {
  const root = join(dir, 'tree');
  mkdirSync(join(root, 'META-INF', 'maven', 'g', 'a'), { recursive: true });
  writeFileSync(join(root, 'META-INF', 'MANIFEST.MF'), 'Manifest-Version: 1.0\r\n\r\n');
  writeFileSync(join(root, 'META-INF', 'maven', 'g', 'a', 'pom.properties'), 'groupId=g\nartifactId=a\nversion=1\n');
  writeFileSync(join(root, 'big.txt'), 'lorem ipsum '.repeat(50_000));
  writeFileSync(join(root, 'random.bin'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251)));
  writeFileSync(join(root, 'ünïcode.txt'), 'names in UTF-8');
  return root;
}

function zip(name: string, args: string[]): string {
  const out = join(dir, name);
  execFileSync('zip', ['-q', '-r', ...args, out, '.'], { cwd: makeTree() });
  return out;
}

function assertMatchesUnzip(file: string, data = readFileSync(file)): void {
  const archive = new ZipArchive(data);
  // unzip exits 1 (a warning) for bytes prepended to the archive.
  const listing = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  assert.ok(listing.status === 0 || listing.status === 1, listing.stderr);
  const names = listing.stdout.split('\n').filter(Boolean);
  assert.deepEqual(
    archive.entries.map((e) => e.name),
    names,
  );
  for (const entry of archive.entries) {
    if (entry.isDirectory) continue;
    const expected = spawnSync('unzip', ['-p', file, entry.name.replace(/([[\]*?])/g, '\\$1')], {
      maxBuffer: 64 << 20,
    }).stdout;
    assert.ok(archive.read(entry).equals(expected), `${file}: ${entry.name}`);
  }
}

test('stored, deflated and zip64 archives read as unzip reads them', () => {
  assertMatchesUnzip(zip('deflated.zip', ['-9']));
  assertMatchesUnzip(zip('stored.zip', ['-0']));
  const zip64 = zip('zip64.zip', ['-fz']);
  assert.equal(readFileSync(zip64).includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])), true);
  assertMatchesUnzip(zip64);
});

test('archives with a prepended launcher script (self-running jars), adjusted or not', () => {
  const plain = readFileSync(zip('inner.zip', ['-9']));
  const script = Buffer.from('#!/bin/sh\nexec java -jar "$0" "$@"\n');
  const prefixed = join(dir, 'prefixed.zip');
  writeFileSync(prefixed, Buffer.concat([script, plain]));
  assertMatchesUnzip(prefixed);
  execFileSync('zip', ['-q', '-A', prefixed]);
  assertMatchesUnzip(prefixed);
});

/** A one-entry deflated archive whose central directory claims `declared` bytes. */
function singleEntry(body: Buffer, declared = body.length, crc = 0): Buffer {
  const compressed = deflateRawSync(body);
  const name = Buffer.from('x.bin');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  const localPart = Buffer.concat([local, name, compressed]);
  const centralPart = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

test('zip bombs, lying sizes, bad checksums and truncation are refused cleanly', () => {
  const zeros = Buffer.alloc(20 * 1024 * 1024);
  const bomb = new ZipArchive(singleEntry(zeros));
  assert.throws(() => bomb.read(bomb.entries[0] ?? assert.fail()), /zip bomb/);
  const small = new ZipArchive(singleEntry(zeros), { ...DEFAULT_ZIP_LIMITS, maxEntrySize: 1024 });
  assert.throws(() => small.read(small.entries[0] ?? assert.fail()), /over the limit 1024/);
  // Declares 10 bytes but inflates to far more: the output limit stops it.
  const liar = new ZipArchive(singleEntry(Buffer.alloc(5000, 1), 10));
  assert.throws(() => liar.read(liar.entries[0] ?? assert.fail()), /corrupt zip/);
  const badCrc = new ZipArchive(singleEntry(Buffer.from('hello'), 5, 1234));
  assert.throws(() => badCrc.read(badCrc.entries[0] ?? assert.fail()), /checksum error/);

  const good = readFileSync(zip('truncate.zip', ['-9']));
  let errors = 0;
  for (let length = 0; length < good.length; length += Math.max(1, Math.floor(good.length / 40))) {
    try {
      const archive = new ZipArchive(good.subarray(0, length));
      for (const entry of archive.entries) archive.read(entry);
    } catch (error) {
      assert.ok(isVigilError(error), String(error));
      errors += 1;
    }
  }
  assert.ok(errors > 10);
  assert.throws(() => new ZipArchive(Buffer.from('PK\u0003\u0004 not really')), { code: 'ZIP_CORRUPT' });
  assert.throws(() => new ZipArchive(good, { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 }), /more than the limit 2/);
});
