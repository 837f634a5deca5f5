import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/log/index.ts';
import { createHttpClient, NetworkError } from '../../src/net/index.ts';
import {
  type CredentialProvider,
  type FetchedManifest,
  parseReference,
  type Reference,
  RegistryClient,
  RegistryError,
  RegistrySession,
  sha256Digest,
  staticCredentials,
} from '../../src/oci/registry/index.ts';
import { startTestRegistry } from '../helpers/registry.ts';
import { startRegistryFront } from '../helpers/registry-front.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const root = tempDir();
const [plainRegistry, tlsRegistry, htpasswdRegistry, tokenRegistry] = await Promise.all([
  startTestRegistry('noauth', join(root, 'noauth')),
  startTestRegistry('tls-htpasswd', join(root, 'tls-htpasswd')),
  startTestRegistry('htpasswd', join(root, 'htpasswd')),
  startTestRegistry('token', join(root, 'token')),
]);
after(() => Promise.all([plainRegistry, tlsRegistry, htpasswdRegistry, tokenRegistry].map((r) => r.stop())));

const CONFIG = Buffer.from('{}');
const LAYER_TYPE = 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip';

function client(options: { credentials?: CredentialProvider; caFiles?: string[]; insecure?: boolean } = {}) {
  const http = createHttpClient({
    caFiles: options.caFiles,
    insecure: options.insecure,
    retry: { attempts: 2, baseDelayMs: 10 },
  });
  after(() => http.close());
  return new RegistryClient({ http, credentials: options.credentials, insecure: options.insecure });
}

function manifestFor(layer: Buffer): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.aquasec.trivy.config.v1+json', digest: sha256Digest(CONFIG), size: 2 },
      layers: [
        {
          mediaType: LAYER_TYPE,
          digest: sha256Digest(layer),
          size: layer.length,
          annotations: { 'org.opencontainers.image.title': 'db.tar.gz' },
        },
      ],
    }),
  );
}

/** Pushes config, layer and manifest; returns the manifest digest. */
async function pushArtifact(registry: RegistryClient, reference: Reference, layer: Buffer): Promise<string> {
  await registry.pushBlob(reference, { digest: sha256Digest(CONFIG), size: 2, bytes: CONFIG });
  await registry.pushBlob(reference, { digest: sha256Digest(layer), size: layer.length, bytes: layer });
  return registry.pushManifest(reference, manifestFor(layer), 'application/vnd.oci.image.manifest.v1+json');
}

async function pullLayer(
  registry: RegistryClient,
  reference: Reference,
  dir: string,
): Promise<{ fetched: FetchedManifest; bytes: Buffer }> {
  const fetched = await registry.getManifest(reference);
  const layer = fetched.manifest?.layers[0];
  assert.ok(layer);
  const file = join(dir, `layer-${Math.random().toString(36).slice(2)}`);
  await registry.downloadBlob(fetched.reference, layer, file);
  return { fetched, bytes: readFileSync(file) };
}

