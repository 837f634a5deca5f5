import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bboltProblem, extractTarGz, sqliteProblem } from '../../../src/db/artifact/index.ts';
import type { VigilError } from '../../../src/errors/index.ts';
import { writeTarGz, writeTrivyDb } from '../../helpers/registry-db-artifact.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const LIMITS = { maxEntries: 10, maxFileBytes: 1000, maxTotalBytes: 1500 };
const DB_FILES = { kind: 'files', names: ['trivy.db', 'metadata.json'] } as const;

function destination(): string {
  const dir = join(tempDir(), 'out');
  mkdirSync(dir);
  return dir;
}

const refused = (pattern: RegExp) => (error: unknown) =>
  (error as VigilError).code === 'ARCHIVE_REFUSED' && pattern.test((error as VigilError).message);

describe('bounded archive extraction', () => {
  it('extracts only the expected files, skipping others', async () => {
    const dir = tempDir();
    const archive = await writeTarGz(join(dir, 'db.tar.gz'), [
      { name: './trivy.db', content: 'db' },
      { name: 'metadata.json', content: '{}' },
      { name: 'README', content: 'ignored' },
    ]);
    const out = destination();
    const result = await extractTarGz(archive, out, DB_FILES, LIMITS, 'test');
    assert.deepEqual(result.files.sort(), ['metadata.json', 'trivy.db']);
    assert.deepEqual(result.skipped, ['README']);
    assert.deepEqual(readdirSync(out).sort(), ['metadata.json', 'trivy.db']);
  });

  it('refuses members that escape the destination', async () => {
    const dir = tempDir();
    for (const name of ['../evil', '/etc/evil', 'a/../../evil']) {
      const archive = await writeTarGz(join(dir, 'bad.tar.gz'), [{ name, content: 'x' }]);
      await assert.rejects(
        extractTarGz(archive, destination(), { kind: 'tree' }, LIMITS, 'test'),
        refused(/outside the destination/),
        name,
      );
    }
    assert.equal(existsSync(join(dir, 'evil')), false);
  });

  it('refuses files, totals and member counts over the limits', async () => {
    const dir = tempDir();
    const big = await writeTarGz(join(dir, 'big.tar.gz'), [{ name: 'trivy.db', content: Buffer.alloc(1001) }]);
    await assert.rejects(
      extractTarGz(big, destination(), DB_FILES, LIMITS, 'test'),
      refused(/more than the 1000 allowed/),
    );
    const total = await writeTarGz(join(dir, 'total.tar.gz'), [
      { name: 'a', content: Buffer.alloc(900) },
      { name: 'b', content: Buffer.alloc(900) },
    ]);
    await assert.rejects(
      extractTarGz(total, destination(), { kind: 'tree' }, LIMITS, 'test'),
      refused(/unpacks to more than 1500/),
    );
    const many = await writeTarGz(
      join(dir, 'many.tar.gz'),
      Array.from({ length: 11 }, (_, index) => ({ name: `f${index}`, content: 'x' })),
    );
    await assert.rejects(
      extractTarGz(many, destination(), { kind: 'tree' }, LIMITS, 'test'),
      refused(/more than 10 archive members/),
    );
  });

  it('refuses a symlink in place of an expected file, a duplicate, a missing file and a non-gzip file', async () => {
    const dir = tempDir();
    const link = await writeTarGz(join(dir, 'link.tar.gz'), [
      { name: 'trivy.db', type: 'symlink' },
      { name: 'metadata.json', content: '{}' },
    ]);
    await assert.rejects(extractTarGz(link, destination(), DB_FILES, LIMITS, 'test'), refused(/is a symlink/));
    const twice = await writeTarGz(join(dir, 'twice.tar.gz'), [
      { name: 'trivy.db', content: 'a' },
      { name: 'trivy.db', content: 'b' },
    ]);
    await assert.rejects(extractTarGz(twice, destination(), DB_FILES, LIMITS, 'test'), refused(/appears twice/));
    const partial = await writeTarGz(join(dir, 'partial.tar.gz'), [{ name: 'trivy.db', content: 'a' }]);
    await assert.rejects(
      extractTarGz(partial, destination(), DB_FILES, LIMITS, 'test'),
      refused(/has no metadata\.json/),
    );
    writeFileSync(join(dir, 'plain.tar.gz'), 'not gzip at all');
    await assert.rejects(
      extractTarGz(join(dir, 'plain.tar.gz'), destination(), DB_FILES, LIMITS, 'test'),
      refused(/not a valid \.tar\.gz/),
    );
  });

  it('extracts straight from a byte range of a larger file, checking its digest as it reads', async () => {
    const dir = tempDir();
    const archive = readFileSync(
      await writeTarGz(join(dir, 'db.tar.gz'), [
        { name: 'trivy.db', content: 'db bytes' },
        { name: 'metadata.json', content: '{"Version":2}' },
      ]),
    );
    // The archive as a bundle holds it: with other bytes before and after.
    const container = join(dir, 'bundle.tar');
    writeFileSync(container, Buffer.concat([Buffer.alloc(1536, 7), archive, Buffer.alloc(512, 9)]));
    const digest = `sha256:${createHash('sha256').update(archive).digest('hex')}`;
    const range = { path: container, offset: 1536, size: archive.length, digest, blob: 'blob of test' };
    let reported = 0;
    const out = destination();
    const result = await extractTarGz(
      { ...range, onBytes: (count) => (reported += count) },
      out,
      DB_FILES,
      LIMITS,
      'test',
    );
    assert.deepEqual(result.files.sort(), ['metadata.json', 'trivy.db']);
    assert.equal(readFileSync(join(out, 'trivy.db'), 'utf8'), 'db bytes');
    assert.equal(reported, archive.length, 'every byte was counted');

    // One byte changed inside the range: a digest mismatch, whether or not inflating broke first.
    for (const at of [20, archive.length - 3]) {
      const damaged = Buffer.from(archive);
      damaged[at] = (damaged[at] as number) ^ 0xff;
      writeFileSync(container, Buffer.concat([Buffer.alloc(1536, 7), damaged, Buffer.alloc(512, 9)]));
      await assert.rejects(
        extractTarGz(range, destination(), DB_FILES, LIMITS, 'test'),
        (error: unknown) =>
          (error as VigilError).code === 'DIGEST_MISMATCH' && /^blob of test: /.test((error as VigilError).message),
        `byte ${at}`,
      );
    }
  });

  it('extracts a tree with directories for the checks bundle', async () => {
    const dir = tempDir();
    const archive = await writeTarGz(join(dir, 'bundle.tar.gz'), [
      { name: 'policies/', type: 'directory' },
      { name: 'policies/docker/a.rego', content: 'package a' },
      { name: 'link', type: 'symlink' },
    ]);
    const out = destination();
    const result = await extractTarGz(archive, out, { kind: 'tree' }, LIMITS, 'test');
    assert.deepEqual(result.files, ['policies/docker/a.rego']);
    assert.equal(readFileSync(join(out, 'policies/docker/a.rego'), 'utf8'), 'package a');
    assert.equal(existsSync(join(out, 'link')), false);
  });
});

