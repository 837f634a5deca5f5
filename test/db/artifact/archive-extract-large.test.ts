import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { extractTarGz } from '../../../src/db/artifact/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const LIMITS = { maxEntries: 100, maxFileBytes: 64 * 2 ** 20, maxTotalBytes: 256 * 2 ** 20 };

/** Every regular file under `root`, as relative path → bytes. */
function filesUnder(root: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return found;
}

/** Archives `source` with GNU tar and gzip: the archive comes from the tools, not from our own writer. */
function gnuTarGz(source: string, output: string, format: 'gnu' | 'pax'): string {
  execFileSync('tar', [`--format=${format}`, '-czf', output, '-C', source, '.']);
  return output;
}

describe('extraction of archives larger than its read and inflate chunks', () => {
  const dir = tempDir();
  const source = join(dir, 'source');
  const longDir = join(source, 'policies', 'a'.repeat(90), 'b'.repeat(60));
  mkdirSync(longDir, { recursive: true });
  mkdirSync(join(source, 'empty-dir'));
  // Random bytes do not compress, repeated text compresses ~100x: both cross many 256 KiB chunks.
  writeFileSync(join(source, 'random.bin'), randomBytes(3 * 2 ** 20 + 17));
  writeFileSync(join(source, 'text.rego'), 'package vigil\ndeny[msg] { msg := "x" }\n'.repeat(120_000));
  writeFileSync(join(longDir, 'long-name-check.rego'), 'package long\n');
  writeFileSync(join(source, 'empty.json'), '');
  const expected = filesUnder(source);

  for (const format of ['gnu', 'pax'] as const) {
    it(`unpacks a ${format} tree from GNU tar byte for byte`, async () => {
      const archive = gnuTarGz(source, join(dir, `tree-${format}.tar.gz`), format);
      const out = join(dir, `out-${format}`);
      mkdirSync(out);
      const result = await extractTarGz(archive, out, { kind: 'tree' }, LIMITS, 'test');
      assert.deepEqual(new Set(result.files), new Set(expected.keys()));
      const unpacked = filesUnder(out);
      assert.deepEqual([...unpacked.keys()].sort(), [...expected.keys()].sort());
      for (const [name, bytes] of expected) assert.ok(unpacked.get(name)?.equals(bytes), name);
      assert.ok(statSync(join(out, 'empty-dir')).isDirectory());
    });
  }

  it('keeps only the named files of a large DB-like archive, and its size bound still holds', async () => {
    const db = join(dir, 'db');
    mkdirSync(db);
    writeFileSync(join(db, 'trivy.db'), randomBytes(5 * 2 ** 20));
    writeFileSync(join(db, 'metadata.json'), '{"Version":2}');
    writeFileSync(join(db, 'extra.bin'), randomBytes(2 ** 20));
    const archive = gnuTarGz(db, join(dir, 'db.tar.gz'), 'gnu');
    const out = join(dir, 'db-out');
    mkdirSync(out);
    const plan = { kind: 'files', names: ['trivy.db', 'metadata.json'] } as const;
    const result = await extractTarGz(archive, out, plan, LIMITS, 'test');
    assert.deepEqual(result.files.sort(), ['metadata.json', 'trivy.db']);
    assert.ok(readFileSync(join(out, 'trivy.db')).equals(readFileSync(join(db, 'trivy.db'))));
    assert.deepEqual(readdirSync(out).sort(), ['metadata.json', 'trivy.db']);

    const small = join(dir, 'db-small');
    mkdirSync(small);
    await assert.rejects(
      extractTarGz(archive, small, plan, { ...LIMITS, maxFileBytes: 5 * 2 ** 20 - 1 }, 'test'),
      (error: unknown) => /more than the 5242879 allowed/.test((error as Error).message),
    );
  });

  it('writes a member past the early write-back threshold (40 MiB) byte for byte', async () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    const pattern = randomBytes(4096);
    const content = Buffer.alloc(40 * 2 ** 20 + 4099);
    for (let at = 0; at < content.length; at += pattern.length) pattern.copy(content, at);
    writeFileSync(join(big, 'trivy.db'), content);
    writeFileSync(join(big, 'metadata.json'), '{}');
    const archive = gnuTarGz(big, join(dir, 'big.tar.gz'), 'gnu');
    const out = join(dir, 'big-out');
    mkdirSync(out);
    const plan = { kind: 'files', names: ['trivy.db', 'metadata.json'] } as const;
    await extractTarGz(archive, out, plan, LIMITS, 'test');
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    assert.equal(sha256(readFileSync(join(out, 'trivy.db'))), sha256(content));
  });

  it('names a file it cannot write as a cache problem, not as a bad archive', async () => {
    const archive = gnuTarGz(source, join(dir, 'blocked.tar.gz'), 'gnu');
    const out = join(dir, 'blocked-out');
    mkdirSync(join(out, 'random.bin'), { recursive: true });
    await assert.rejects(
      extractTarGz(archive, out, { kind: 'tree' }, LIMITS, 'test'),
      (error: unknown) =>
        (error as { code?: string }).code === 'EXTRACT_WRITE_FAILED' && /random\.bin.*EEXIST/.test(String(error)),
    );
  });

  it('refuses an archive cut short inside a large member', async () => {
    const archive = readFileSync(gnuTarGz(source, join(dir, 'whole.tar.gz'), 'gnu'));
    const cut = join(dir, 'cut.tar.gz');
    writeFileSync(cut, archive.subarray(0, Math.floor(archive.length * 0.6)));
    const out = join(dir, 'cut-out');
    mkdirSync(out);
    await assert.rejects(
      extractTarGz(cut, out, { kind: 'tree' }, LIMITS, 'test'),
      (error: unknown) => (error as { code?: string }).code === 'ARCHIVE_REFUSED',
    );
  });
});