describe('registry client against docker-registry without auth', () => {
  const registry = plainRegistry;
  const dir = tempDir();

  it('pushes monolithic and chunked blobs, mounts across repositories, and pulls them back verified', async () => {
    const oci = client();
    const reference = parseReference(`${registry.host}/vigil/trivy-db:2`);
    const layer = randomBytes(300_000);
    const digest = await pushArtifact(oci, reference, layer);
    const { fetched, bytes } = await pullLayer(oci, reference, dir);
    assert.equal(fetched.digest, digest);
    assert.equal(fetched.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(bytes, layer);

    const byDigest = await oci.getManifest({ ...reference, tag: undefined, digest });
    assert.deepEqual(byDigest.bytes, fetched.bytes);
    const head = await oci.headManifest(reference);
    assert.equal(head.digest, digest);

    const file = join(dir, 'chunked.bin');
    const big = randomBytes(250_000);
    writeFileSync(file, big);
    const content = { digest: sha256Digest(big), size: big.length, file };
    const other = parseReference(`${registry.host}/vigil/chunked:1`);
    assert.equal(await oci.pushBlob(other, content, { chunkSize: 100_000 }), 'uploaded');
    assert.equal(await oci.pushBlob(other, content, { chunkSize: 100_000 }), 'exists');
    assert.equal(await oci.blobExists(other, content.digest), true);
    const mounted = parseReference(`${registry.host}/vigil/mounted:1`);
    assert.equal(await oci.pushBlob(mounted, content, { mountFrom: 'vigil/chunked' }), 'mounted');
    const blob = await oci.openBlob(mounted, { mediaType: 'application/octet-stream', ...content });
    const chunks: Buffer[] = [];
    for await (const chunk of blob) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), big);
  });

  it('refuses a blob whose bytes do not match the descriptor, and keeps no file', async () => {
    const oci = client();
    const reference = parseReference(`${registry.host}/vigil/corrupt:1`);
    const layer = randomBytes(50_000);
    await pushArtifact(oci, reference, layer);
    const front = await startRegistryFront(registry.url, (request) =>
      request.path.includes('/blobs/sha256:') && request.method === 'GET' ? { kind: 'corrupt' } : { kind: 'pass' },
    );
    const viaFront = client();
    const fetched = await viaFront.getManifest({ ...reference, registry: front.host });
    const file = join(dir, 'corrupt.bin');
    await assert.rejects(
      viaFront.downloadBlob(fetched.reference, fetched.manifest?.layers[0] as never, file),
      (error: unknown) => (error as RegistryError).code === 'DIGEST_MISMATCH',
    );
    assert.throws(() => readFileSync(file), /ENOENT/);
    // A descriptor that promises fewer bytes than the registry sends fails too.
    const descriptor = fetched.manifest?.layers[0];
    assert.ok(descriptor);
    await assert.rejects(
      viaFront.downloadBlob(fetched.reference, { ...descriptor, size: descriptor.size - 1 }, file),
      (error: unknown) => (error as RegistryError).code === 'BLOB_SIZE_MISMATCH',
    );
  });

  it('refuses a blob cut short by the connection, and keeps no file', async () => {
    const oci = client();
    const reference = parseReference(`${registry.host}/vigil/cut:1`);
    await pushArtifact(oci, reference, randomBytes(200_000));
    const front = await startRegistryFront(registry.url, (request) =>
      request.path.includes('/blobs/sha256:') && request.method === 'GET'
        ? { kind: 'cut', bytes: 50_000 }
        : { kind: 'pass' },
    );
    const viaFront = client();
    const fetched = await viaFront.getManifest({ ...reference, registry: front.host });
    const file = join(dir, 'cut.bin');
    await assert.rejects(
      viaFront.downloadBlob(fetched.reference, fetched.manifest?.layers[0] as never, file),
      (error: unknown) => ['BLOB_TRUNCATED', 'NET_RESET'].includes((error as RegistryError).code),
    );
    assert.throws(() => readFileSync(file), /ENOENT/);
  });

  it('refuses a manifest that does not match the digest it was asked for', async () => {
    const oci = client();
    const reference = parseReference(`${registry.host}/vigil/pinned:1`);
    await pushArtifact(oci, reference, randomBytes(1000));
    const front = await startRegistryFront(registry.url, (request) =>
      request.path.includes('/manifests/') && request.method === 'GET' ? { kind: 'corrupt' } : { kind: 'pass' },
    );
    const digest = (await oci.headManifest(reference)).digest;
    await assert.rejects(
      client().getManifest({ registry: front.host, repository: reference.repository, digest }),
      (error: unknown) => ['DIGEST_MISMATCH', 'REGISTRY_MANIFEST_INVALID'].includes((error as RegistryError).code),
    );
  });

  it('names an unknown tag with the 404 and its registry code', async () => {
    await assert.rejects(
      client().getManifest(parseReference(`${registry.host}/vigil/absent:9`)),
      (error: unknown) =>
        error instanceof RegistryError && error.status === 404 && error.registryCodes.includes('MANIFEST_UNKNOWN'),
    );
  });

  it('reads Docker v2 manifests and resolves an OCI index to the platform asked for', async () => {
    const oci = client();
    const reference = parseReference(`${registry.host}/vigil/multi:1`);
    const manifests: Record<string, string> = {};
    for (const architecture of ['amd64', 'arm64']) {
      const config = Buffer.from(
        JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
      );
      await oci.pushBlob(reference, { digest: sha256Digest(config), size: config.length, bytes: config });
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          config: {
            mediaType: 'application/vnd.docker.container.image.v1+json',
            digest: sha256Digest(config),
            size: config.length,
          },
          layers: [],
        }),
      );
      manifests[architecture] = await oci.pushManifest(
        { ...reference, tag: architecture },
        manifest,
        'application/vnd.docker.distribution.manifest.v2+json',
      );
    }
    const docker = await oci.getManifest({ ...reference, tag: 'arm64' });
    assert.equal(docker.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(docker.manifest?.config.mediaType, 'application/vnd.docker.container.image.v1+json');
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: ['amd64', 'arm64'].map((architecture) => ({
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          digest: manifests[architecture],
          size: 0,
          platform: { os: 'linux', architecture },
        })),
      }),
    );
    await oci.pushManifest(reference, index, 'application/vnd.oci.image.index.v1+json');
    const fetchedIndex = await oci.getManifest(reference);
    assert.equal(fetchedIndex.index?.manifests.length, 2);
    const arm = await oci.getImageManifest(reference, { os: 'linux', architecture: 'arm64' });
    assert.equal(arm.digest, manifests.arm64);
    await assert.rejects(
      oci.getImageManifest(reference, { os: 'linux', architecture: 's390x' }),
      /no image for linux\/s390x/,
    );
  });

  it('refuses a manifest larger than 4 MiB without reading it all', async () => {
    const front = await startRegistryFront(registry.url, () => ({
      kind: 'respond',
      status: 200,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: ' '.repeat(5 * 1024 * 1024),
    }));
    await assert.rejects(
      client().getManifest(parseReference(`${front.host}/vigil/huge:1`)),
      (error: unknown) => (error as RegistryError).code === 'REGISTRY_MANIFEST_TOO_LARGE',
    );
  });

  it('tries a configured mirror first and falls back to the registry when the mirror fails', async () => {
    const oci = client();
    const reference = parseReference(`${registry.host}/vigil/mirrored:2`);
    const layer = randomBytes(2000);
    await pushArtifact(oci, reference, layer);
    const mirror = await startRegistryFront(registry.url);
    const broken = await startRegistryFront(registry.url, () => ({ kind: 'respond', status: 503 }));
    const http = createHttpClient({ retry: { attempts: 1 } });
    after(() => http.close());
    const viaMirror = new RegistryClient({ http, mirrors: { [registry.host]: [broken.host, mirror.host] } });
    const { fetched, bytes } = await pullLayer(viaMirror, reference, dir);
    assert.equal(fetched.reference.registry, mirror.host);
    assert.deepEqual(bytes, layer);
    assert.ok(broken.requests.length > 0, 'the broken mirror was tried first');
    assert.ok(
      mirror.requests.some((request) => request.path.includes('/blobs/')),
      'blobs come from the mirror',
    );
  });
});

