import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VigilError } from '../../src/errors/index.ts';
import { openLocalImage } from '../../src/oci/image/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const fixtures = fileURLToPath(new URL('../fixtures/images/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const work = tempDir();
const options = { tempDir: join(work, 'tmp') };

async function summary(input: string) {
  const image = await openLocalImage(input, options);
  try {
    return { imageId: image.imageId, diffIds: image.layers.map((layer) => layer.diffId), tags: image.repoTags, image };
  } finally {
    await image.close();
  }
}

describe('opening image exports', () => {
  it('reads a gzip-compressed docker save archive (Trivy alpine-311 fixture)', async () => {
    const { imageId, diffIds, tags } = await summary(fixture('trivy/alpine-311.tar.gz'));
    assert.equal(imageId, 'sha256:a187dde48cd289ac374ad8539930628314bc581a481cdb41409c9289419ddb72');
    assert.deepEqual(diffIds, ['sha256:beee9f30bc1f711043e78d4a2be0668955d4b761d587d6f60c2c8dc081efb203']);
    assert.deepEqual(tags, ['alpine:3.11']);
  });

  it('sees one image in the OCI layout, its tarball, the docker archive and the zstd copy', async () => {
    const layout = await summary(fixture('layered.oci:v2'));
    assert.equal(layout.diffIds.length, 2);
    assert.deepEqual(layout.tags, ['v2']);
    for (const input of ['layered.oci.tar', 'layered.docker.tar', 'layered-zstd.oci']) {
      const other = await summary(fixture(input));
      assert.deepEqual(other.diffIds, layout.diffIds, input);
    }
    const docker = await summary(fixture('layered.docker.tar'));
    assert.deepEqual(docker.tags, ['docker.io/vigil/layered:v2']);
    assert.equal(docker.image.layers[0]?.digest, undefined, 'docker archives report no compressed digest');
    const v1 = await summary(fixture('layered.oci:v1'));
    assert.equal(v1.diffIds.length, 1);
    assert.equal(v1.diffIds[0], layout.diffIds[0]);
  });

  it('picks a tag with PATH:TAG and lists the tags when it is missing', async () => {
    const tagged = await summary(fixture('trivy/test_image_tag.oci:0.0.1'));
    assert.deepEqual(tagged.tags, ['0.0.1']);
    await assert.rejects(openLocalImage(fixture('layered.oci:v9'), options), /no image tagged "v9".*/);
    await assert.rejects(openLocalImage(fixture('layered.oci:v9'), options), (error: VigilError) =>
      String(error.hint).includes('v1, v2'),
    );
  });

  it('refuses broken OCI layouts with clear errors (Trivy archive_test cases)', async () => {
    const cases: Array<[string, RegExp]> = [
      ['trivy/test_bad_index_json.oci', /index\.json: not valid JSON/],
      ['trivy/test_invalid_oci_image.oci', /lists no image manifest/],
      ['trivy/test_no_valid_manifests.oci', /no "manifests" list/],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(openLocalImage(fixture(input), options), (error: unknown) => {
        assert.ok(error instanceof VigilError, input);
        assert.match(error.message, message);
        assert.ok(error.hint);
        return true;
      });
    }
    const withDirIndex = join(work, 'index-is-dir.oci');
    mkdirSync(join(withDirIndex, 'index.json'), { recursive: true });
    await assert.rejects(openLocalImage(withDirIndex, options), /not an OCI image layout/);
  });

  it('refuses a truncated archive and a tampered blob, and names the file', async () => {
    const truncated = join(work, 'truncated.tar');
    copyFileSync(fixture('layered.docker.tar'), truncated);
    truncateSync(truncated, 20_000);
    await assert.rejects(openLocalImage(truncated, options), /truncated\.tar is not a valid tar archive/);

    const tampered = join(work, 'tampered.oci');
    cpSync(fixture('layered.oci'), tampered, { recursive: true });
    const index = JSON.parse(readFileSync(join(tampered, 'index.json'), 'utf8'));
    const manifestDigest = String(index.manifests[1].digest).slice(7);
    const manifestPath = join(tampered, 'blobs/sha256', manifestDigest);
    const manifest = readFileSync(manifestPath, 'utf8');
    writeFileSync(manifestPath, manifest.replace('"schemaVersion":2', '"schemaVersion": 2'));
    await assert.rejects(openLocalImage(`${tampered}:v2`, options), /does not match its digest/);
  });

  it('says what to do with a plain directory or a missing path', async () => {
    await assert.rejects(openLocalImage(work, options), (error: VigilError) => /vigil fs/.test(String(error.hint)));
    await assert.rejects(openLocalImage(join(work, 'nope.tar'), options), /cannot read --input/);
  });
});
