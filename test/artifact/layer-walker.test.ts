import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { FileInfo } from '../../src/analyzer/types.ts';
import type { LayerVisitor } from '../../src/artifact/layer-walker.ts';
import { walkLayer } from '../../src/artifact/layer-walker.ts';
import { VigilError } from '../../src/errors/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const limits = { maxUncompressedBytes: 64 * 1024 * 1024, maxFileBytes: 1024 * 1024 };

class Recorder implements LayerVisitor {
  readonly seen: string[] = [];
  readonly files = new Map<string, string>();
  readonly whiteouts: string[] = [];
  readonly opaque: string[] = [];
  readonly wanted: (path: string) => boolean;
  constructor(wanted: (path: string) => boolean) {
    this.wanted = wanted;
  }
  wants(path: string, _info: FileInfo) {
    this.seen.push(path);
    return this.wanted(path);
  }
  file(path: string, _info: FileInfo, content: Buffer) {
    this.files.set(path, content.toString('utf8'));
  }
  whiteout(path: string) {
    this.whiteouts.push(path);
  }
  opaqueDir(path: string) {
    this.opaque.push(path);
  }
}

/** A tar made by GNU tar from a real directory tree with a symlink and a hard link. */
function gnuTar(): { tar: string; dir: string } {
  const dir = tempDir();
  const root = join(dir, 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  writeFileSync(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
  writeFileSync(join(root, 'var/lib/dpkg/status'), 'Package: bash\n');
  symlinkSync('/etc/shadow', join(root, 'etc/escape'));
  execFileSync('ln', [join(root, 'etc/os-release'), join(root, 'etc/zz-hardlink')]);
  const tar = join(dir, 'layer.tar');
  execFileSync('tar', ['--sort=name', '-cf', tar, '-C', root, '.']);
  return { tar, dir };
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function crafted(
  entries: Array<{ name: string; body?: string; type?: 'file' | 'symlink' | 'directory'; linkname?: string }>,
): Promise<Buffer> {
  const archive = pack();
  for (const entry of entries) {
    archive.entry({ name: entry.name, type: entry.type ?? 'file', linkname: entry.linkname }, entry.body ?? '');
  }
  archive.finalize();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
  });
}

describe('walking a layer', () => {
  it('hashes the uncompressed tar into the diff ID and hands over only wanted regular files', async () => {
    const { tar } = gnuTar();
    const recorder = new Recorder((path) => path === 'etc/os-release' || path === 'etc/zz-hardlink');
    const walked = await walkLayer(createReadStream(tar), recorder, limits, 'test');
    assert.equal(walked.diffId, sha256(readFileSync(tar)));
    assert.equal(walked.uncompressedSize, readFileSync(tar).length);
    assert.deepEqual([...recorder.files], [['etc/os-release', 'ID=debian\nVERSION_ID="12"\n']]);
    assert.ok(!recorder.seen.includes('etc/escape'), 'symlinks are never offered');
    assert.ok(!recorder.seen.includes('etc/zz-hardlink'), 'hard links are never offered');
  });

  it('gives the same diff ID for the gzip and zstd forms of a layer', async () => {
    const { tar, dir } = gnuTar();
    execFileSync('gzip', ['-k', tar]);
    execFileSync('zstd', ['-q', tar, '-o', join(dir, 'layer.tar.zst')]);
    const plain = await walkLayer(createReadStream(tar), new Recorder(() => false), limits, 'plain');
    for (const file of ['layer.tar.gz', 'layer.tar.zst']) {
      const recorder = new Recorder((path) => path === 'var/lib/dpkg/status');
      const walked = await walkLayer(createReadStream(join(dir, file)), recorder, limits, file);
      assert.equal(walked.diffId, plain.diffId, file);
      assert.equal(recorder.files.get('var/lib/dpkg/status'), 'Package: bash\n');
    }
  });

  it('reports whiteouts and opaque directories instead of files', async () => {
    const tar = await crafted([
      { name: 'usr/bin/.wh.hello' },
      { name: 'opt/app/.wh..wh..opq' },
      { name: '.wh.top' },
      { name: 'opt/app/new.txt', body: 'x' },
    ]);
    const recorder = new Recorder(() => true);
    await walkLayer(Readable.from([tar]), recorder, limits, 'whiteouts');
    assert.deepEqual(recorder.whiteouts, ['usr/bin/hello', 'top']);
    assert.deepEqual(recorder.opaque, ['opt/app']);
    assert.deepEqual([...recorder.files.keys()], ['opt/app/new.txt']);
  });

  it('refuses entries that climb out of the root', async () => {
    const tar = await crafted([{ name: 'etc/../../evil', body: 'x' }]);
    await assert.rejects(
      walkLayer(Readable.from([tar]), new Recorder(() => true), limits, 'evil'),
      (error: unknown) => {
        assert.ok(error instanceof VigilError);
        assert.equal(error.code, 'LAYER_PATH_TRAVERSAL');
        return true;
      },
    );
  });

  it('stops a decompression bomb at the size limit', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const small = { maxUncompressedBytes: 1024 * 1024, maxFileBytes: 1024 };
    await assert.rejects(
      walkLayer(Readable.from([bomb]), new Recorder(() => true), small, 'bomb'),
      /more than 1048576 bytes/,
    );
  });

  it('reports a truncated layer as corrupt', async () => {
    const { tar } = gnuTar();
    const gz = gzipSync(readFileSync(tar));
    await assert.rejects(
      walkLayer(Readable.from([gz.subarray(0, gz.length - 40)]), new Recorder(() => true), limits, 'cut'),
      (error: unknown) => error instanceof VigilError && error.code === 'LAYER_CORRUPT',
    );
  });

  it('never buffers files above the per-file limit', async () => {
    const tar = await crafted([{ name: 'big.bin', body: 'x'.repeat(4096) }]);
    const recorder = new Recorder(() => true);
    await walkLayer(Readable.from([tar]), recorder, { ...limits, maxFileBytes: 1024 }, 'big');
    assert.equal(recorder.files.size, 0);
  });
});