describe('registry client with htpasswd over TLS', () => {
  const registry = tlsRegistry;
  const dir = tempDir();

  it('rejects the self-signed certificate with a --cacert hint, then works with --cacert', async () => {
    const reference = parseReference(`${registry.host}/vigil/trivy-db:2`);
    await assert.rejects(
      client().getManifest(reference),
      (error: unknown) =>
        error instanceof NetworkError && error.failure === 'tls-untrusted' && /--cacert/.test(error.hint ?? ''),
    );
    const anonymous = client({ caFiles: [registry.caFile as string] });
    await assert.rejects(
      anonymous.getManifest(reference),
      (error: unknown) => error instanceof RegistryError && error.status === 401 && /--username/.test(error.hint ?? ''),
    );
  });

  it('tries each credential in order: a wrong pair is refused, the next one works', async () => {
    const credentials = staticCredentials([
      { kind: 'basic', username: registry.username, password: 'wrong', origin: 'pair 1' },
      { kind: 'basic', username: registry.username, password: registry.password, origin: 'pair 2' },
    ]);
    const oci = client({ credentials, caFiles: [registry.caFile as string] });
    const reference = parseReference(`${registry.host}/vigil/trivy-db:2`);
    const layer = randomBytes(10_000);
    await pushArtifact(oci, reference, layer);
    assert.deepEqual((await pullLayer(oci, reference, dir)).bytes, layer);
  });

  it('with --insecure skips certificate checks', async () => {
    const credentials = staticCredentials([
      { kind: 'basic', username: registry.username, password: registry.password, origin: 'pair' },
    ]);
    const head = await client({ credentials, insecure: true }).headManifest(
      parseReference(`${registry.host}/vigil/trivy-db:2`),
    );
    assert.match(head.digest, /^sha256:/);
  });
});

describe('registry client with plain-HTTP htpasswd on loopback', () => {
  it('falls back from https to http for a loopback registry and sends Basic credentials', async () => {
    const registry = htpasswdRegistry;
    const credentials = staticCredentials([
      { kind: 'basic', username: registry.username, password: registry.password, origin: 'pair' },
    ]);
    const oci = client({ credentials });
    const reference = parseReference(`${registry.host}/vigil/plain:1`);
    const layer = randomBytes(5000);
    await pushArtifact(oci, reference, layer);
    assert.deepEqual((await pullLayer(oci, reference, tempDir())).bytes, layer);
  });
});

