import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { locationTag } from '../../../src/airgap/store/index.ts';
import { cacheLayout } from '../../../src/cache/layout.ts';
import {
  type ArtifactDeps,
  ensureChecksBundle,
  ensureJavaDb,
  ensureVulnDb,
  parseArtifactRepositories,
  pullArtifactNow,
} from '../../../src/db/artifact/index.ts';
import { openTrivyDb } from '../../../src/db/trivydb/index.ts';
import type { VigilError } from '../../../src/errors/index.ts';
import { createLogger, silentLogger } from '../../../src/log/index.ts';
import { createHttpClient } from '../../../src/net/index.ts';
import { parseReference, RegistryClient } from '../../../src/oci/registry/index.ts';
import { freePort, startTestRegistry } from '../../helpers/registry.ts';
import {
  makeChecksArchive,
  makeDbArchive,
  makeJavaDbArchive,
  pushDbArtifact,
  pushRawArtifact,
  writeTarGz,
} from '../../helpers/registry-db-artifact.ts';
import { startRegistryFront } from '../../helpers/registry-front.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');
const root = tempDir();
const registry = await startTestRegistry('noauth', join(root, 'registry'));
after(() => registry.stop());

const setupHttp = createHttpClient({ retry: { attempts: 1 } });
const publisher = new RegistryClient({ http: setupHttp });
const ref = (path: string) => parseReference(`${registry.host}/${path}`);
const fresh = {
  updatedAt: new Date(NOW.getTime() - 2 * 3_600_000),
  nextUpdate: new Date(NOW.getTime() + 20 * 3_600_000),
};

const dbA = await makeDbArchive(join(root, 'a'), { ...fresh, marker: 'CVE-2026-1111' });
const dbB = await makeDbArchive(join(root, 'b'), { ...fresh, marker: 'CVE-2026-2222' });
await pushDbArtifact(publisher, ref('good/trivy-db:2'), dbA, 'db');
await pushDbArtifact(publisher, ref('newer/trivy-db:2'), dbB, 'db');
await pushDbArtifact(
  publisher,
  ref('java/trivy-java-db:1'),
  await makeJavaDbArchive(join(root, 'java'), fresh),
  'java-db',
);
await pushDbArtifact(publisher, ref('checks/trivy-checks:2'), await makeChecksArchive(join(root, 'checks')), 'checks', {
  'org.opencontainers.image.version': '2.3.0',
});
await pushDbArtifact(
  publisher,
  ref('custom/trivy-checks:latest'),
  await makeChecksArchive(join(root, 'custom'), 'custom'),
  'checks',
);
await setupHttp.close();

interface Harness {
  readonly deps: ArtifactDeps;
  readonly logs: string[];
  readonly sleeps: number[];
}

