import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { allAnalyzers, NO_JAVA_DB } from '../../src/analyzer/registry.ts';
import type { Analyzer } from '../../src/analyzer/types.ts';
import { analyzeImage } from '../../src/artifact/image-artifact.ts';
import { NO_SKIPS } from '../../src/artifact/path-filter.ts';
import { fileScanCache } from '../../src/cache/scan-cache.ts';
import { silentLogger } from '../../src/log/index.ts';
import { openLocalImage } from '../../src/oci/image/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { buildOciLayouts } from './image-builder.ts';
import { osImage } from './os-images.ts';

/**
 * --timeout inside a layer: the CLI test (flags.test.ts) hits the deadline before the first layer;
 * here the deadline passes while a layer streams, at a known entry, so the check does not depend
 * on timing. The walk stops with the timeout (not a "damaged layer" error) and caches nothing.
 */
describe('a deadline passing while a layer streams', () => {
  const work = tempDir('vigil-e2e-os-timeout-');
  let layout: string;

  before(async () => {
    // 8 MiB that do not compress sit between etc/os-release and var/lib/dpkg/status, so the layer
    // is still streaming when the walk reaches os-release.
    const [debian] = osImage('debian-10').layers;
    const filler = randomBytes(6 * 1024 * 1024).toString('base64');
    const image = { name: 'debian-10-large', layers: [{ files: { ...debian?.files, 'usr/share/filler': filler } }] };
    layout = (await buildOciLayouts([image], work)).get(image.name) as string;
  });

  it('stops the walk with the abort reason and writes no scan-cache entry', async () => {
    const controller = new AbortController();
    const timeout = new DOMException('the deadline passed', 'TimeoutError');
    const seen: string[] = [];
    // Aborts when the walk reaches etc/os-release; var/lib/dpkg/status comes after it in the layer.
    const tripwire: Analyzer = {
      type: 'tripwire',
      version: 1,
      scanKinds: ['image'],
      required: (path) => {
        seen.push(path);
        if (path === 'etc/os-release') controller.abort(timeout);
        return false;
      },
      analyze: async () => ({}),
    };
    const cacheDir = join(work, 'scan');
    const image = await openLocalImage(layout, { tempDir: join(work, 'tmp') });
    try {
      await assert.rejects(
        analyzeImage(image, {
          analyzers: [tripwire, ...allAnalyzers(NO_JAVA_DB).filter((analyzer) => analyzer.scanKinds.includes('image'))],
          context: { scanKind: 'image', includeDevDeps: false },
          filter: NO_SKIPS,
          settings: {},
          cache: fileScanCache(cacheDir, { maxBytes: 1024 * 1024, logger: silentLogger }),
          limits: { maxUncompressedBytes: 1024 * 1024 * 1024, maxFileBytes: 64 * 1024 * 1024 },
          logger: silentLogger,
          signal: controller.signal,
        }),
        (error) => error === timeout,
      );
    } finally {
      await image.close();
    }
    assert.ok(seen.includes('etc/os-release'));
    assert.ok(!seen.includes('var/lib/dpkg/status'), `the walk went on: ${seen.join(', ')}`);
    assert.deepEqual(existsSync(cacheDir) ? readdirSync(cacheDir) : [], []);
  });
});