describe('registry client with token auth', () => {
  const registry = tokenRegistry;
  const dir = tempDir();

  it('pushes with Basic credentials at the token service (scope pull,push) and pulls anonymously', async () => {
    const tokens = registry.tokenServer;
    assert.ok(tokens);
    const pusher = client({
      credentials: staticCredentials([
        { kind: 'basic', username: registry.username, password: registry.password, origin: 'pair' },
      ]),
    });
    const reference = parseReference(`${registry.host}/vigil/trivy-db:2`);
    const layer = randomBytes(20_000);
    await pushArtifact(pusher, reference, layer);
    assert.ok(
      tokens.requests.some(
        (r) => r.user === registry.username && r.scopes.includes('repository:vigil/trivy-db:pull,push'),
      ),
      JSON.stringify(tokens.requests),
    );
    const anonymous = client();
    assert.deepEqual((await pullLayer(anonymous, reference, dir)).bytes, layer);
    assert.ok(
      tokens.requests.some((r) => r.grant === 'anonymous' && r.scopes.includes('repository:vigil/trivy-db:pull')),
    );
    // Anonymous callers may not push: the registry refuses with 401.
    await assert.rejects(
      anonymous.pushBlob(parseReference(`${registry.host}/vigil/other:1`), {
        digest: sha256Digest(CONFIG),
        size: 2,
        bytes: CONFIG,
      }),
      (error: unknown) => error instanceof RegistryError && error.status === 401,
    );
  });

  it('widens the token scope when the registry asks for more (insufficient_scope)', async () => {
    const tokens = registry.tokenServer;
    assert.ok(tokens);
    const http = createHttpClient();
    after(() => http.close());
    const session = new RegistrySession({
      http,
      credentials: staticCredentials([
        { kind: 'basic', username: registry.username, password: registry.password, origin: 'pair' },
      ]),
      logger: silentLogger,
    });
    const target = { registry: registry.host, repository: 'vigil/rescoped' };
    // Ask for a pull-only token, then push: the registry's 401 names repository:vigil/rescoped:pull,push.
    const response = await session.send(target, { actions: ['pull'] }, (base) => ({
      url: `${base}/v2/vigil/rescoped/blobs/uploads/`,
      method: 'POST',
    }));
    assert.equal(response.status, 202);
    await response.discard();
    // The registry names the actions in no fixed order (push,pull or pull,push); the scope is passed on as given.
    const sortedActions = (scope: string) =>
      scope.replace(/:([a-z*,]+)$/, (_, actions: string) => `:${actions.split(',').sort().join(',')}`);
    const scopes = tokens.requests
      .filter((r) => r.scopes.some((scope) => scope.startsWith('repository:vigil/rescoped')))
      .map((r) => r.scopes.map(sortedActions));
    assert.deepEqual(scopes, [
      ['repository:vigil/rescoped:pull'],
      ['repository:vigil/rescoped:pull', 'repository:vigil/rescoped:pull,push'],
    ]);
  });

  it('exchanges an identity token with the refresh_token grant (token in access_token only)', async () => {
    const tokens = registry.tokenServer;
    assert.ok(tokens);
    const oci = client({
      credentials: staticCredentials([{ kind: 'identity-token', token: 'refresh-token-for-ci', origin: 'identity' }]),
    });
    const reference = parseReference(`${registry.host}/vigil/identity:1`);
    const layer = randomBytes(3000);
    await pushArtifact(oci, reference, layer);
    assert.ok(
      tokens.requests.some((r) => r.grant === 'refresh_token' && r.user === registry.username && r.status === 200),
    );
    assert.deepEqual((await pullLayer(oci, reference, dir)).bytes, layer);
  });

  it('sends a registry token as it is, and falls back past a refused credential', async () => {
    const tokens = registry.tokenServer;
    assert.ok(tokens);
    const realm = new URL(tokens.realm);
    realm.searchParams.set('service', tokens.service);
    realm.searchParams.set('scope', 'repository:vigil/trivy-db:pull');
    const response = await fetch(realm);
    const token = ((await response.json()) as { token: string }).token;
    const withToken = client({
      credentials: staticCredentials([{ kind: 'registry-token', token, origin: '--registry-token' }]),
    });
    const head = await withToken.headManifest(parseReference(`${registry.host}/vigil/trivy-db:2`));
    assert.match(head.digest, /^sha256:/);
    const refusedFirst = client({
      credentials: staticCredentials([
        { kind: 'basic', username: 'nobody', password: 'nothing', origin: 'bad pair' },
        { kind: 'anonymous', origin: 'anonymous' },
      ]),
    });
    assert.equal(
      (await refusedFirst.headManifest(parseReference(`${registry.host}/vigil/trivy-db:2`))).digest,
      head.digest,
    );
  });
});
