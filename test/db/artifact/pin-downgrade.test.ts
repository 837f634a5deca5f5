import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheLayout } from '../../../src/cache/layout.ts';
import {
  type ArtifactDeps,
  ensureVulnDb,
  parseArtifactRepositories,
  readSourceRecord,
} from '../../../src/db/artifact/index.ts';
import { createLogger, silentLogger } from '../../../src/log/index.ts';
import { createHttpClient } from '../../../src/net/index.ts';
import { parseReference, RegistryClient } from '../../../src/oci/registry/index.ts';
import { SAMPLE_IMAGE, sampleDbArchive, vigil } from '../../airgap/air-gap-setup.ts';
import { startTestRegistry } from '../../helpers/registry.ts';
import { pushDbArtifact } from '../../helpers/registry-db-artifact.ts';
import { startRegistryFront } from '../../helpers/registry-front.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const HOUR = 3_600_000;
const root = tempDir();
const registry = await startTestRegistry('noauth', join(root, 'registry'));
after(() => registry.stop());
const now = Date.now();
// The sample DB built three days ago (due again two days ago), and again an hour ago.
const older = await sampleDbArchive(join(root, 'older'), new Date(now - 3 * 24 * HOUR));
const newer = await sampleDbArchive(join(root, 'newer'), new Date(now - HOUR));
const http = createHttpClient({ retry: { attempts: 1 } });
const publisher = new RegistryClient({ http });
const olderDigest = await pushDbArtifact(publisher, parseReference(`${registry.host}/x/trivy-db:old`), older, 'db');
const newerDigest = await pushDbArtifact(publisher, parseReference(`${registry.host}/x/trivy-db:2`), newer, 'db');
await http.close();
const repository = `${registry.host}/x/trivy-db`;

function deps(logs: string[] = [], clock = () => new Date()): ArtifactDeps {
  const client = createHttpClient({ retry: { attempts: 1 } });
  after(() => client.close());
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  return { registry: new RegistryClient({ http: client, logger }), logger, now: clock };
}

const sourceOf = (cache: string) => readSourceRecord(join(cacheLayout(cache).vulnDbDir, 'vigil-source.json'));

describe('pinned DBs and downgrade refusal', () => {
  it('refuses to replace the cached DB with one built earlier, unless --allow-db-downgrade; the pin shows in db status', async () => {
    const cache = tempDir();
    const latest = await vigil(['db', 'pull', '--db-repository', repository, '--cache-dir', cache]);
    assert.equal(latest.status, 0, latest.stderr);
    assert.equal(sourceOf(cache)?.ManifestDigest, newerDigest);

    const pinned = `${repository}@${olderDigest}`;
    const refused = await vigil(['db', 'pull', '--db-repository', pinned, '--cache-dir', cache]);
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      /holds a vulnerability DB built .*, earlier than the cached one \(built .*\); refusing to go back/,
    );
    assert.match(refused.stderr, /hint: pass --allow-db-downgrade/);
    assert.equal(sourceOf(cache)?.ManifestDigest, newerDigest, 'the newer DB stays');

    const allowed = await vigil([
      'db',
      'pull',
      '--db-repository',
      pinned,
      '--allow-db-downgrade',
      '--cache-dir',
      cache,
    ]);
    assert.equal(allowed.status, 0, allowed.stderr);
    const status = JSON.parse((await vigil(['db', 'status', '--format', 'json', '--cache-dir', cache])).stdout);
    assert.equal(status.Artifacts[0].Repository, pinned);
    assert.equal(status.Artifacts[0].ManifestDigest, olderDigest);
  });

  it('a pinned DB in the cache is used however old, without asking the registry; another pin is fetched', async () => {
    const cache = tempDir();
    const front = await startRegistryFront(registry.url);
    const pinnedOld = parseArtifactRepositories('db', [`${front.host}/x/trivy-db@${olderDigest}`], silentLogger);
    const first = await ensureVulnDb({ cacheDir: cache, repositories: pinnedOld }, deps());
    assert.equal(first.downloaded, true);
    const requests = front.requests.length;
    // Two days past its NextUpdate: Trivy's rules would download, the pin says this is the DB.
    const again = await ensureVulnDb({ cacheDir: cache, repositories: pinnedOld }, deps());
    assert.equal(again.downloaded, false);
    assert.equal(front.requests.length, requests, 'no request at all');
    assert.equal(again.source?.ManifestDigest, olderDigest);

    const pinnedNew = parseArtifactRepositories('db', [`${front.host}/x/trivy-db@${newerDigest}`], silentLogger);
    const moved = await ensureVulnDb({ cacheDir: cache, repositories: pinnedNew }, deps());
    assert.equal(moved.downloaded, true);
    assert.equal(moved.source?.ManifestDigest, newerDigest);
  });

  it('a scan whose repository now serves an older DB keeps the cached one, with a warning', async () => {
    const cache = tempDir();
    await ensureVulnDb(
      { cacheDir: cache, repositories: parseArtifactRepositories('db', [repository], silentLogger) },
      deps(),
    );
    const logs: string[] = [];
    const later = () => new Date(now + 2 * 24 * HOUR);
    const rolledBack = parseArtifactRepositories('db', [`${repository}:old`], silentLogger);
    const used = await ensureVulnDb({ cacheDir: cache, repositories: rolledBack }, deps(logs, later));
    assert.equal(used.downloaded, false);
    assert.equal(used.source?.ManifestDigest, newerDigest);
    assert.ok(
      logs.some((line) =>
        /WARN.*earlier than the cached one.*using the vulnerability DB already in the cache/.test(line),
      ),
      logs.join(''),
    );
  });

  it('a scan with a pinned repository reports the pin in Vigil.Databases', async () => {
    const cache = tempDir();
    const pinned = `${repository}@${newerDigest}`;
    const scan = await vigil([
      'image',
      '--input',
      SAMPLE_IMAGE,
      '--db-repository',
      pinned,
      '--cache-dir',
      cache,
      '-f',
      'json',
    ]);
    assert.equal(scan.status, 0, scan.stderr);
    const db = JSON.parse(scan.stdout).Vigil.Databases[0];
    assert.equal(db.Repository, pinned);
    assert.equal(db.ManifestDigest, newerDigest);
    assert.equal(db.Downloaded, true);
  });
});
