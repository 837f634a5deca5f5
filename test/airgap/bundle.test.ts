import assert from 'node:assert/strict';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheLayout } from '../../src/cache/layout.ts';
import { readSourceRecord } from '../../src/db/artifact/index.ts';
import { indexTarFile } from '../../src/oci/archive/tar-index.ts';
import { startTestRegistry } from '../helpers/registry.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import {
  makeKeyPair,
  publishTrio,
  repositoryFlags,
  SAMPLE_IMAGE,
  sampleDbArchive,
  skopeoRaw,
  vigil,
} from './air-gap-setup.ts';

const HOUR = 3_600_000;
const root = tempDir();
const upstream = await startTestRegistry('noauth', join(root, 'upstream'));
after(() => upstream.stop());
const keys = makeKeyPair(join(root, 'keys'), 'site');
const otherKeys = makeKeyPair(join(root, 'keys'), 'other');
const digests = await publishTrio(
  upstream,
  'aquasec',
  await sampleDbArchive(join(root, 'db'), new Date(Date.now() - HOUR)),
);
for (const [repository, tag] of [
  ['trivy-db', '2'],
  ['trivy-java-db', '1'],
  ['trivy-checks', '2'],
]) {
  const signed = await vigil(['db', 'sign', '--key', keys.key, `${upstream.host}/aquasec/${repository}:${tag}`]);
  assert.equal(signed.status, 0, signed.stderr);
}

/** A VEX repository as `vigil vex repo download` leaves it, saying busybox is not affected by CVE-2021-28831. */
function seedVexRepository(cacheDir: string, vigilHome: string): void {
  mkdirSync(join(vigilHome, 'vex'), { recursive: true });
  writeFileSync(
    join(vigilHome, 'vex', 'repository.yaml'),
    'repositories:\n  - name: corp\n    url: https://vex.corp.example\n    enabled: true\n',
  );
  const dir = join(cacheLayout(cacheDir).vexRepositoriesDir, 'corp');
  mkdirSync(join(dir, '0.1'), { recursive: true });
  const manifest = {
    name: 'Corp VEX',
    versions: [
      { spec_version: '0.1', locations: [{ url: 'https://vex.corp.example/vex.tar.gz' }], update_interval: '24h' },
    ],
  };
  writeFileSync(join(dir, 'vex-repository.json'), JSON.stringify(manifest));
  writeFileSync(
    join(dir, 'cache.json'),
    JSON.stringify({ UpdatedAt: new Date(Date.now() - HOUR).toISOString(), ETags: {} }),
  );
  writeFileSync(
    join(dir, '0.1', 'index.json'),
    JSON.stringify({
      updated_at: '2026-01-01T00:00:00Z',
      packages: [{ id: 'pkg:apk/alpine/busybox', location: 'busybox.json', format: 'openvex' }],
    }),
  );
  writeFileSync(
    join(dir, '0.1', 'busybox.json'),
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://vex.corp.example/busybox-1',
      author: 'Corp security',
      timestamp: '2026-01-01T00:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { '@id': 'CVE-2021-28831' },
          products: [{ '@id': 'pkg:apk/alpine/busybox' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ],
    }),
  );
}

const connected = { cache: tempDir(), home: tempDir() };
seedVexRepository(connected.cache, join(connected.home, '.vigil'));
const bundle = join(root, 'vigil-bundle.tar');
const created = await vigil(
  [
    'bundle',
    'create',
    bundle,
    ...repositoryFlags(upstream.host, 'aquasec'),
    '--skip-vex-repo-update',
    '--db-signature-key',
    keys.pub,
    '--cache-dir',
    connected.cache,
  ],
  { HOME: connected.home },
);
assert.equal(created.status, 0, created.stderr);

function cacheIsEmpty(cacheDir: string): void {
  const layout = cacheLayout(cacheDir);
  for (const path of [
    layout.vulnDbFile,
    layout.vulnDbMetadata,
    layout.javaDbFile,
    layout.checksContent,
    layout.vexRepositoriesDir,
  ]) {
    assert.equal(existsSync(path), false, `${path} must not exist`);
  }
  assert.deepEqual(
    existsSync(layout.downloadsDir) ? readdirSync(layout.downloadsDir) : [],
    [],
    'no staging left behind',
  );
}

