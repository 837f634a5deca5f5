import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.ts';
import { findingLines, PROJECTS, type ScanRun, scanJson, seededCache } from './e2e-scan.ts';

/**
 * The rootfs fixture as a two-layer `docker save` archive: installed packages are found in image
 * scans too, aggregated per language across layers, and each finding names the layer it is in.
 */
const LAYERS: readonly (readonly string[])[] = [['usr'], ['opt', 'srv', 'app']];

function layerTar(dir: string, output: string, paths: readonly string[]): string {
  const fixed = ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=2020-01-01 00:00Z'];
  execFileSync('tar', [...fixed, '-C', join(PROJECTS, 'rootfs'), '-cf', join(dir, output), ...paths]);
  return `sha256:${createHash('sha256')
    .update(readFileSync(join(dir, output)))
    .digest('hex')}`;
}

function dockerArchive(dir: string): { archive: string; diffIds: string[] } {
  const diffIds = LAYERS.map((paths, index) => layerTar(dir, `layer${index}.tar`, paths));
  const config = { architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const layers = LAYERS.map((_, index) => `layer${index}.tar`);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify([{ Config: 'config.json', RepoTags: ['vigil-e2e:1'], Layers: layers }]),
  );
  const archive = join(dir, 'image.tar');
  execFileSync('tar', ['-C', dir, '-cf', archive, 'manifest.json', 'config.json', ...layers]);
  return { archive, diffIds };
}

describe('vigil image on the installed packages of a two-layer image', () => {
  let run: ScanRun;
  let diffIds: string[];
  before(async () => {
    const cache = await seededCache();
    const image = dockerArchive(tempDir('vigil-e2e-image-'));
    diffIds = image.diffIds;
    run = await scanJson(['image', '--input', image.archive, '--cache-dir', cache, '--offline']);
  });

  it('reports the same per-language results as the rootfs scan, lock files left out', () => {
    assert.equal(run.report.ArtifactType, 'container_image');
    assert.deepEqual((run.report.Results ?? []).map((r) => `${r.Target} ${r.Type}`).sort(), [
      'Conda conda-pkg',
      'Java jar',
      'Node.js node-pkg',
      'Python python-pkg',
      'Ruby gemspec',
      'app/app.deps.json dotnet-core',
      'srv/www/vendor/composer/installed.json composer-vendor',
      'usr/local/bin/gobin gobinary',
      'usr/local/bin/rustbin rustbinary',
    ]);
    const python = run.report.Results?.find((r) => r.Target === 'Python');
    assert.deepEqual(python ? findingLines(python) : [], [
      'CVE-2019-14806 Werkzeug@0.15.2 fixed:0.15.3 path:usr/lib/python3/dist-packages/Werkzeug-0.15.2.dist-info/METADATA',
      'CVE-2022-40897 setuptools@65.5.0 fixed:65.5.1 path:usr/local/lib/python3.11/site-packages/setuptools-65.5.0-py3.11.egg-info/PKG-INFO',
    ]);
  });

  it('names the layer of each finding', () => {
    const layerOf = (target: string) =>
      new Set(
        (run.report.Results?.find((r) => r.Target === target)?.Vulnerabilities ?? []).map((v) => v.Layer?.DiffID),
      );
    assert.deepEqual([...layerOf('Node.js')], [diffIds[0]]);
    assert.deepEqual([...layerOf('usr/local/bin/gobin')], [diffIds[0]]);
    assert.deepEqual([...layerOf('Java')], [diffIds[1]]);
    assert.deepEqual([...layerOf('app/app.deps.json')], [diffIds[1]]);
  });
});
