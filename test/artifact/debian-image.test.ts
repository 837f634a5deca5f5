import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { allAnalyzers, NO_JAVA_DB } from '../../src/analyzer/registry.ts';
import type { Inventory } from '../../src/artifact/applier.ts';
import { analyzeDirectory } from '../../src/artifact/directory-artifact.ts';
import type { AnalysisDeps } from '../../src/artifact/image-artifact.ts';
import { analyzeImage } from '../../src/artifact/image-artifact.ts';
import { NO_SKIPS } from '../../src/artifact/path-filter.ts';
import { silentLogger } from '../../src/log/index.ts';
import { openLocalImage } from '../../src/oci/image/index.ts';
import { ensureDebianImage } from '../helpers/debian-image.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const deps = (scanKind: 'image' | 'rootfs'): AnalysisDeps => ({
  analyzers: allAnalyzers(NO_JAVA_DB).filter((analyzer) => analyzer.scanKinds.includes(scanKind)),
  context: { scanKind, includeDevDeps: false },
  filter: NO_SKIPS,
  settings: {},
  cache: undefined,
  limits: { maxUncompressedBytes: 4 * 1024 ** 3, maxFileBytes: 64 * 1024 * 1024 },
  logger: silentLogger,
});

/** `name version` lines as dpkg-query prints them (epoch:upstream-revision). */
const dpkgLines = (inventory: Inventory) =>
  inventory.PackageInfos.flatMap((info) => info.Packages)
    .map((pkg) => {
      const version = `${pkg.Epoch ? `${pkg.Epoch}:` : ''}${pkg.Version}${pkg.Release ? `-${pkg.Release}` : ''}`;
      return `${pkg.Name} ${version}`;
    })
    .sort();

describe('a real Debian image (debootstrap)', () => {
  let dir = '';
  let dpkgQuery: string[] = [];
  before(async () => {
    dir = await ensureDebianImage();
    dpkgQuery = readFileSync(join(dir, 'dpkg-query.txt'), 'utf8').trim().split('\n').sort();
  });

  for (const input of ['debian.docker.tar', 'oci:bookworm']) {
    it(`lists exactly the packages dpkg-query reports, from ${input}`, async () => {
      const image = await openLocalImage(join(dir, input), { tempDir: join(tempDir(), 'tmp') });
      try {
        const { inventory } = await analyzeImage(image, deps('image'));
        assert.equal(inventory.OS?.Family, 'debian');
        assert.match(inventory.OS?.Name ?? '', /^12\.\d+$/);
        assert.ok(dpkgQuery.length > 50);
        assert.deepEqual(dpkgLines(inventory), dpkgQuery);
      } finally {
        await image.close();
      }
    });
  }

  it('lists the same packages from the unpacked root file system', async () => {
    const inventory = await analyzeDirectory(join(dir, 'rootfs'), deps('rootfs'));
    assert.deepEqual(dpkgLines(inventory), dpkgQuery);
  });
});