type ScanReport = {
  Results: Array<{ Vulnerabilities?: Array<{ PkgName: string; VulnerabilityID: string }> }>;
  Vigil: {
    Databases: Array<{
      Kind: string;
      Status: string;
      ManifestDigest?: string;
      SignedBy?: string;
      Repository?: string;
      Downloaded?: boolean;
    }>;
    VEX: Array<{ status: string }>;
  };
};

async function scanSample(cacheDir: string, home: string, extra: string[] = []): Promise<ScanReport> {
  const scan = await vigil(
    ['image', '--input', SAMPLE_IMAGE, '--cache-dir', cacheDir, '--offline', '-f', 'json', ...extra],
    {
      HOME: home,
    },
  );
  assert.equal(scan.status, 0, scan.stderr);
  return JSON.parse(scan.stdout) as ScanReport;
}

const findings = (report: ScanReport) =>
  report.Results.flatMap((result) => result.Vulnerabilities ?? []).map((v) => `${v.PkgName} ${v.VulnerabilityID}`);

describe('vigil bundle', () => {
  it('create writes every artifact with digests, sources and ages, which inspect lists', async () => {
    assert.match(
      created.stdout,
      new RegExp(`trivy-db:2: ${digests.db} from ${upstream.host}/aquasec/trivy-db:2, built .*, signed`),
    );
    assert.match(created.stdout, /vex\/corp:latest: sha256:/);
    const table = await vigil(['bundle', 'inspect', bundle]);
    assert.equal(table.status, 0, table.stderr);
    for (const expected of [
      'trivy-db:2  (db)',
      `Digest:     ${digests.db}`,
      'trivy-java-db:1  (java-db)',
      'trivy-checks:2  (checks)',
      'vex/corp:latest  (vex-repository)',
      'Signed:     yes',
    ]) {
      assert.ok(table.stdout.includes(expected), `${expected}\n${table.stdout}`);
    }
    assert.match(table.stdout, /UpdatedAt: +\d{4}-.* \(1h0m ago\)/);
    const json = JSON.parse((await vigil(['bundle', 'inspect', bundle, '--format', 'json'])).stdout);
    const db = json.Artifacts.find((artifact: { refName: string }) => artifact.refName === 'trivy-db:2');
    assert.equal(db.digest, digests.db);
    assert.equal(db.schema, 2);
    assert.equal(db.source, `${upstream.host}/aquasec/trivy-db:2`);
    assert.ok(db.AgeSeconds >= 3600 && db.AgeSeconds < 3700, String(db.AgeSeconds));
    // The file is an OCI layout in a tar: skopeo reads the DB's manifest from it unchanged.
    const layout = join(tempDir(), 'layout');
    mkdirSync(layout);
    const { execFileSync } = await import('node:child_process');
    execFileSync('tar', ['-xf', bundle, '-C', layout]);
    assert.ok(skopeoRaw(`oci:${layout}:trivy-db:2`).equals(skopeoRaw(`docker://${upstream.host}/aquasec/trivy-db:2`)));
  });

  it('create takes the ages from the cache when it holds the same DB layer, without inflating it', async () => {
    const cache = tempDir();
    const db = ['--db-repository', `${upstream.host}/aquasec/trivy-db`];
    assert.equal((await vigil(['db', 'pull', ...db, '--cache-dir', cache])).status, 0);
    const again = join(tempDir(), 'again.tar');
    const made = await vigil(['bundle', 'create', again, '--db', ...db, '--cache-dir', cache, '--debug']);
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stderr, /ages from the cache's metadata\.json, which came with layer sha256:/);
    const ages = async (file: string) => {
      const listed = JSON.parse((await vigil(['bundle', 'inspect', file, '--format', 'json'])).stdout);
      const entry = listed.Artifacts.find((artifact: { refName: string }) => artifact.refName === 'trivy-db:2');
      return { schema: entry.schema, updatedAt: entry.updatedAt, nextUpdate: entry.nextUpdate };
    };
    // The same ages as the bundle whose layer was inflated to read them.
    const expected = await ages(bundle);
    assert.ok(expected.updatedAt, 'the first bundle has ages');
    assert.deepEqual(await ages(again), expected);
  });

  it('import on an empty cache with --offline verifies everything, and a scan then works with no network', async () => {
    const site = { cache: tempDir(), home: tempDir() };
    const imported = await vigil(
      ['bundle', 'import', bundle, '--offline', '--db-signature-key', keys.pub, '--cache-dir', site.cache],
      {
        HOME: site.home,
      },
    );
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(
      imported.stdout,
      new RegExp(`trivy-db:2: installed ${digests.db}, built .*, signature verified with ${keys.pub}`),
    );
    assert.match(imported.stdout, /corp: installed sha256:/);
    assert.match(readFileSync(join(site.home, '.vigil', 'vex', 'repository.yaml'), 'utf8'), /name: corp/);
    const plain = await scanSample(site.cache, site.home);
    assert.equal(findings(plain).length, 13);
    assert.deepEqual(
      plain.Vigil.Databases.map((entry: { Kind: string; Status: string }) => `${entry.Kind} ${entry.Status}`),
      ['db used', 'java-db not-needed', 'checks skipped'],
    );
    assert.equal(plain.Vigil.Databases[0]?.ManifestDigest, digests.db);
    assert.match(plain.Vigil.Databases[0]?.SignedBy ?? '', /^[0-9a-f]{64}$/);
    const withVex = await scanSample(site.cache, site.home, ['--vex', 'repo']);
    assert.deepEqual(
      findings(withVex).filter((finding) => finding.startsWith('busybox')),
      [],
    );
    assert.equal(findings(withVex).length, 12);
    assert.equal(withVex.Vigil.VEX[0]?.status, 'applied');
  });

  /** A copy of the bundle with one bit of `member` flipped: in the middle, or where `text` starts in it. */
  async function tamper(member: string, text?: string): Promise<string> {
    const copy = join(tempDir(), 'tampered.tar');
    copyFileSync(bundle, copy);
    const index = await indexTarFile(copy);
    const entry = index.entries.get(member);
    await index.close();
    assert.ok(entry, member);
    const content = readFileSync(copy).subarray(entry.offset, entry.offset + entry.size);
    const at = entry.offset + (text ? content.indexOf(text) + text.length - 1 : Math.floor(entry.size / 2));
    const fd = openSync(copy, 'r+');
    writeSync(fd, Buffer.from([(readFileSync(copy)[at] ?? 0) ^ 0x01]), 0, 1, at);
    closeSync(fd);
    return copy;
  }

  it('a bundle with one changed byte installs nothing', async () => {
    const manifest = JSON.parse(skopeoRaw(`docker://${upstream.host}/aquasec/trivy-db:2`).toString());
    const layer = `blobs/sha256/${manifest.layers[0].digest.slice(7)}`;
    const site = tempDir();
    const run = await vigil(['bundle', 'import', await tamper(layer), '--offline', '--cache-dir', site]);
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      new RegExp(`${manifest.layers[0].digest} of file:.*: the content's digest is sha256:[0-9a-f]+, expected`),
    );
    cacheIsEmpty(site);

    // index.json names the DB's manifest by digest: a changed digest points at nothing.
    const index = await vigil([
      'bundle',
      'import',
      await tamper('index.json', digests.db),
      '--offline',
      '--cache-dir',
      site,
    ]);
    assert.equal(index.status, 1);
    assert.match(index.stderr, /^error: .* lists sha256:[0-9a-f]+ but does not hold it|malformed digest/m);
    cacheIsEmpty(site);

    // Cut short in the copy to the air-gapped side.
    const truncated = join(tempDir(), 'truncated.tar');
    writeFileSync(truncated, readFileSync(bundle).subarray(0, 20_000));
    const cut = await vigil(['bundle', 'import', truncated, '--cache-dir', site]);
    assert.equal(cut.status, 1);
    assert.match(cut.stderr, /^error: cannot read the bundle .*truncated\.tar: /m);
    cacheIsEmpty(site);
  });

  it('refuses a bundle signed by another key, installing nothing', async () => {
    const site = tempDir();
    const run = await vigil(['bundle', 'import', bundle, '--db-signature-key', otherKeys.pub, '--cache-dir', site]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /failed signature verification/);
    cacheIsEmpty(site);
  });

  it('all or nothing: an older Java DB stops the whole import, unless --allow-db-downgrade', async () => {
    const site = tempDir();
    assert.equal((await vigil(['bundle', 'import', bundle, '--cache-dir', site])).status, 0);
    // A newer DB, but a Java DB built five days before the one in the cache.
    const older = await publishTrio(
      upstream,
      'older',
      await sampleDbArchive(tempDir(), new Date(Date.now() - 60_000)),
      Date.now() - 5 * 24 * HOUR,
    );
    const mixed = join(tempDir(), 'mixed.tar');
    const made = await vigil([
      'bundle',
      'create',
      mixed,
      ...repositoryFlags(upstream.host, 'older'),
      '--cache-dir',
      tempDir(),
    ]);
    assert.equal(made.status, 0, made.stderr);
    const refused = await vigil(['bundle', 'import', mixed, '--cache-dir', site]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Java DB built .*, earlier than the cached one/);
    assert.match(refused.stderr, /hint: pass --allow-db-downgrade/);
    const layout = cacheLayout(site);
    assert.equal(
      readSourceRecord(join(layout.vulnDbDir, 'vigil-source.json'))?.ManifestDigest,
      digests.db,
      'the DB stayed',
    );
    const allowed = await vigil(['bundle', 'import', mixed, '--allow-db-downgrade', '--cache-dir', site]);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.equal(readSourceRecord(join(layout.vulnDbDir, 'vigil-source.json'))?.ManifestDigest, older.db);
    assert.equal(readSourceRecord(join(layout.javaDbDir, 'vigil-source.json'))?.ManifestDigest, older['java-db']);
  });

  it('--from-cache packs what a cache holds; the bundle imports into another cache and scans', async () => {
    const filled = tempDir();
    assert.equal((await vigil(['bundle', 'import', bundle, '--cache-dir', filled])).status, 0);
    const repacked = join(tempDir(), 'from-cache.tar');
    const made = await vigil(['bundle', 'create', repacked, '--from-cache', '--offline', '--cache-dir', filled]);
    assert.equal(made.status, 0, made.stderr);
    assert.match(
      made.stdout,
      new RegExp(`trivy-db:2: sha256:[0-9a-f]+ from cache \\(file:${bundle}:2@${digests.db}\\), built `),
    );
    const site = { cache: tempDir(), home: tempDir() };
    const imported = await vigil(['bundle', 'import', repacked, '--offline', '--cache-dir', site.cache], {
      HOME: site.home,
    });
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(findings(await scanSample(site.cache, site.home)).length, 13);
  });

  it('serves as a source: file: for a scan on an empty cache, and mirror --from-bundle', async () => {
    const site = { cache: tempDir(), home: tempDir() };
    const report = await scanSample(site.cache, site.home, ['--db-repository', `file:${bundle}`]);
    assert.equal(findings(report).length, 13);
    assert.equal(report.Vigil.Databases[0]?.Repository, `file:${bundle}`);
    assert.equal(report.Vigil.Databases[0]?.Downloaded, true);

    const dir = join(tempDir(), 'layouts');
    const mirrored = await vigil(['mirror', '--from-bundle', bundle, '--to', `oci:${dir}`, '--offline']);
    assert.equal(mirrored.status, 0, mirrored.stderr);
    const tags: Array<[string, string]> = [
      ['trivy-db', '2'],
      ['trivy-java-db', '1'],
      ['trivy-checks', '2'],
      ['trivy-db', `${digests.db.replace(':', '-')}.sig`],
    ];
    for (const [repository, tag] of tags) {
      const source = skopeoRaw(`docker://${upstream.host}/aquasec/${repository}:${tag}`);
      assert.ok(skopeoRaw(`oci:${join(dir, repository)}:${tag}`).equals(source), `${repository}:${tag}`);
    }
  });
});
