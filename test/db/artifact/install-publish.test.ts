import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { publishFiles, publishTree, writeDurably } from '../../../src/db/artifact/install.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('publishing staged files and trees', () => {
  it('moves staged files into place, replacing the old ones, and leaves the staging area empty', async () => {
    const dir = tempDir();
    const staging = join(dir, 'staging');
    const target = join(dir, 'db');
    mkdirSync(staging);
    mkdirSync(target);
    writeFileSync(join(target, 'trivy.db'), 'old db');
    writeFileSync(join(target, 'metadata.json'), 'old metadata');
    writeFileSync(join(staging, 'trivy.db'), Buffer.alloc(3 * 2 ** 20, 7));
    await writeDurably(join(staging, 'metadata.json'), '{"Version":2}');
    await publishFiles([join(staging, 'trivy.db'), join(staging, 'metadata.json')], target);
    assert.deepEqual(readdirSync(staging), []);
    assert.deepEqual(readdirSync(target).sort(), ['metadata.json', 'trivy.db']);
    assert.ok(readFileSync(join(target, 'trivy.db')).equals(Buffer.alloc(3 * 2 ** 20, 7)));
    assert.equal(readFileSync(join(target, 'metadata.json'), 'utf8'), '{"Version":2}');
  });

  it('names the cache when a staged file is missing, and publishes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'metadata.json'), '{}');
    await assert.rejects(
      publishFiles([join(dir, 'absent.db'), join(dir, 'metadata.json')], join(dir, 'db')),
      (error: unknown) => (error as { code?: string }).code === 'CACHE_WRITE_FAILED',
    );
    assert.deepEqual(readdirSync(join(dir, 'db')), []);
  });

  it('swaps in a staged tree with nested and empty directories, leaving nothing of the old one', async () => {
    const dir = tempDir();
    const target = join(dir, 'policy', 'content');
    mkdirSync(join(target, 'old'), { recursive: true });
    writeFileSync(join(target, 'old', 'gone.rego'), 'package gone');
    const staged = join(dir, 'staged');
    for (let group = 0; group < 12; group++) {
      mkdirSync(join(staged, 'policies', `group${group}`, 'lib'), { recursive: true });
      for (let file = 0; file < 5; file++) {
        writeFileSync(
          join(staged, 'policies', `group${group}`, 'lib', `check${file}.rego`),
          `package g${group}.c${file}`,
        );
      }
    }
    mkdirSync(join(staged, 'empty'));
    await publishTree(staged, target);
    assert.deepEqual(readdirSync(target).sort(), ['empty', 'policies']);
    assert.equal(readdirSync(join(target, 'policies')).length, 12);
    assert.equal(readFileSync(join(target, 'policies', 'group11', 'lib', 'check4.rego'), 'utf8'), 'package g11.c4');
    assert.deepEqual(readdirSync(join(dir, 'policy')), ['content']);
  });
});
