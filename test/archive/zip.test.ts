import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { DEFAULT_ZIP_LIMITS, openZipFile, ZipArchive, type ZipLimits } from '../../src/archive/zip/index.ts';
import { isVigilError } from '../../src/errors/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Archives made by Info-ZIP's `zip`, read back by both readers (in memory and from a file) and
 * compared with `unzip` (the oracle); hand-made archives for what `zip` never writes.
 */
const dir = tempDir('vigil-zip-');
let written = 0;

function makeTree(files: Record<string, string | Buffer> = {}): string {
  const root = join(dir, `tree-${written++}`);
  mkdirSync(join(root, 'META-INF', 'maven', 'g', 'a'), { recursive: true });
  writeFileSync(join(root, 'META-INF', 'MANIFEST.MF'), 'Manifest-Version: 1.0\r\n\r\n');
  writeFileSync(join(root, 'META-INF', 'maven', 'g', 'a', 'pom.properties'), 'groupId=g\nartifactId=a\nversion=1\n');
  writeFileSync(join(root, 'big.txt'), 'lorem ipsum '.repeat(50_000));
  writeFileSync(join(root, 'random.bin'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251)));
  writeFileSync(join(root, 'ünïcode.txt'), 'names in UTF-8');
  writeFileSync(join(root, 'empty.txt'), '');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  return root;
}

function zip(name: string, args: string[], root = makeTree()): string {
  const out = join(dir, name);
  execFileSync('zip', ['-q', '-r', ...args, out, '.'], { cwd: root });
  return out;
}

function writeArchive(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** Every file entry's content through the file reader's streams. */
async function readFromFile(path: string, limits?: ZipLimits): Promise<Map<string, Buffer>> {
  const archive = await openZipFile(path, limits);
  try {
    const contents = new Map<string, Buffer>();
    for (const entry of archive.entries) {
      if (entry.kind !== 'directory') contents.set(entry.name, await buffer(await archive.open(entry)));
    }
    return contents;
  } finally {
    await archive.close();
  }
}

async function assertMatchesUnzip(file: string): Promise<void> {
  const archive = new ZipArchive(readFileSync(file));
  // unzip exits 1 (a warning) for bytes prepended to the archive.
  const listing = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  assert.ok(listing.status === 0 || listing.status === 1, listing.stderr);
  const names = listing.stdout.split('\n').filter(Boolean);
  assert.deepEqual(
    archive.entries.map((e) => e.name),
    names,
  );
  const streamed = await readFromFile(file);
  for (const entry of archive.entries) {
    if (entry.kind === 'directory') continue;
    const expected = spawnSync('unzip', ['-p', file, entry.name.replace(/([[\]*?])/g, '\\$1')], {
      maxBuffer: 64 << 20,
    }).stdout;
    assert.ok(archive.read(entry).equals(expected), `${file}: ${entry.name}`);
    assert.ok(streamed.get(entry.name)?.equals(expected), `${file}: ${entry.name} streamed`);
  }
}

test('stored, deflated and zip64 archives read as unzip reads them, in memory and from a file', async () => {
  await assertMatchesUnzip(zip('deflated.zip', ['-9']));
  await assertMatchesUnzip(zip('stored.zip', ['-0']));
  const zip64 = zip('zip64.zip', ['-fz']);
  assert.equal(readFileSync(zip64).includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])), true);
  await assertMatchesUnzip(zip64);
});

test('a central directory larger than the archive tail is read from the file', async () => {
  const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`${'n'.repeat(80)}-${i}.txt`, `${i}`]));
  const path = zip('many.zip', ['-9'], makeTree(many));
  const listing = spawnSync('unzip', ['-Z1', path], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const streamed = await readFromFile(path);
  assert.ok(listing.length > 1500);
  assert.deepEqual(
    [...streamed.keys()],
    listing.filter((name) => !name.endsWith('/')),
  );
  for (const [name, content] of Object.entries(many)) assert.equal(streamed.get(name)?.toString(), content, name);
});

test('archives with a prepended launcher script (self-running jars), adjusted or not', async () => {
  const plain = readFileSync(zip('inner.zip', ['-9']));
  const script = Buffer.from('#!/bin/sh\nexec java -jar "$0" "$@"\n');
  const prefixed = writeArchive('prefixed.zip', Buffer.concat([script, plain]));
  await assertMatchesUnzip(prefixed);
  execFileSync('zip', ['-q', '-A', prefixed]);
  await assertMatchesUnzip(prefixed);
});

test('entry kinds: directories and Unix symlinks are told from files', async () => {
  const root = makeTree();
  symlinkSync('/etc/passwd', join(root, 'link'));
  const path = zip('links.zip', ['-y'], root);
  const file = await openZipFile(path);
  await file.close();
  for (const entries of [new ZipArchive(readFileSync(path)).entries, file.entries]) {
    const kind = (name: string) => entries.find((e) => e.name === name)?.kind;
    assert.equal(kind('link'), 'symlink');
    assert.equal(kind('META-INF/'), 'directory');
    assert.equal(kind('big.txt'), 'file');
  }
});

