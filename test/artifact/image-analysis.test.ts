import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allAnalyzers, NO_JAVA_DB } from '../../src/analyzer/registry.ts';
import type { Package } from '../../src/analyzer/types.ts';
import type { AnalysisDeps } from '../../src/artifact/image-artifact.ts';
import { analyzeImage } from '../../src/artifact/image-artifact.ts';
import { NO_SKIPS } from '../../src/artifact/path-filter.ts';
import { fileScanCache } from '../../src/cache/scan-cache.ts';
import { silentLogger } from '../../src/log/index.ts';
import { openLocalImage } from '../../src/oci/image/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const fixtures = fileURLToPath(new URL('../fixtures/images/', import.meta.url));
const expected = JSON.parse(
  readFileSync(new URL('../fixtures/images/alpine-311.expected.json', import.meta.url), 'utf8'),
);

function deps(cacheDir?: string): AnalysisDeps {
  return {
    analyzers: allAnalyzers(NO_JAVA_DB).filter((analyzer) => analyzer.scanKinds.includes('image')),
    context: { scanKind: 'image', includeDevDeps: false },
    filter: NO_SKIPS,
    settings: {},
    cache: cacheDir ? fileScanCache(cacheDir, { maxBytes: 64 * 1024 * 1024, logger: silentLogger }) : undefined,
    limits: { maxUncompressedBytes: 1024 * 1024 * 1024, maxFileBytes: 64 * 1024 * 1024 },
    logger: silentLogger,
  };
}

async function analyze(input: string, cacheDir?: string) {
  const image = await openLocalImage(input, { tempDir: join(tempDir(), 'tmp') });
  try {
    return await analyzeImage(image, deps(cacheDir));
  } finally {
    await image.close();
  }
}

const summary = (pkg: Package) => `${pkg.Name} ${pkg.Version}${pkg.Release ? `-${pkg.Release}` : ''}`;

describe('analyzing images', () => {
  it("finds alpine:3.11's OS, repository and packages as Trivy's image test expects", async () => {
    const { inventory, metadata } = await analyze(join(fixtures, 'trivy/alpine-311.tar.gz'));
    assert.deepEqual(inventory.OS, expected.OS);
    assert.deepEqual(inventory.Repository, expected.Repository);
    assert.equal(inventory.PackageInfos.length, 1);
    const packages = inventory.PackageInfos[0]?.Packages ?? [];
    assert.deepEqual(packages.map((pkg) => pkg.ID).sort(), expected.Packages.map((pkg: Package) => pkg.ID).sort());
    for (const pkg of packages) {
      assert.deepEqual(pkg.Layer, { DiffID: expected.DiffID }, `${pkg.Name} layer`);
    }
    assert.deepEqual(metadata.DiffIDs, [expected.DiffID]);
    assert.equal(metadata.Layers[0]?.Digest, undefined);
  });

  it('applies whiteouts across layers and credits each package to the layer that introduced it', async () => {
    const { inventory, metadata } = await analyze(join(fixtures, 'layered.oci:v2'));
    const [first, second] = metadata.Layers;
    const packages = inventory.PackageInfos.flatMap((info) => info.Packages);
    assert.deepEqual(packages.map(summary).sort(), [
      'bash 5.2.15-2+b2',
      'libc6 2.36-9+deb12u3',
      'libssl3 3.0.13-1~deb12u1',
    ]);
    const layerOf = (name: string) => packages.find((pkg) => pkg.Name === name)?.Layer;
    assert.deepEqual(layerOf('bash'), { Digest: first?.Digest, DiffID: first?.DiffID });
    assert.deepEqual(layerOf('libssl3'), { Digest: second?.Digest, DiffID: second?.DiffID });
    assert.deepEqual(inventory.OS, { Family: 'debian', Name: '12.4' });
  });

  it('gives the same inventory from the OCI layout, its tarball, the docker archive and zstd layers', async () => {
    const reference = await analyze(join(fixtures, 'layered.oci:v2'));
    const names = (result: typeof reference) =>
      result.inventory.PackageInfos.flatMap((info) =>
        info.Packages.map((pkg) => `${summary(pkg)} ${pkg.Layer?.DiffID}`),
      ).sort();
    for (const input of ['layered.oci.tar', 'layered.docker.tar', 'layered-zstd.oci']) {
      const other = await analyze(join(fixtures, input));
      assert.deepEqual(names(other), names(reference), input);
      assert.deepEqual(other.metadata.DiffIDs, reference.metadata.DiffIDs, input);
    }
  });

  it('reads no layer on the second scan, and recovers from a damaged cache entry', async () => {
    const cache = tempDir();
    const cold = await analyze(join(fixtures, 'layered.docker.tar'), cache);
    assert.equal(cold.layersRead, 2);
    const warm = await analyze(join(fixtures, 'layered.docker.tar'), cache);
    assert.equal(warm.layersRead, 0);
    assert.deepEqual(warm.inventory, cold.inventory);
    const shard = readdirSync(cache)[0] as string;
    const entry = join(cache, shard, readdirSync(join(cache, shard))[0] as string);
    writeFileSync(entry, '{ not json');
    const repaired = await analyze(join(fixtures, 'layered.docker.tar'), cache);
    assert.equal(repaired.layersRead, 1);
    assert.deepEqual(repaired.inventory, cold.inventory);
  });
});