function harness(now: Date = NOW): Harness {
  const logs: string[] = [];
  const sleeps: number[] = [];
  const http = createHttpClient({
    retry: { attempts: 3 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  after(() => http.close());
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  return { deps: { registry: new RegistryClient({ http, logger }), logger, now: () => now }, logs, sleeps };
}

const repos = (...values: string[]) => parseArtifactRepositories('db', values, silentLogger);
const hasCode =
  (code: string, ...patterns: RegExp[]) =>
  (error: unknown) => {
    assert.equal((error as VigilError).code, code, (error as Error).message);
    for (const pattern of patterns) assert.match(`${(error as Error).message}\n${(error as VigilError).hint}`, pattern);
    return true;
  };

/** Which of the two test DBs is installed, read back through Vigil's trivy-db reader. */
function marker(path: string): string[] {
  const db = openTrivyDb(path);
  try {
    return ['CVE-2026-1111', 'CVE-2026-2222'].filter((id) => db.vulnerability(id) !== undefined);
  } finally {
    db.close();
  }
}

describe('vulnerability DB lifecycle against a real registry', () => {
  it('downloads on first use, writes DownloadedAt and the source sidecar, then uses the cache without a connection', async () => {
    const cacheDir = tempDir();
    const front = await startRegistryFront(registry.url);
    const { deps } = harness();
    const db = await ensureVulnDb({ cacheDir, repositories: repos(`${front.host}/good/trivy-db`) }, deps);
    assert.equal(db.downloaded, true);
    assert.deepEqual(marker(db.path), ['CVE-2026-1111']);
    const metadata = JSON.parse(readFileSync(db.metadataPath, 'utf8'));
    assert.equal(metadata.DownloadedAt, '2026-06-01T12:00:00Z');
    assert.equal(metadata.Version, 2);
    assert.equal(db.source?.Repository, `${front.host}/good/trivy-db:2`);
    assert.match(db.source?.ManifestDigest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(readdirSync(cacheLayout(cacheDir).downloadsDir), [], 'nothing left in staging');

    const connections = front.connections;
    const again = await ensureVulnDb({ cacheDir, repositories: repos(`${front.host}/good/trivy-db`) }, harness().deps);
    assert.equal(again.downloaded, false);
    assert.equal(front.connections, connections, 'a fresh DB needs no connection');
  });

  it('--skip-db-update with no DB: the first-run error naming the files and the command', async () => {
    const cacheDir = tempDir();
    await assert.rejects(
      ensureVulnDb(
        { cacheDir, skipUpdate: true, repositories: repos(`${registry.host}/good/trivy-db`) },
        harness().deps,
      ),
      hasCode(
        'DB_FIRST_RUN',
        /--skip-db-update cannot be specified on the first run/,
        new RegExp(`${cacheDir}/db/trivy\\.db and ${cacheDir}/db/metadata\\.json`),
        /vigil db pull/,
      ),
    );
  });

  it('uses a cache filled by hand (zero DownloadedAt) with --skip-db-update, byte for byte', async () => {
    const cacheDir = tempDir();
    const dir = join(cacheDir, 'db');
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', dbA, '-C', dir]);
    const before = readFileSync(join(dir, 'metadata.json'), 'utf8');
    const db = await ensureVulnDb({ cacheDir, skipUpdate: true }, harness().deps);
    assert.equal(db.downloaded, false);
    assert.deepEqual(marker(db.path), ['CVE-2026-1111']);
    assert.equal(readFileSync(join(dir, 'metadata.json'), 'utf8'), before);
    assert.equal(db.source, undefined);

    // Without the flag the zero DownloadedAt means "download again", with a warning.
    const { deps, logs } = harness();
    const updated = await ensureVulnDb({ cacheDir, repositories: repos(`${registry.host}/newer/trivy-db`) }, deps);
    assert.equal(updated.downloaded, true);
    assert.deepEqual(marker(updated.path), ['CVE-2026-2222']);
    assert.ok(logs.some((line) => /WARN.*has no download time.*--skip-db-update/.test(line)));
  });

  it('falls back past a refused connection and a 404 to the next repository, logging each reason', async () => {
    const cacheDir = tempDir();
    const closed = await freePort();
    const { deps, logs } = harness();
    const db = await ensureVulnDb(
      {
        cacheDir,
        repositories: repos(
          `127.0.0.1:${closed}/x/trivy-db`,
          `${registry.host}/absent/trivy-db`,
          `${registry.host}/good/trivy-db`,
        ),
      },
      deps,
    );
    assert.equal(db.source?.Repository, `${registry.host}/good/trivy-db:2`);
    assert.ok(logs.some((line) => line.includes(`127.0.0.1:${closed}/x/trivy-db:2 failed: connection refused`)));
    assert.ok(
      logs.some((line) =>
        /absent\/trivy-db:2 failed: .*MANIFEST_UNKNOWN|absent\/trivy-db:2 failed: .*NAME_UNKNOWN/.test(line),
      ),
    );
  });

  it('ends with one error listing every repository and its reason', async () => {
    const closed = await freePort();
    await assert.rejects(
      ensureVulnDb(
        {
          cacheDir: tempDir(),
          repositories: repos(`127.0.0.1:${closed}/x/trivy-db`, `${registry.host}/absent/trivy-db:2`),
        },
        harness().deps,
      ),
      hasCode(
        'DB_DOWNLOAD_FAILED',
        new RegExp(`127\\.0\\.0\\.1:${closed}/x/trivy-db:2: connection refused`),
        /absent\/trivy-db:2: manifest/,
      ),
    );
  });

  it('retries a 429 after its Retry-After and then succeeds', async () => {
    const front = await startRegistryFront(registry.url, (request) =>
      request.path.includes('/manifests/') && request.count === 1
        ? {
            kind: 'respond',
            status: 429,
            headers: { 'retry-after': '2' },
            body: '{"errors":[{"code":"TOOMANYREQUESTS"}]}',
          }
        : { kind: 'pass' },
    );
    const { deps, sleeps } = harness();
    const db = await ensureVulnDb({ cacheDir: tempDir(), repositories: repos(`${front.host}/good/trivy-db`) }, deps);
    assert.equal(db.downloaded, true);
    assert.deepEqual(sleeps, [2000]);
  });

  it('moves on from a rate-limited repository whose Retry-After is too long', async () => {
    const limited = await startRegistryFront(registry.url, () => ({
      kind: 'respond',
      status: 429,
      headers: { 'retry-after': '3600' },
    }));
    const { deps, logs } = harness();
    const db = await ensureVulnDb(
      { cacheDir: tempDir(), repositories: repos(`${limited.host}/good/trivy-db`, `${registry.host}/good/trivy-db`) },
      deps,
    );
    assert.equal(db.source?.Repository, `${registry.host}/good/trivy-db:2`);
    assert.ok(logs.some((line) => /failed: .*HTTP 429/.test(line)));
  });

  it('refuses a corrupted blob and keeps the previous DB untouched', async () => {
    const cacheDir = tempDir();
    await ensureVulnDb({ cacheDir, repositories: repos(`${registry.host}/good/trivy-db`) }, harness().deps);
    const paths = cacheLayout(cacheDir);
    const before = { db: readFileSync(paths.vulnDbFile), metadata: readFileSync(paths.vulnDbMetadata, 'utf8') };
    const corrupt = await startRegistryFront(registry.url, (request) =>
      request.path.includes('/blobs/') && request.method === 'GET' ? { kind: 'corrupt' } : { kind: 'pass' },
    );
    await assert.rejects(
      pullArtifactNow('db', { cacheDir, repositories: repos(`${corrupt.host}/newer/trivy-db`) }, harness().deps),
      hasCode('DB_DOWNLOAD_FAILED', /digest is sha256:/),
    );
    assert.deepEqual(readFileSync(paths.vulnDbFile), before.db);
    assert.equal(readFileSync(paths.vulnDbMetadata, 'utf8'), before.metadata);
    assert.deepEqual(readdirSync(paths.downloadsDir), []);
    // A failed update with a usable DB in the cache: the scan goes on with it, and says so.
    const { deps, logs } = harness(new Date(NOW.getTime() + 2 * DAY));
    const db = await ensureVulnDb({ cacheDir, repositories: repos(`${corrupt.host}/newer/trivy-db`) }, deps);
    assert.equal(db.downloaded, false);
    assert.deepEqual(marker(db.path), ['CVE-2026-1111']);
    assert.ok(logs.some((line) => /WARN.*using the vulnerability DB already in the cache/.test(line)));
  });

  it('refuses artifacts that are not a trivy-db: layers, media type, title, schema, file format', async () => {
    const dir = tempDir();
    const notBolt = await writeTarGz(join(dir, 'db.tar.gz'), [
      { name: 'trivy.db', content: Buffer.alloc(8192, 1) },
      { name: 'metadata.json', content: '{"Version":2}' },
    ]);
    const schemaOne = await makeDbArchive(join(dir, 'one'), { ...fresh, version: 1 });
    const dbType = 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip';
    const cases: Array<[string, Array<{ file: string; mediaType: string; title?: string }>, RegExp]> = [
      [
        'two-layers',
        [
          { file: dbA, mediaType: dbType, title: 'db.tar.gz' },
          { file: dbB, mediaType: dbType, title: 'db.tar.gz' },
        ],
        /single layer \(it has 2\)/,
      ],
      [
        'wrong-type',
        [{ file: dbA, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', title: 'db.tar.gz' }],
        /unacceptable media type/,
      ],
      ['no-title', [{ file: dbA, mediaType: dbType }], /org\.opencontainers\.image\.title is missing/],
      ['bad-title', [{ file: dbA, mediaType: dbType, title: '../db.tar.gz' }], /not a plain file name/],
      ['schema-one', [{ file: schemaOne, mediaType: dbType, title: 'db.tar.gz' }], /schema 1 vulnerability DB/],
      ['not-bolt', [{ file: notBolt, mediaType: dbType, title: 'db.tar.gz' }], /not a bbolt database/],
    ];
    const http = createHttpClient();
    after(() => http.close());
    const pusher = new RegistryClient({ http });
    for (const [name, layers, pattern] of cases) {
      await pushRawArtifact(pusher, ref(`refused/${name}:2`), layers);
      await assert.rejects(
        ensureVulnDb({ cacheDir: tempDir(), repositories: repos(`${registry.host}/refused/${name}`) }, harness().deps),
        hasCode('DB_DOWNLOAD_FAILED', pattern),
        name,
      );
    }
  });

  it('logs the age, warns past a week and refuses past --db-max-age', async () => {
    const cacheDir = tempDir();
    await ensureVulnDb({ cacheDir, repositories: repos(`${registry.host}/good/trivy-db`) }, harness().deps);
    const later = new Date(NOW.getTime() + 10 * DAY);
    const { deps, logs } = harness(later);
    await ensureVulnDb({ cacheDir, skipUpdate: true }, deps);
    assert.ok(
      logs.some((line) => /WARN.*vulnerability DB was built .* \(10d2h ago\)/.test(line)),
      logs.join(''),
    );
    await assert.rejects(
      ensureVulnDb({ cacheDir, skipUpdate: true, maxAgeMs: 3 * DAY }, harness(later).deps),
      hasCode('DB_TOO_OLD', /older than --db-max-age 3d0h/, /vigil db pull/),
    );
  });

  it('vigil db pull only refreshes DownloadedAt when the registry serves the cached manifest', async () => {
    const cacheDir = tempDir();
    const front = await startRegistryFront(registry.url);
    const options = { cacheDir, repositories: repos(`${front.host}/good/trivy-db`) };
    assert.equal((await pullArtifactNow('db', options, harness().deps)).status, 'downloaded');
    const later = new Date(NOW.getTime() + DAY);
    const outcome = await pullArtifactNow('db', options, harness(later).deps);
    assert.equal(outcome.status, 'unchanged');
    // One layer download in all: the config blob is never fetched, and the second pull fetches nothing.
    assert.equal(front.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/')).length, 1);
    const metadata = JSON.parse(readFileSync(cacheLayout(cacheDir).vulnDbMetadata, 'utf8'));
    assert.equal(metadata.DownloadedAt, '2026-06-02T12:00:00Z');
  });
});

describe('Java DB and checks bundle lifecycle', () => {
  it('downloads the Java DB (SQLite) and honours its rules', async () => {
    const cacheDir = tempDir();
    const repositories = parseArtifactRepositories('java-db', [`${registry.host}/java/trivy-java-db`], silentLogger);
    const java = await ensureJavaDb({ cacheDir, repositories }, harness().deps);
    assert.equal(java.downloaded, true);
    assert.equal(readFileSync(java.path).subarray(0, 15).toString(), 'SQLite format 3');
    assert.equal(java.metadata.Version, 1);
    await assert.rejects(
      ensureJavaDb({ cacheDir: tempDir(), skipUpdate: true, repositories }, harness().deps),
      hasCode('DB_FIRST_RUN', /'--skip-java-db-update' cannot be specified on the first run/, /vigil db pull --java/),
    );
  });

  it('installs the checks bundle with its major version, and a custom build without one', async () => {
    const cacheDir = tempDir();
    const repositories = parseArtifactRepositories('checks', [`${registry.host}/checks/trivy-checks:2`], silentLogger);
    const checks = await ensureChecksBundle({ cacheDir, repositories }, harness().deps);
    assert.equal(checks.downloaded, true);
    assert.match(
      readFileSync(join(checks.path, 'policies/docker/policies/user.rego'), 'utf8'),
      /package builtin\.docker\.user/,
    );
    assert.deepEqual(
      { ...checks.metadata, Digest: undefined },
      { Digest: undefined, DownloadedAt: '2026-06-01T12:00:00Z', MajorVersion: 2 },
    );
    assert.equal(checks.metadata?.Digest, checks.source?.ManifestDigest);

    const custom = parseArtifactRepositories('checks', [`${registry.host}/custom/trivy-checks`], silentLogger);
    assert.equal(custom[0] && locationTag(custom[0]), 'latest');
    const otherCache = tempDir();
    const built = await ensureChecksBundle({ cacheDir: otherCache, repositories: custom }, harness().deps);
    assert.equal(built.metadata?.MajorVersion, 0);
    assert.equal(built.metadata?.CustomBuild, true);
    assert.equal(
      readFileSync(cacheLayout(otherCache).checksMetadata, 'utf8'),
      `{"Digest":"${built.metadata?.Digest}","DownloadedAt":"2026-06-01T12:00:00Z","MajorVersion":0,"CustomBuild":true}\n`,
    );
  });

  it('after a day compares digests: the same digest refreshes DownloadedAt without downloading', async () => {
    const cacheDir = tempDir();
    const front = await startRegistryFront(registry.url);
    const repositories = parseArtifactRepositories('checks', [`${front.host}/checks/trivy-checks:2`], silentLogger);
    await ensureChecksBundle({ cacheDir, repositories }, harness().deps);
    const blobGets = () => front.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/')).length;
    const before = blobGets();
    const later = new Date(NOW.getTime() + 2 * DAY);
    const checks = await ensureChecksBundle({ cacheDir, repositories }, harness(later).deps);
    assert.equal(checks.downloaded, false);
    assert.equal(blobGets(), before);
    assert.equal(checks.metadata?.DownloadedAt, '2026-06-03T12:00:00Z');
    await assert.rejects(
      ensureChecksBundle({ cacheDir: tempDir(), skipUpdate: true }, harness().deps),
      hasCode('CHECKS_MISSING', /cache does not exist at/),
    );
  });
});
