import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { isVigilError } from '../../src/errors/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import { createHttpClient, type NetworkPolicy } from '../../src/net/index.ts';
import {
  applyVex,
  buildRepository,
  loadVexSources,
  openLocalRepository,
  type RepositoryConfigEntry,
  type RepositoryNetwork,
  readCacheMetadata,
  updateRepository,
} from '../../src/vex/index.ts';
import { type StaticServer, selfSignedCertificate, startStaticServer } from '../helpers/http-server.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { fixture } from './fixtures.ts';

const BASH_FINDING = { VulnerabilityID: 'CVE-2022-3715', PkgName: 'bash', PURL: 'pkg:deb/debian/bash@5.3' };
const HOUR = 3_600_000;
const NO_RETRY: NetworkPolicy = { env: {}, retry: { attempts: 1 } };

function network(policy: NetworkPolicy = {}): RepositoryNetwork {
  return {
    http: createHttpClient({ ...NO_RETRY, ...policy }),
    insecureHttp: createHttpClient({ ...NO_RETRY, ...policy, insecure: true }),
  };
}

function entry(server: StaticServer, extra: Partial<RepositoryConfigEntry> = {}): RepositoryConfigEntry {
  return { name: 'local', url: server.url, enabled: true, insecure: false, ...extra };
}

