import assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileScanCache, type LayerAnalysis } from '../../src/cache/scan-cache.ts';
import { silentLogger } from '../../src/log/index.ts';
import type { Report } from '../../src/report/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { buildOciLayouts } from './image-builder.ts';
import { osImage } from './os-images.ts';
import { findingLine, layoutLayers, osFindings, seededCache, vigil } from './vigil-scan.ts';

/**
 * The scan cache seen from outside: a second scan of an image reads no layer (its layer blobs
 * are deleted in between and it still gives the same report), parallel scans share one cache,
 * and the cache stays within its size limit by dropping the least recently used entries.
 */

const entries = (dir: string): string[] =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.json'))
    .sort();

const essence = (report: Report | undefined) => ({
  os: report?.Metadata.OS,
  diffIds: report?.Metadata.DiffIDs,
  target: report?.Results[0]?.Target,
  findings: osFindings(report).map((v) => `${findingLine(v)} ${v.Layer?.Digest} ${v.Layer?.DiffID}`),
  packages: report?.Results[0]?.Packages?.length,
});

describe('the scan cache', () => {
  const work = tempDir('vigil-e2e-os-scan-cache-');
  const cacheDir = tempDir('vigil-e2e-os-cache-');
  let layout: string;
  let cache: string;

  before(async () => {
    const [layouts, seeded] = await Promise.all([
      buildOciLayouts([osImage('ubuntu-18.04-esm'), osImage('alpine-3.10-edge')], work),
      seededCache(cacheDir),
    ]);
    layout = layouts.get('ubuntu-18.04-esm') as string;
    cache = seeded;
  });

  it('answers a second scan without reading a layer: the blobs are gone and the report is the same', async () => {
    const args = ['image', '--input', layout, '--cache-dir', cache, '--offline', '-f', 'json', '--list-all-pkgs'];
    const first = await vigil([...args, '--debug']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /2 of 2 layers read/);
    assert.equal(entries(join(cache, 'scan')).length, 2);

    const { digests } = layoutLayers(layout);
    for (const digest of digests) rmSync(join(layout, 'blobs', ...digest.split(':')));

    const second = await vigil([...args, '--debug']);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /0 of 2 layers read; the rest from the scan cache/);
    assert.deepEqual(essence(second.report), essence(first.report));
    assert.equal(osFindings(second.report).length, 5);

    // Settings that change the analysis are part of the key: this scan needs the layers again.
    const skipping = await vigil([...args, '-q', '--skip-files', 'etc/hostname']);
    assert.equal(skipping.status, 1);
    assert.match(skipping.stderr, /^error: .*\nhint: /);
  });

  it('is shared by parallel scans without locks', async () => {
    const shared = await seededCache(tempDir('vigil-e2e-os-cache-'));
    const input = join(work, 'alpine-3.10-edge.oci');
    const scan = () => vigil(['image', '--input', input, '--cache-dir', shared, '--offline', '-f', 'json', '-q']);
    const runs = await Promise.all([scan(), scan(), scan()]);
    for (const run of runs) {
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(osFindings(run.report).map(findingLine), [
        'CVE-2022-24765 git@2.35.1-r2 fixed:2.35.2-r0 fixed MEDIUM/- ds:alpine',
      ]);
    }
    const names = entries(join(shared, 'scan'));
    assert.equal(names.length, 2, names.join(', '));
    assert.ok(
      readdirSync(join(shared, 'scan'), { recursive: true }).every((name) => !String(name).endsWith('.tmp')),
      'no temporary file left behind',
    );
  });

  it('stays within its size limit, dropping the least recently used entries first', async () => {
    const dir = tempDir('vigil-e2e-os-bounded-');
    const layer = (n: number): LayerAnalysis => ({
      diffId: `sha256:${String(n).padStart(64, '0')}`,
      uncompressedSize: 1,
      // About 4 KiB per entry.
      result: { Warnings: ['x'.repeat(4000)] },
      whiteouts: [],
      opaqueDirs: [],
    });
    const key = (n: number) => String(n).padStart(64, 'a');
    const bounded = fileScanCache(dir, { maxBytes: 14 * 1024, logger: silentLogger });
    const fileOf = (n: number) => join(dir, key(n).slice(0, 2), `${key(n)}.json`);
    let clock = Date.now() / 1000 - 100;
    for (const n of [1, 2, 3]) {
      await bounded.put(key(n), layer(n));
      utimesSync(fileOf(n), clock, clock);
      clock += 10;
    }
    // Reading entry 1 makes it the most recently used one.
    assert.ok(await bounded.get(key(1)));
    await bounded.put(key(4), layer(4));
    const left = entries(dir);
    assert.equal(left.length, 3, left.join(', '));
    assert.ok(
      left.every((name) => !name.includes(key(2))),
      'entry 2, least recently used, is gone',
    );
    const total = left.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
    assert.ok(total <= 14 * 1024, `${total} bytes kept`);
    assert.ok(await bounded.get(key(1)));
    assert.equal(await bounded.get(key(2)), undefined);
  });
});
