import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/temp-dir.ts';
import { buildOciLayouts, skopeoCopy } from './image-builder.ts';
import { osImage } from './os-images.ts';
import { seededCache, vigil } from './vigil-scan.ts';

/**
 * Damaged and hostile images: each is refused with one `error:` line and a `hint:`, exit status
 * 1, and the cache is left as it was (no scan-cache entry, the DB unchanged). Every case starts
 * from a fresh cache: a cached layer is never read again, so a warm cache would hide the damage.
 */

const run = promisify(execFile);
const tar = (args: string[], cwd: string) => run('tar', args, { cwd });
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('vigil image refuses damaged and hostile input cleanly', () => {
  const work = tempDir('vigil-e2e-os-bad-');
  const cacheRoot = tempDir('vigil-e2e-os-caches-');
  const inputs: Record<string, string> = {};
  let pristineCache: string;

  before(async () => {
    const [layouts, seeded] = await Promise.all([
      buildOciLayouts([osImage('debian-10')], work),
      seededCache(join(cacheRoot, 'pristine')),
    ]);
    pristineCache = seeded;
    const layout = layouts.get('debian-10') as string;
    const archive = join(work, 'debian.docker.tar');
    await skopeoCopy(layout, `docker-archive:${archive}:e2e/debian:10`);
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    await tar(['-xf', archive], unpacked);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
    const layerFile = manifest[0]?.Layers[0] as string;

    // Random bytes where an archive should be.
    inputs.corrupt = join(work, 'corrupt.tar');
    writeFileSync(inputs.corrupt, randomBytes(64 * 1024));

    // The docker archive with its layer cut at 60%: the config's diff ID still names the whole layer.
    const truncated = join(work, 'truncated');
    cpSync(unpacked, truncated, { recursive: true });
    truncateSync(join(truncated, layerFile), Math.floor(statSync(join(truncated, layerFile)).size * 0.6));
    inputs['truncated layer'] = join(work, 'truncated.docker.tar');
    await tar(['-cf', inputs['truncated layer'], ...readdirSync(truncated)], truncated);

    // The OCI layout with its gzip layer blob cut in half.
    inputs['truncated gzip blob'] = join(work, 'truncated.oci');
    cpSync(layout, inputs['truncated gzip blob'], { recursive: true });
    const blobs = join(inputs['truncated gzip blob'], 'blobs', 'sha256');
    const largest = readdirSync(blobs).sort((a, b) => statSync(join(blobs, b)).size - statSync(join(blobs, a)).size)[0];
    truncateSync(join(blobs, largest as string), Math.floor(statSync(join(blobs, largest as string)).size / 2));

    // A layer whose tar holds `../../evil` next to a valid root (GNU tar keeps it with -P).
    const hostile = join(work, 'hostile');
    mkdirSync(join(hostile, 'root'), { recursive: true });
    await tar(['-xf', join(unpacked, layerFile), '-C', join(hostile, 'root')], work);
    writeFileSync(join(hostile, 'evil'), 'written outside the root\n');
    await tar(['--sort=name', '-cf', 'layer.tar', '-C', 'root', '.'], hostile);
    await tar(['-rf', 'layer.tar', '-P', '--transform=s,^evil,../../evil,', 'evil'], hostile);
    const diffId = `sha256:${sha256(join(hostile, 'layer.tar'))}`;
    const config = { architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] } };
    writeFileSync(join(hostile, 'config.json'), JSON.stringify(config));
    writeFileSync(
      join(hostile, 'manifest.json'),
      JSON.stringify([{ Config: 'config.json', RepoTags: ['e2e/hostile:1'], Layers: ['layer.tar'] }]),
    );
    inputs['path traversal'] = join(work, 'hostile.docker.tar');
    await tar(['-cf', inputs['path traversal'], 'manifest.json', 'config.json', 'layer.tar'], hostile);
  });

  const cases: Array<[string, RegExp]> = [
    ['corrupt', /is not a valid tar archive/],
    ['truncated layer', /^error: cannot read layer sha256:[0-9a-f]{64}: /],
    ['truncated gzip blob', /^error: cannot read layer sha256:[0-9a-f]{64}: unexpected end of file/],
    ['path traversal', /climbs out of the root: "\.\.\/\.\.\/evil"/],
  ];

  for (const [name, message] of cases) {
    it(`${name}: one error line with a hint, exit 1, cache untouched`, async () => {
      const cache = join(cacheRoot, name.replace(/\s+/g, '-'));
      cpSync(pristineCache, cache, { recursive: true });
      const dbBefore = sha256(join(cache, 'db', 'trivy.db'));
      const result = await vigil(['image', '--input', inputs[name] as string, '--cache-dir', cache, '--offline', '-q']);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 2, result.stderr);
      assert.match(lines[0] ?? '', message);
      assert.match(lines[1] ?? '', /^hint: \S/);
      assert.ok(
        !existsSync(join(cache, 'scan')) || readdirSync(join(cache, 'scan')).length === 0,
        'no scan-cache entry',
      );
      assert.equal(sha256(join(cache, 'db', 'trivy.db')), dbBefore);
    });
  }
});