/** A clock the test moves by hand. */
function clock(start = Date.parse('2025-03-01T00:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** Builds a served repository from the given OpenVEX documents with `vigil vex repo build`'s code. */
async function site(root: string, documents: Record<string, unknown>, baseUrl?: string) {
  const input = join(root, 'input');
  mkdirSync(input, { recursive: true });
  for (const [name, json] of Object.entries(documents)) writeFileSync(join(input, name), JSON.stringify(json));
  return buildRepository(input, join(root, 'site'), { baseUrl, name: 'test', now: () => new Date(0) });
}

const notAffectedBash = JSON.parse(
  readFileSync(fixture('trivy/single-repo/vex/repositories/default/0.1/bash-vex.json'), 'utf8'),
);
const affectedBash = JSON.parse(
  readFileSync(fixture('trivy/multi-repos/vex/repositories/high-priority/0.1/bash-vex.json'), 'utf8'),
);

function suppressesBash(repositoriesDir: string): boolean {
  const repository = openLocalRepository(join(repositoriesDir, 'local'), {
    name: 'local',
    url: 'x',
    logger: silentLogger,
  });
  return applyVex([BASH_FINDING], [repository]).suppressed.length === 1;
}

test('plain HTTP: download, then the interval is respected, then a 304 keeps the cache', async () => {
  const dir = tempDir();
  await site(dir, { 'bash.json': notAffectedBash });
  const server = await startStaticServer({ root: join(dir, 'site') });
  after(() => server.close());
  const cache = join(dir, 'cache');
  const time = clock();
  const options = { repositoriesDir: cache, network: network(), now: time.now, logger: silentLogger };

  const first = await updateRepository(entry(server), options);
  assert.equal(first.status, 'downloaded');
  for (const file of ['vex-repository.json', 'cache.json', '0.1/index.json']) {
    assert.ok(existsSync(join(cache, 'local', file)), file);
  }
  assert.ok(suppressesBash(cache));
  const metadata = await readCacheMetadata(join(cache, 'local'));
  assert.equal(metadata.UpdatedAt, '2025-03-01T00:00:00.000Z');
  assert.ok(metadata.ETags['../vex-repository.tar.gz']);

  // Within the 24h interval: no request at all.
  const before = server.requests.length;
  time.advance(23 * HOUR);
  assert.equal((await updateRepository(entry(server), options)).status, 'up-to-date');
  assert.equal(server.requests.length, before);

  // After it: the manifest is fetched again and the archive answers 304; the cache stays and works.
  time.advance(2 * HOUR);
  const third = await updateRepository(entry(server), options);
  assert.equal(third.status, 'not-modified');
  const recent = server.requests.slice(before);
  assert.deepEqual(
    recent.map((r) => [r.path, r.status]),
    [
      ['/.well-known/vex-repository.json', 304],
      ['/vex-repository.tar.gz', 304],
    ],
  );
  assert.equal(recent[1]?.headers['if-none-match'], metadata.ETags['../vex-repository.tar.gz']);
  assert.ok(suppressesBash(cache), 'a 304 keeps the cached content (Trivy deletes it)');
  assert.equal((await readCacheMetadata(join(cache, 'local'))).UpdatedAt, '2025-03-02T01:00:00.000Z');
});

test('new content on the server replaces the cache after the interval; a changed manifest is followed', async () => {
  const dir = tempDir();
  await site(dir, { 'bash.json': notAffectedBash });
  const server = await startStaticServer({ root: join(dir, 'site') });
  after(() => server.close());
  const cache = join(dir, 'cache');
  const time = clock();
  const options = { repositoriesDir: cache, network: network(), now: time.now, logger: silentLogger };
  await updateRepository(entry(server), options);
  assert.ok(suppressesBash(cache));
  // The publisher now says "affected" and moves the archive to another path, with a shorter interval.
  await site(dir, { 'bash.json': affectedBash });
  const manifestPath = join(dir, 'site', '.well-known', 'vex-repository.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  mkdirSync(join(dir, 'site', 'v2'), { recursive: true });
  cpSync(join(dir, 'site', 'vex-repository.tar.gz'), join(dir, 'site', 'v2', 'repo.tar.gz'));
  manifest.versions[0].locations = [{ url: `${server.url}/v2/repo.tar.gz` }];
  manifest.versions[0].update_interval = '1h';
  writeFileSync(manifestPath, JSON.stringify(manifest));
  time.advance(25 * HOUR);
  const outcome = await updateRepository(entry(server), options);
  assert.equal(outcome.status, 'downloaded');
  assert.equal(outcome.location, `${server.url}/v2/repo.tar.gz`);
  assert.equal(suppressesBash(cache), false);
  // The new 1h interval from the refreshed manifest now applies.
  time.advance(2 * HOUR);
  assert.notEqual((await updateRepository(entry(server), options)).status, 'up-to-date');
});

test('TLS with a self-signed certificate: refused without its CA, works with --cacert or insecure: true', async () => {
  const dir = tempDir();
  const tls = selfSignedCertificate(dir);
  await site(dir, { 'bash.json': notAffectedBash });
  const server = await startStaticServer({ root: join(dir, 'site'), tls });
  after(() => server.close());
  const time = clock();
  const base = { now: time.now, logger: silentLogger };
  await assert.rejects(
    updateRepository(entry(server), { ...base, repositoriesDir: join(dir, 'c1'), network: network() }),
    (error: unknown) => isVigilError(error),
  );
  assert.ok(!existsSync(join(dir, 'c1', 'local', '0.1')));
  const trusted = await updateRepository(entry(server), {
    ...base,
    repositoriesDir: join(dir, 'c2'),
    network: network({ caFiles: [tls.certPath] }),
  });
  assert.equal(trusted.status, 'downloaded');
  assert.ok(suppressesBash(join(dir, 'c2')));
  const insecure = await updateRepository(entry(server, { insecure: true }), {
    ...base,
    repositoriesDir: join(dir, 'c3'),
    network: network(),
  });
  assert.equal(insecure.status, 'downloaded');
});

test('Basic and token auth: credentials from repository.yaml are sent; wrong ones fail with a hint', async () => {
  const dir = tempDir();
  await site(dir, { 'bash.json': notAffectedBash });
  const basic = await startStaticServer({
    root: join(dir, 'site'),
    basicAuth: { username: 'vex', password: 's3cret' },
  });
  const bearer = await startStaticServer({ root: join(dir, 'site'), token: 'tok-123' });
  after(() => Promise.all([basic.close(), bearer.close()]));
  const options = (name: string) => ({
    repositoriesDir: join(dir, name),
    network: network(),
    now: clock().now,
    logger: silentLogger,
  });
  assert.equal(
    (await updateRepository(entry(basic, { username: 'vex', password: 's3cret' }), options('b1'))).status,
    'downloaded',
  );
  assert.ok(
    basic.requests.every((r) => r.headers.authorization === `Basic ${Buffer.from('vex:s3cret').toString('base64')}`),
  );
  await assert.rejects(
    updateRepository(entry(basic, { username: 'vex', password: 'wrong' }), options('b2')),
    (error: unknown) =>
      isVigilError(error) && /HTTP 401/.test(error.message) && /repository\.yaml/.test(error.hint ?? ''),
  );
  assert.equal((await updateRepository(entry(bearer, { token: 'tok-123' }), options('t1'))).status, 'downloaded');
  assert.ok(bearer.requests.every((r) => r.headers.authorization === 'Bearer tok-123'));
});

test('locations are tried in order; a failed update keeps the previous copy and the scan says so', async () => {
  const dir = tempDir();
  const built = await site(dir, { 'bash.json': notAffectedBash });
  let failArchive = false;
  const server = await startStaticServer({
    root: join(dir, 'site'),
    intercept: (request, response) => {
      if (request.url === '/broken.tar.gz' || (failArchive && request.url === '/vex-repository.tar.gz')) {
        response.writeHead(503).end('down');
        return true;
      }
      return false;
    },
  });
  after(() => server.close());
  const manifestPath = join(dir, 'site', '.well-known', 'vex-repository.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.versions[0].locations = [{ url: `${server.url}/broken.tar.gz` }, { url: built.location }];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const cache = join(dir, 'cache');
  const time = clock();
  const options = { repositoriesDir: cache, network: network(), now: time.now, logger: silentLogger };
  const first = await updateRepository(entry(server), options);
  assert.equal(first.location, '../vex-repository.tar.gz');
  assert.deepEqual(
    server.requests.map((r) => [r.path, r.status]),
    [
      ['/.well-known/vex-repository.json', 200],
      ['/broken.tar.gz', 503],
      ['/vex-repository.tar.gz', 200],
    ],
  );
  failArchive = true;
  time.advance(48 * HOUR);
  await assert.rejects(updateRepository(entry(server), options), /every location failed/);
  assert.ok(suppressesBash(cache), 'the previous copy is untouched');
  // The scan path: the repository is applied from the stale cache and the report says why.
  const home = join(dir, 'home');
  mkdirSync(join(home, 'vex'), { recursive: true });
  writeFileSync(join(home, 'vex', 'repository.yaml'), `repositories:\n  - name: local\n    url: ${server.url}\n`);
  const loaded = await loadVexSources({
    values: ['repo'],
    repositoriesDir: cache,
    vigilHome: home,
    skipRepositoryUpdate: false,
    offline: false,
    network: options.network,
    now: time.now,
    logger: silentLogger,
  });
  assert.equal(applyVex([BASH_FINDING], loaded.sources).suppressed.length, 1);
  const [report] = loaded.report();
  assert.equal(report?.status, 'applied');
  assert.match(report?.reason ?? '', /update failed: .*every location failed.*using the copy checked at 2025-03-01/);
});

test('--offline and --skip-vex-repo-update: cache only, no connection; a missing cache is reported, not silent', async () => {
  const dir = tempDir();
  await site(dir, { 'bash.json': notAffectedBash });
  const server = await startStaticServer({ root: join(dir, 'site') });
  after(() => server.close());
  const home = join(dir, 'home');
  mkdirSync(join(home, 'vex'), { recursive: true });
  writeFileSync(join(home, 'vex', 'repository.yaml'), `repositories:\n  - name: local\n    url: ${server.url}\n`);
  const cache = join(dir, 'cache');
  const load = (offline: boolean, skip: boolean) =>
    loadVexSources({
      values: ['repo'],
      repositoriesDir: cache,
      vigilHome: home,
      skipRepositoryUpdate: skip,
      offline,
      network: network({ offline }),
      now: clock().now,
      logger: silentLogger,
    });
  const missing = await load(true, false);
  assert.equal(missing.sources.length, 0);
  assert.deepEqual(
    missing.report().map((r) => [r.name, r.status]),
    [['repository local', 'unavailable']],
  );
  assert.match(
    missing.report()[0]?.reason ?? '',
    /not downloaded, and updates are off \(--offline\).*vigil vex repo download local/,
  );
  assert.equal(server.connections(), 0);
  await load(false, false);
  const connections = server.connections();
  assert.ok(connections > 0);
  for (const [offline, skip] of [
    [true, false],
    [false, true],
  ] as const) {
    const cached = await load(offline, skip);
    assert.equal(cached.report()[0]?.status, 'applied');
    assert.equal(applyVex([BASH_FINDING], cached.sources).suppressed.length, 1);
  }
  assert.equal(server.connections(), connections);
});

test('an archive with path traversal from the server is refused and the cache stays as it was', async () => {
  const dir = tempDir();
  await site(dir, { 'bash.json': notAffectedBash });
  const server = await startStaticServer({ root: join(dir, 'site') });
  after(() => server.close());
  const cache = join(dir, 'cache');
  const time = clock();
  const options = { repositoriesDir: cache, network: network(), now: time.now, logger: silentLogger };
  await updateRepository(entry(server), options);
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const ended = new Promise<void>((resolve) => tar.on('end', () => resolve()));
  tar.entry({ name: 'index.json' }, '{"packages":[]}');
  tar.entry({ name: '../../../escaped.json' }, '{}');
  tar.finalize();
  await ended;
  writeFileSync(join(dir, 'site', 'vex-repository.tar.gz'), gzipSync(Buffer.concat(chunks)));
  time.advance(25 * HOUR);
  await assert.rejects(updateRepository(entry(server), options), /escapes the archive/);
  assert.ok(!existsSync(join(cache, 'escaped.json')) && !existsSync(join(dir, 'escaped.json')));
  assert.ok(suppressesBash(cache));
});

test('the real VEX Hub data, served the way GitHub serves it (tarball with a top folder, //subdir)', async () => {
  const dir = tempDir();
  const served = join(dir, 'served');
  mkdirSync(join(served, '.well-known'), { recursive: true });
  cpSync(fixture('vexhub'), join(dir, 'tree', 'vexhub-main'), { recursive: true });
  mkdirSync(join(served, 'archive'), { recursive: true });
  execFileSync('tar', ['-czf', join(served, 'archive', 'main.tar.gz'), '-C', join(dir, 'tree'), 'vexhub-main']);
  const server = await startStaticServer({ root: served });
  after(() => server.close());
  const manifest = JSON.parse(readFileSync(fixture('vexhub/vex-repository.json'), 'utf8'));
  manifest.versions[0].locations = [{ url: `${server.url}/archive/main.tar.gz//vexhub-main` }];
  writeFileSync(join(served, '.well-known', 'vex-repository.json'), JSON.stringify(manifest));
  const cache = join(dir, 'cache');
  const outcome = await updateRepository(entry(server, { name: 'hub' }), {
    repositoriesDir: cache,
    network: network(),
    now: clock().now,
    logger: silentLogger,
  });
  assert.equal(outcome.status, 'downloaded');
  const hub = openLocalRepository(join(cache, 'hub'), { name: 'hub', url: server.url, logger: silentLogger });
  assert.equal(hub.index.entries.size, 57);
  const result = applyVex(
    [
      {
        VulnerabilityID: 'CVE-2020-8911',
        PURL: 'pkg:golang/github.com/aws/aws-sdk-go@v1.51.21',
        Parents: [{ PURL: 'pkg:golang/github.com/rancher/rke2@v1.30.0' }],
      },
    ],
    [hub],
  );
  assert.equal(result.suppressed[0]?.justification, 'vulnerable_code_not_present');
});
