import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { isVigilError } from '../../src/errors/index.ts';
import { DEFAULT_EXTRACT_LIMITS, extractArchive } from '../../src/vex/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A small repository tree under `top/`: index.json and one document. */
function sampleTree(dir: string): string {
  const top = join(dir, 'src', 'repo-main');
  mkdirSync(join(top, 'pkg', 'npm', 'lodash'), { recursive: true });
  writeFileSync(join(top, 'index.json'), '{"updated_at":"2024-01-01T00:00:00Z","packages":[]}\n');
  writeFileSync(join(top, 'pkg', 'npm', 'lodash', 'vex.json'), '{"@context":"https://openvex.dev/ns/v0.2.0"}\n');
  return join(dir, 'src');
}

async function tarGz(entries: Array<{ name: string; content?: string; type?: 'file' | 'symlink'; linkname?: string }>) {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const done = new Promise<void>((resolve) => tar.on('end', () => resolve()));
  for (const entry of entries) {
    if (entry.type === 'symlink') tar.entry({ name: entry.name, type: 'symlink', linkname: entry.linkname });
    else tar.entry({ name: entry.name }, entry.content ?? '');
  }
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A zip with stored entries, written by hand so names the zip tool refuses can be tested. */
function storedZip(entries: Array<{ name: string; content: string }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = Buffer.from(entry.content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

test('tar.gz, tar.bz2, tar.xz and zip made by the system tools unpack the same, keeping only the //subdir', async () => {
  const dir = tempDir();
  const src = sampleTree(dir);
  const archives: Record<string, string[]> = {
    'repo.tar.gz': ['tar', '-czf'],
    'repo.tar.bz2': ['tar', '-cjf'],
    'repo.tar.xz': ['tar', '-cJf'],
  };
  for (const [name, [tool, flag]] of Object.entries(archives)) {
    execFileSync(tool as string, [flag as string, join(dir, name), '-C', src, 'repo-main']);
  }
  execFileSync('zip', ['-qr', join(dir, 'repo.zip'), 'repo-main'], { cwd: src });
  for (const name of [...Object.keys(archives), 'repo.zip']) {
    const out = join(dir, `out-${name}`);
    const result = await extractArchive(join(dir, name), out, 'repo-main', name);
    assert.ok(result.files >= 2, name);
    assert.equal(
      readFileSync(join(out, 'pkg', 'npm', 'lodash', 'vex.json'), 'utf8'),
      '{"@context":"https://openvex.dev/ns/v0.2.0"}\n',
      name,
    );
    assert.ok(existsSync(join(out, 'index.json')), name);
    assert.ok(!existsSync(join(out, 'repo-main')), name);
  }
  // Without a subdir the top folder stays.
  await extractArchive(join(dir, 'repo.tar.gz'), join(dir, 'whole'), '', 'whole');
  assert.ok(existsSync(join(dir, 'whole', 'repo-main', 'index.json')));
});

test('path traversal in tar and zip entries refuses the whole archive', async () => {
  const dir = tempDir();
  const cases: Record<string, Buffer> = {
    'dotdot.tar.gz': await tarGz([
      { name: 'index.json', content: '{}' },
      { name: '../escaped.json', content: 'x' },
    ]),
    'nested-dotdot.tar.gz': await tarGz([{ name: 'repo/pkg/../../../escaped.json', content: 'x' }]),
    'absolute.tar.gz': await tarGz([{ name: '/tmp/escaped.json', content: 'x' }]),
    'dotdot.zip': storedZip([
      { name: 'index.json', content: '{}' },
      { name: '../escaped.json', content: 'x' },
    ]),
    'absolute.zip': storedZip([{ name: '/escaped.json', content: 'x' }]),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const out = join(dir, 'area', 'out');
    await assert.rejects(extractArchive(path, out, '', name), (error: unknown) => {
      assert.ok(isVigilError(error), name);
      assert.match(error.message, /escapes the archive|absolute or unsafe path/, name);
      return true;
    });
    assert.ok(!existsSync(join(dir, 'area', 'escaped.json')), name);
  }
});

test('symlinks are not created, so no later entry can be written through one', async () => {
  const dir = tempDir();
  const path = join(dir, 'links.tar.gz');
  writeFileSync(
    path,
    await tarGz([
      { name: 'index.json', content: '{}' },
      { name: 'pkg', type: 'symlink', linkname: '/tmp' },
      { name: 'doc.json', type: 'symlink', linkname: '/etc/passwd' },
    ]),
  );
  const out = join(dir, 'out');
  await extractArchive(path, out, '', 'links');
  assert.ok(existsSync(join(out, 'index.json')));
  assert.ok(!existsSync(join(out, 'pkg')));
  assert.ok(!existsSync(join(out, 'doc.json')));
});

test('a decompression bomb stops at the ratio limit; file count and size limits hold', async () => {
  const dir = tempDir();
  const bomb = join(dir, 'bomb.tar.gz');
  writeFileSync(bomb, await tarGz([{ name: 'zeros', content: '\0'.repeat(8 * 1024 * 1024) }]));
  const limits = { ...DEFAULT_EXTRACT_LIMITS, maxRatio: 50, ratioFloorBytes: 1024 * 1024 };
  await assert.rejects(extractArchive(bomb, join(dir, 'out1'), '', 'bomb', limits), /decompression bomb/);
  const many = join(dir, 'many.tar.gz');
  writeFileSync(many, await tarGz(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.json`, content: '{}' }))));
  await assert.rejects(
    extractArchive(many, join(dir, 'out2'), '', 'many', { ...DEFAULT_EXTRACT_LIMITS, maxEntries: 10 }),
    /more than 10 entries/,
  );
  await assert.rejects(
    extractArchive(many, join(dir, 'out3'), '', 'many', { ...DEFAULT_EXTRACT_LIMITS, maxFileBytes: 1 }),
    /over the 1-byte limit/,
  );
});

test('corrupt and unknown archives fail with a clear error', async () => {
  const dir = tempDir();
  const good = await tarGz([{ name: 'index.json', content: 'x'.repeat(100_000) }]);
  const cases: Record<string, Buffer> = {
    'truncated.tar.gz': good.subarray(0, good.length / 2),
    'page.html': Buffer.from('<html>login required</html>'),
    'broken.zip': Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40)]),
  };
  execFileSync('sh', [
    '-c',
    `printf 'not xz data at all' | xz -z > ${join(dir, 'bad.xz')}; head -c 20 ${join(dir, 'bad.xz')} > ${join(dir, 'cut.tar.xz')}`,
  ]);
  for (const [name, bytes] of Object.entries(cases)) writeFileSync(join(dir, name), bytes);
  for (const name of [...Object.keys(cases), 'cut.tar.xz']) {
    await assert.rejects(extractArchive(join(dir, name), join(dir, `out-${name}`), '', name), (error: unknown) => {
      assert.ok(isVigilError(error), `${name}: ${String(error)}`);
      assert.match(error.message, new RegExp(`archive ${name.replace('.', '\\.')}`));
      return true;
    });
  }
});
