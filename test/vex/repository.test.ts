import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isVigilError } from '../../src/errors/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import {
  applyVex,
  initRepositoryConfig,
  openLocalRepository,
  parseGoDuration,
  parseManifest,
  parseRepositoryConfig,
  parseRepositoryIndex,
  readRepositoryConfig,
  repositoryPackageKey,
  selectVersion,
  splitLocation,
  VEX_HUB_URL,
} from '../../src/vex/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { fixture } from './fixtures.ts';

const BASH = 'pkg:deb/debian/bash@5.3';

function open(dir: string, name = 'default') {
  return openLocalRepository(dir, { name, url: `https://vex.example/${name}`, logger: silentLogger });
}

test('repository.yaml: init writes VEX Hub as default, owner-only; Trivy keys read back in order', async () => {
  const dir = tempDir();
  const path = join(dir, 'vex', 'repository.yaml');
  assert.equal(await initRepositoryConfig(path), true);
  assert.equal(await initRepositoryConfig(path), false);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const config = await readRepositoryConfig(path);
  assert.deepEqual(config?.repositories, [
    {
      name: 'default',
      url: VEX_HUB_URL,
      enabled: true,
      insecure: false,
      username: undefined,
      password: undefined,
      token: undefined,
    },
  ]);
  const parsed = parseRepositoryConfig(
    [
      'repositories:',
      '  - name: internal',
      '    url: https://vex.corp.example/hub/',
      '    username: u',
      '    password: p',
      '    insecure: true',
      '  - name: default',
      '    url: https://github.com/aquasecurity/vexhub',
      '    enabled: false',
      '    token: t',
    ].join('\n'),
    'repository.yaml',
  );
  assert.deepEqual(
    parsed.repositories.map((r) => [r.name, r.url, r.enabled, r.insecure, r.username, r.token]),
    [
      ['internal', 'https://vex.corp.example/hub', true, true, 'u', undefined],
      ['default', 'https://github.com/aquasecurity/vexhub', false, false, undefined, 't'],
    ],
  );
});

test('repository.yaml: names that would leave the cache, duplicates and bad URLs are refused', () => {
  const bad = [
    'repositories:\n  - name: ../evil\n    url: https://x.example',
    'repositories:\n  - name: a/b\n    url: https://x.example',
    'repositories:\n  - name: a\n    url: https://x.example\n  - name: a\n    url: https://y.example',
    'repositories:\n  - name: a\n    url: ftp://x.example',
    'repositories:\n  - name: a\n    url: https://x.example\n    enabled: "yes"',
    'repositories: 7',
    'repositories: [',
  ];
  for (const text of bad) {
    assert.throws(
      () => parseRepositoryConfig(text, '/home/u/.vigil/vex/repository.yaml'),
      (error: unknown) =>
        isVigilError(error) && error.message.includes('repository.yaml') && !error.message.includes('\n'),
      text,
    );
  }
});

test('VEX Hub manifest: spec 0.1, the GitHub tarball with its //subdir, 24h', () => {
  const manifest = parseManifest(readFileSync(fixture('vexhub/vex-repository.json'), 'utf8'), 'vexhub');
  assert.equal(manifest.name, 'VEX Hub');
  const version = selectVersion(manifest, 'vexhub');
  assert.equal(version.updateInterval, 24 * 3_600_000);
  assert.deepEqual(version.locations, [
    {
      url: 'https://github.com/aquasecurity/vexhub/archive/refs/heads/main.tar.gz',
      subdir: 'vexhub-main',
      raw: 'https://github.com/aquasecurity/vexhub/archive/refs/heads/main.tar.gz//vexhub-main',
    },
  ]);
});