describe('DB file format checks', () => {
  it('accepts a real bbolt file and an SQLite file, and names what is wrong otherwise', async () => {
    const dir = tempDir();
    const bolt = join(dir, 'trivy.db');
    writeTrivyDb(bolt, { updatedAt: new Date(), nextUpdate: new Date() });
    assert.equal(await bboltProblem(bolt), undefined);
    const { DatabaseSync } = await import('node:sqlite');
    const sqlite = join(dir, 'trivy-java.db');
    const db = new DatabaseSync(sqlite);
    db.exec('CREATE TABLE t(x)');
    db.close();
    assert.equal(await sqliteProblem(sqlite), undefined);
    assert.match((await bboltProblem(sqlite)) ?? '', /not a bbolt database/);
    assert.match((await sqliteProblem(bolt)) ?? '', /not an SQLite database/);
    // A torn first meta page: bbolt falls back to the second, and so does the check.
    const torn = readFileSync(bolt);
    torn.writeUInt32LE(0, 16 + 56);
    writeFileSync(bolt, torn);
    assert.equal(await bboltProblem(bolt), undefined);
    writeFileSync(bolt, Buffer.alloc(8192));
    assert.match((await bboltProblem(bolt)) ?? '', /bad magic|not a meta page/);
    assert.match((await bboltProblem(join(dir, 'none.db'))) ?? '', /is missing/);
  });
});
