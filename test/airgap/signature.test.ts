import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSigningKey, loadVerificationKeys, signArtifact, verifyArtifactSignature } from '../../src/airgap/index.ts';
import {
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  signPayload,
  simpleSigningPayload,
} from '../../src/airgap/signature/index.ts';
import {
  directoryLayoutFiles,
  LayoutRepository,
  LayoutWriter,
  MemoryBlobs,
  readLayoutIndex,
  signatureTag,
  storedManifest,
} from '../../src/airgap/store/index.ts';
import { cacheLayout } from '../../src/cache/layout.ts';
import { readSourceRecord } from '../../src/db/artifact/index.ts';
import { isVigilError } from '../../src/errors/index.ts';
import { startTestRegistry } from '../helpers/registry.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { makeKeyPair, publishTrio, sampleDbArchive, vigil } from './air-gap-setup.ts';

const root = tempDir();
const keys = makeKeyPair(join(root, 'keys'), 'site');
const otherKeys = makeKeyPair(join(root, 'keys'), 'other');
const registry = await startTestRegistry('noauth', join(root, 'registry'));
after(() => registry.stop());
const archive = await sampleDbArchive(join(root, 'db'), new Date());
const digests = await publishTrio(registry, 'signed', archive);
// Never signed: the source of the layouts the other cases sign.
await publishTrio(registry, 'plain', archive);

async function openLayout(dir: string): Promise<LayoutRepository> {
  const files = directoryLayoutFiles(dir);
  const index = await readLayoutIndex(files);
  assert.ok(index);
  return new LayoutRepository(files, index, `oci:${dir}`);
}

/** A one-artifact OCI layout (unsigned), as `vigil mirror --to oci:` writes it; returns the directory and digest. */
async function layoutWithDb(): Promise<{ dir: string; digest: string }> {
  const dir = join(tempDir(), 'trivy-db');
  const run = await vigil([
    'mirror',
    '--db',
    '--db-repository',
    `${registry.host}/plain/trivy-db`,
    '--to',
    `oci:${dir}/..`,
  ]);
  assert.equal(run.status, 0, run.stderr);
  return { dir, digest: digests.db };
}