test('encrypted entries are refused by both readers', async () => {
  const path = zip('secret.zip', ['-P', 'secret']);
  const archive = new ZipArchive(readFileSync(path));
  const entry = archive.find('big.txt') ?? assert.fail();
  assert.throws(() => archive.read(entry), /is encrypted/);
  const file = await openZipFile(path);
  await assert.rejects(file.open(entry), /is encrypted/);
  await file.close();
});

/** A one-entry archive whose central directory claims `declared` bytes and the given CRC. */
function singleEntry(body: Buffer, options: { declared?: number; crc?: number; compress?: boolean } = {}): Buffer {
  const compress = options.compress ?? true;
  const declared = options.declared ?? body.length;
  const crc = options.crc ?? crc32(body);
  const data = compress ? deflateRawSync(body) : body;
  const name = Buffer.from('node_modules/x/package.json');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(compress ? 8 : 0, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(compress ? 8 : 0, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  const localPart = Buffer.concat([local, name, data]);
  const centralPart = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

/** The first entry, read by both readers: the in-memory result, then the streamed one (or their errors). */
async function readBoth(data: Buffer, limits?: ZipLimits, maxSize?: number): Promise<[Buffer | Error, Buffer | Error]> {
  const settle = async (read: () => Buffer | Promise<Buffer>) => {
    try {
      return await read();
    } catch (error) {
      return error as Error;
    }
  };
  const memory = await settle(() => {
    const archive = new ZipArchive(data, limits);
    return archive.read(archive.entries[0] ?? assert.fail(), maxSize);
  });
  const path = writeArchive(`single-${written++}.zip`, data);
  const file = await settle(async () => (await readFromFile(path, limits)).values().next().value ?? assert.fail());
  return [memory, file];
}

async function assertBothFail(data: Buffer, pattern: RegExp, limits?: ZipLimits): Promise<void> {
  for (const result of await readBoth(data, limits)) {
    assert.ok(result instanceof Error, `expected ${pattern}`);
    assert.ok(isVigilError(result), String(result));
    assert.equal(result.code, 'ZIP_CORRUPT');
    assert.match(result.message, pattern);
  }
}

test('hand-made members, stored and deflated, found by name and bounded by the caller', async () => {
  const body = Buffer.from('{"name":"x","version":"1.0.0"}'.repeat(10));
  for (const compress of [false, true]) {
    const data = singleEntry(body, { compress });
    const archive = new ZipArchive(data);
    const member = archive.find('node_modules/x/package.json');
    assert.ok(member);
    assert.deepEqual(archive.read(member), body);
    assert.throws(() => archive.read(member, 10), /over the limit 10/);
    const [, streamed] = await readBoth(data);
    assert.deepEqual(streamed, body);
  }
});

test('zip bombs, lying sizes, bad checksums and truncation are refused cleanly', async () => {
  const zeros = Buffer.alloc(20 * 1024 * 1024);
  await assertBothFail(singleEntry(zeros), /zip bomb/);
  await assertBothFail(singleEntry(zeros), /over the limit 1024/, { ...DEFAULT_ZIP_LIMITS, maxEntrySize: 1024 });
  // Declares 10 bytes but inflates to far more: the output limit stops it.
  await assertBothFail(singleEntry(Buffer.alloc(5000, 1), { declared: 10 }), /corrupt zip/);
  await assertBothFail(singleEntry(Buffer.alloc(5000, 1), { declared: 10, compress: false }), /corrupt zip/);
  await assertBothFail(singleEntry(Buffer.from('hello'), { crc: 1234 }), /checksum error/);
  await assertBothFail(singleEntry(Buffer.from('hello'), { crc: 1234, compress: false }), /checksum error/);

  const good = readFileSync(zip('truncate.zip', ['-9']));
  let errors = 0;
  for (let length = 0; length < good.length; length += Math.max(1, Math.floor(good.length / 40))) {
    const path = writeArchive('truncated.zip', good.subarray(0, length));
    for (const read of [
      async () => {
        const archive = new ZipArchive(good.subarray(0, length));
        for (const entry of archive.entries) archive.read(entry);
      },
      () => readFromFile(path),
    ]) {
      try {
        await read();
      } catch (error) {
        assert.ok(isVigilError(error), String(error));
        errors += 1;
      }
    }
  }
  assert.ok(errors > 20);
  await assertBothFail(Buffer.from('not a zip'), /not a zip archive/);
  await assertBothFail(Buffer.from('PK\u0003\u0004 not really'), /not a zip archive/);
  const misplaced = singleEntry(Buffer.from('{}'));
  misplaced.writeUInt32LE(0xffff0, misplaced.length - 6);
  await assertBothFail(misplaced, /corrupt zip/);
  await assertBothFail(good, /more than the limit 2/, { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 });
});