test('manifest locations, durations and version selection follow go-getter, Go and the spec', () => {
  assert.deepEqual(splitLocation('https://h.example/a.tar.gz//sub/dir?x=1', 'm'), {
    url: 'https://h.example/a.tar.gz?x=1',
    subdir: 'sub/dir',
    raw: 'https://h.example/a.tar.gz//sub/dir?x=1',
  });
  assert.equal(splitLocation('https://h.example/a.zip', 'm').subdir, '');
  assert.equal(
    splitLocation('../repo.tar.gz', 'm', 'http://h.example:8080/.well-known/vex-repository.json').url,
    'http://h.example:8080/repo.tar.gz',
  );
  assert.throws(() => splitLocation('https://h.example/a.tar.gz//../x', 'm'), /unsafe subdirectory/);
  assert.throws(() => splitLocation('file:///etc/passwd', 'm'), /not an http/);
  assert.throws(() => splitLocation('relative.tar.gz', 'm'), /not an absolute/);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('90s'), 90_000);
  assert.equal(parseGoDuration('24'), undefined);
  assert.equal(parseGoDuration('-1h'), undefined);
  const manifest = parseManifest(
    JSON.stringify({
      name: 'n',
      versions: [
        { spec_version: '0.1', locations: [{ url: 'https://a.example/v0.tar.gz' }], update_interval: '1h' },
        { spec_version: '1.0', locations: [{ url: 'https://a.example/v1.tar.gz' }], update_interval: '1h' },
      ],
    }),
    'm',
  );
  assert.equal(selectVersion(manifest, 'm').locations[0]?.url, 'https://a.example/v0.tar.gz');
  const newer = parseManifest(
    JSON.stringify({
      versions: [{ spec_version: '0.2', locations: [{ url: 'https://a.example/x' }], update_interval: '1h' }],
    }),
    'm',
  );
  assert.throws(() => selectVersion(newer, 'm'), /offers spec versions 0\.2, not 0\.1/);
  assert.throws(
    () => parseManifest('{"versions":[{"spec_version":"0.1","locations":[],"update_interval":"soon"}]}', 'm'),
    /update_interval/,
  );
});

test('index keys: PURL without version, qualifiers and subpath; OCI keeps repository_url (spec §3.2)', () => {
  assert.equal(repositoryPackageKey('pkg:deb/debian/bash@5.3?arch=amd64&distro=debian-12'), 'pkg:deb/debian/bash');
  assert.equal(repositoryPackageKey('pkg:npm/%40babel/core@7.0.0#lib/x'), 'pkg:npm/%40babel/core');
  assert.equal(
    repositoryPackageKey('pkg:oci/trivy@sha256%3Aabc?arch=amd64&repository_url=registry-c.example/aquasecurity/trivy'),
    'pkg:oci/trivy?repository_url=registry-c.example%2Faquasecurity%2Ftrivy',
  );
  assert.equal(repositoryPackageKey('not a purl'), undefined);
  const index = parseRepositoryIndex(
    JSON.stringify({
      updated_at: '2024-01-01T00:00:00Z',
      packages: [
        { id: 'pkg:deb/debian/bash', location: 'pkg/deb/debian/bash/vex.json' },
        { id: 'pkg:deb/debian/curl', location: '../curl.json' },
        { id: 'pkg:deb/debian/zlib', location: '/etc/passwd' },
        { id: 'pkg:deb/debian/xz', location: 'a/b', format: 'spdx' },
        { id: 'pkg:npm/lodash', location: 'pkg/npm/lodash/vex.json', format: 'csaf' },
      ],
    }),
    'index.json',
  );
  assert.deepEqual([...index.entries.keys()], ['pkg:deb/debian/bash', 'pkg:npm/lodash']);
  assert.equal(index.entries.get('pkg:npm/lodash')?.format, 'csaf');
  assert.deepEqual(
    index.rejected.map((r) => r.id),
    ['pkg:deb/debian/curl', 'pkg:deb/debian/zlib', 'pkg:deb/debian/xz'],
  );
});

test('Trivy repository testdata: single repo suppresses; priority order decides between two repos', () => {
  const single = open(fixture('trivy/single-repo/vex/repositories/default'));
  const finding = { VulnerabilityID: 'CVE-2022-3715', PkgName: 'bash', PURL: BASH };
  const result = applyVex([finding], [single]);
  assert.equal(result.suppressed[0]?.source, 'VEX repository default (https://vex.example/default)');
  assert.equal(result.suppressed[0]?.justification, 'vulnerable_code_not_in_execute_path');
  assert.equal(applyVex([{ ...finding, VulnerabilityID: 'CVE-2024-10000' }], [single]).kept.length, 1);
  const high = open(fixture('trivy/multi-repos/vex/repositories/high-priority'), 'high-priority');
  const low = open(fixture('trivy/multi-repos/vex/repositories/default'));
  // high-priority says "affected": it decides when it comes first, and is not consulted after a not_affected.
  assert.equal(applyVex([finding], [high, low]).kept.length, 1);
  assert.equal(applyVex([finding], [low, high]).suppressed.length, 1);
});