describe('cosign-compatible signatures', () => {
  it("writes the simple-signing payload in cosign's shape and field order", () => {
    const digest = `sha256:${'5f48'.repeat(16)}`;
    assert.equal(
      simpleSigningPayload('registry.example/x/trivy-db', digest).toString(),
      `{"critical":{"identity":{"docker-reference":"registry.example/x/trivy-db"},"image":{"docker-manifest-digest":"${digest}"},` +
        '"type":"cosign container image signature"},"optional":null}',
    );
  });

  it('signs with ECDSA P-256 over SHA-256 in DER, as openssl verifies, and accepts what openssl signs', async () => {
    const key = await loadSigningKey(keys.key);
    const payload = simpleSigningPayload('registry.example/x', `sha256:${'a'.repeat(64)}`);
    const dir = tempDir();
    writeFileSync(join(dir, 'payload'), payload);
    writeFileSync(join(dir, 'sig'), Buffer.from(signPayload(payload, key), 'base64'));
    const verified = execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      keys.pub,
      '-signature',
      join(dir, 'sig'),
      join(dir, 'payload'),
    ]);
    assert.match(verified.toString(), /Verified OK/);

    // A .sig manifest whose signature openssl made verifies with Vigil.
    const { dir: layout, digest } = await layoutWithDb();
    const signedByOpenssl = simpleSigningPayload(`oci:${layout}`, digest);
    writeFileSync(join(dir, 'payload2'), signedByOpenssl);
    const der = execFileSync('openssl', ['dgst', '-sha256', '-sign', keys.key, join(dir, 'payload2')]);
    const blobs = new MemoryBlobs();
    const layer = blobs.add(signedByOpenssl, SIMPLE_SIGNING_MEDIA_TYPE, {
      [SIGNATURE_ANNOTATION]: der.toString('base64'),
    });
    const config = blobs.add(Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const writer = new LayoutWriter(layout);
    await writer.putBlob(layer, blobs);
    await writer.putBlob(config, blobs);
    const manifest = storedManifest(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config,
          layers: [layer],
        }),
      ),
      'hand-made signature manifest',
    );
    await writer.putManifest(manifest, signatureTag(digest));
    const repository = await openLayout(layout);
    const result = await verifyArtifactSignature(repository, digest, await loadVerificationKeys([keys.pub]), 'the DB');
    assert.equal(result.keyPath, keys.pub);
  });

  it('db sign stores a signature cosign would read, keeps earlier ones, and does not sign twice with one key', async () => {
    const { dir, digest } = await layoutWithDb();
    const first = await vigil(['db', 'sign', '--key', keys.key, `oci:${dir}:2`]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`signed oci:${dir}@${digest}: oci:${dir}:${signatureTag(digest)}`));
    const again = await vigil(['db', 'sign', '--key', keys.key, `oci:${dir}:2`]);
    assert.match(again.stdout, /already carries a signature by this key/);
    const second = await vigil(['db', 'sign', '--key', otherKeys.key, `oci:${dir}:2`]);
    assert.equal(second.status, 0, second.stderr);

    const raw = JSON.parse(
      execFileSync('skopeo', ['inspect', '--raw', `oci:${dir}:${signatureTag(digest)}`]).toString(),
    );
    assert.equal(raw.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(raw.config.mediaType, 'application/vnd.oci.image.config.v1+json');
    assert.deepEqual(
      raw.layers.map((layer: { mediaType: string; annotations: Record<string, string> }) => [
        layer.mediaType,
        /^ME[A-Za-z0-9+/]+=*$/.test(layer.annotations[SIGNATURE_ANNOTATION] ?? ''),
      ]),
      [
        [SIMPLE_SIGNING_MEDIA_TYPE, true],
        [SIMPLE_SIGNING_MEDIA_TYPE, true],
      ],
    );
    const repository = await openLayout(dir);
    for (const pub of [keys.pub, otherKeys.pub]) {
      const verified = await verifyArtifactSignature(repository, digest, await loadVerificationKeys([pub]), 'the DB');
      assert.equal(verified.keyPath, pub);
    }
  });

  it('refuses a changed signature, and a signature of another digest', async () => {
    const { dir, digest } = await layoutWithDb();
    const source = await openLayout(dir);
    const key = await loadSigningKey(keys.key);
    // A valid signature, but of another manifest, stored under this one's tag.
    const elsewhere = `sha256:${'0'.repeat(64)}`;
    const generated = new MemoryBlobs();
    const payload = simpleSigningPayload('x', elsewhere);
    const layer = generated.add(payload, SIMPLE_SIGNING_MEDIA_TYPE, {
      [SIGNATURE_ANNOTATION]: signPayload(payload, key),
    });
    const broken = generated.add(simpleSigningPayload('x', digest), SIMPLE_SIGNING_MEDIA_TYPE, {
      [SIGNATURE_ANNOTATION]: signPayload(Buffer.from('something else'), key),
    });
    const config = generated.add(Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const writer = new LayoutWriter(dir);
    for (const blob of [layer, broken, config]) await writer.putBlob(blob, generated);
    await writer.putManifest(
      storedManifest(
        Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            config,
            layers: [layer, broken],
          }),
        ),
        'forged',
      ),
      signatureTag(digest),
    );
    const refused = await verifyArtifactSignature(
      await openLayout(dir),
      digest,
      await loadVerificationKeys([keys.pub]),
      'the DB',
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(isVigilError(refused) && refused.code === 'SIGNATURE_MISMATCH', String(refused));
    assert.match(
      (refused as Error).message,
      /none of its 2 signature\(s\) is by .*site\.pub \(1 name another digest\)/,
    );
    await source.close();
  });

  it('db pull verifies offline: signed passes and is recorded, unsigned or re-signed by another key is refused', async () => {
    const cache = tempDir();
    const pull = (repository: string, pub: string) =>
      vigil(['db', 'pull', '--db-repository', repository, '--db-signature-key', pub, '--cache-dir', cache]);
    const unsigned = await pull(`${registry.host}/signed/trivy-db`, keys.pub);
    assert.equal(unsigned.status, 1);
    assert.match(
      unsigned.stderr,
      /error: cannot download the vulnerability DB from any repository \(.*is not signed: .* has no sha256-[0-9a-f]+\.sig\)/,
    );
    assert.match(unsigned.stderr, /hint: sign it with 'vigil db sign --key KEY'/);

    assert.equal((await vigil(['db', 'sign', '--key', otherKeys.key, `${registry.host}/signed/trivy-db:2`])).status, 0);
    const resigned = await pull(`${registry.host}/signed/trivy-db`, keys.pub);
    assert.equal(resigned.status, 1);
    assert.match(resigned.stderr, /failed signature verification/);
    assert.equal(
      readSourceRecord(join(cacheLayout(cache).vulnDbDir, 'vigil-source.json')),
      undefined,
      'nothing installed',
    );

    assert.equal((await vigil(['db', 'sign', '--key', keys.key, `${registry.host}/signed/trivy-db:2`])).status, 0);
    const signed = await pull(`${registry.host}/signed/trivy-db`, keys.pub);
    assert.equal(signed.status, 0, signed.stderr);
    const record = readSourceRecord(join(cacheLayout(cache).vulnDbDir, 'vigil-source.json'));
    assert.equal(record?.ManifestDigest, digests.db);
    assert.equal(record?.SignedBy, (await loadSigningKey(keys.key)).keyId);
    const status = JSON.parse((await vigil(['db', 'status', '--format', 'json', '--cache-dir', cache])).stdout);
    assert.equal(status.Artifacts[0].ManifestDigest, digests.db);
  });

  it('says clearly which keys it cannot use', async () => {
    const dir = tempDir();
    const cosignKey = join(dir, 'cosign.key');
    writeFileSync(
      cosignKey,
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n',
    );
    const rsa = join(dir, 'rsa.key');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', rsa], {
      stdio: 'ignore',
    });
    const layout = (await layoutWithDb()).dir;
    const encrypted = await vigil(['db', 'sign', '--key', cosignKey, `oci:${layout}`]);
    assert.equal(encrypted.status, 1);
    assert.match(encrypted.stderr, /error: .*cosign\.key is in cosign's encrypted key format/);
    assert.match(encrypted.stderr, /hint: use an unencrypted PKCS#8 EC P-256 key/);
    const notEc = await vigil(['db', 'sign', '--key', rsa, `oci:${layout}`]);
    assert.match(notEc.stderr, /is a rsa key, not ECDSA P-256/);
    const missing = await vigil(['db', 'sign', '--key', join(dir, 'absent.key'), `oci:${layout}`]);
    assert.match(missing.stderr, /cannot read the signing key/);
    const publicAsPrivate = await loadSigningKey(keys.pub).catch((error: Error) => error.message);
    assert.match(String(publicAsPrivate), /is not a PEM private key/);
  });

  it('signArtifact appends to the signatures already there', async () => {
    const { dir, digest } = await layoutWithDb();
    const repository = await openLayout(dir);
    const writer = new LayoutWriter(dir);
    const first = await signArtifact(repository, writer, digest, 'x', await loadSigningKey(keys.key));
    // The config names the layers as go-containerregistry's empty image does: cosign's own
    // signature manifests show 233 bytes for one layer (and 342 for two).
    const one = await (await openLayout(dir)).getManifest(signatureTag(digest));
    assert.equal(one.manifest?.config.size, 233);
    const second = await signArtifact(await openLayout(dir), writer, digest, 'x', await loadSigningKey(otherKeys.key));
    assert.ok(first.added && second.added);
    const two = await (await openLayout(dir)).getManifest(signatureTag(digest));
    assert.equal(two.manifest?.layers.length, 2);
    assert.equal(two.manifest?.config.size, 342);
  });
});
