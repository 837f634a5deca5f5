import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifactKindForFile, planArtifactPush } from '../../../src/db/build/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test("a DB artifact manifest has exactly Trivy's media types, title annotation and empty config", async () => {
  const dir = tempDir('vigil-push-plan-');
  const file = join(dir, 'my-db.tar.gz');
  writeFileSync(file, 'not really gzip, only hashed');
  const plan = await planArtifactPush(file, 'db');
  const manifest = JSON.parse(plan.manifest.toString());
  assert.deepEqual(manifest, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.aquasec.trivy.config.v1+json',
      // sha256 of "{}": the config blob every oras-pushed Trivy artifact carries.
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
    },
    layers: [
      {
        mediaType: 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip',
        digest: `sha256:${createHash('sha256').update('not really gzip, only hashed').digest('hex')}`,
        size: 28,
        annotations: { 'org.opencontainers.image.title': 'db.tar.gz' },
      },
    ],
  });
  assert.equal(plan.manifestDigest, `sha256:${createHash('sha256').update(plan.manifest).digest('hex')}`);
  const checks = JSON.parse((await planArtifactPush(file, 'checks')).manifest.toString());
  assert.equal(checks.config.mediaType, 'application/vnd.cncf.openpolicyagent.config.v1+json');
  assert.equal(checks.layers[0].mediaType, 'application/vnd.cncf.openpolicyagent.layer.v1.tar+gzip');
  assert.equal(checks.layers[0].annotations['org.opencontainers.image.title'], 'bundle.tar.gz');
  const java = JSON.parse((await planArtifactPush(file, 'java-db')).manifest.toString());
  assert.equal(java.layers[0].mediaType, 'application/vnd.aquasec.trivy.javadb.layer.v1.tar+gzip');
  await assert.rejects(planArtifactPush(join(dir, 'missing.tar.gz'), 'db'), isVigilError);
});

test('the artifact kind follows the file name', () => {
  assert.equal(artifactKindForFile('/x/db.tar.gz'), 'db');
  assert.equal(artifactKindForFile('javadb.tar.gz'), 'java-db');
  assert.equal(artifactKindForFile('bundle.tar.gz'), 'checks');
  assert.equal(artifactKindForFile('notes.txt'), undefined);
});