test('a location in the parent directory, or a symlink out of the repository, is never read', () => {
  const dir = tempDir();
  cpSync(fixture('trivy/parent-location-repo'), join(dir, 'parent'), { recursive: true });
  const parent = open(join(dir, 'parent/vex/repositories/default'));
  assert.equal(applyVex([{ VulnerabilityID: 'CVE-2022-3715', PURL: BASH }], [parent]).kept.length, 1);
  assert.match(parent.problems.join('\n'), /bash-vex\.json\) refused: the location leaves the repository directory/);
  // A symlink inside the repository that points outside it.
  const root = join(dir, 'linked', '0.1');
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'index.json'),
    JSON.stringify({ packages: [{ id: 'pkg:deb/debian/bash', location: 'bash.json' }] }),
  );
  symlinkSync(fixture('trivy/single-repo/vex/repositories/default/0.1/bash-vex.json'), join(root, 'bash.json'));
  const linked = open(join(dir, 'linked'));
  assert.equal(applyVex([{ VulnerabilityID: 'CVE-2022-3715', PURL: BASH }], [linked]).kept.length, 1);
  assert.match(linked.problems.join('\n'), /resolves outside the repository directory/);
});

test('a repository that was never downloaded says so, with the command that fixes it', () => {
  assert.throws(
    () => open(join(tempDir(), 'nothing')),
    (error: unknown) =>
      isVigilError(error) &&
      error.code === 'VEX_REPO_MISSING' &&
      /vigil vex repo download default/.test(error.hint ?? ''),
  );
});

test('the real VEX Hub data as a repository: 57 packages, 59 documents, 15,304 statements, Go and OCI lookups', () => {
  const dir = tempDir();
  cpSync(fixture('vexhub'), join(dir, 'hub', '0.1'), { recursive: true });
  const hub = open(join(dir, 'hub'), 'hub');
  assert.equal(hub.index.entries.size, 57);
  const documents = hub.loadAll();
  assert.equal(documents.length, 57);
  assert.deepEqual(hub.problems, []);
  // The data holds 59 documents and 15,304 statements; index.json names 57 of the documents.
  const count = (path: string) => JSON.parse(readFileSync(fixture(`vexhub/${path}`), 'utf8')).statements.length;
  const all = readdirSync(fixture('vexhub/pkg'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.json') && !path.endsWith('manifest.json'))
    .map((path) => `pkg/${path}`);
  assert.equal(all.length, 59);
  assert.equal(
    all.reduce((sum, path) => sum + count(path), 0),
    15_304,
  );
  const indexed = JSON.parse(readFileSync(fixture('vexhub/index.json'), 'utf8')).packages.map(
    (entry: { location: string }) => entry.location,
  );
  const statements = documents.reduce((sum, matcher) => sum + matcher.document.statements.length, 0);
  assert.equal(
    statements,
    indexed.reduce((sum: number, path: string) => sum + count(path), 0),
  );
  const trivy = applyVex(
    [
      {
        VulnerabilityID: 'CVE-2024-26147',
        PURL: 'pkg:golang/helm.sh/helm/v3@v3.14.0',
        Parents: [{ PURL: 'pkg:golang/github.com/aquasecurity/trivy@v0.50.0' }],
      },
      {
        VulnerabilityID: 'CVE-2023-42363',
        PURL: 'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64',
        Parents: [{ PURL: 'pkg:oci/trivy@sha256%3Aabc?repository_url=registry-a.example%2Faquasec%2Ftrivy' }],
      },
      {
        VulnerabilityID: 'CVE-2023-42363',
        PURL: 'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64',
        Parents: [{ PURL: 'pkg:oci/trivy@sha256%3Aabc?repository_url=registry-z.example%2Fother%2Ftrivy' }],
      },
    ],
    [hub],
  );
  assert.equal(trivy.suppressed.length, 2);
  assert.equal(trivy.kept.length, 1);
  assert.equal(trivy.suppressed[1]?.impactStatement, 'awk is not used');
});
