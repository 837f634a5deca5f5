import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  dpkgAnalyzer,
  parseControlParagraphs,
  parseDpkgMd5sums,
  parseDpkgStatus,
  splitDebianVersion,
} from '../../../src/analyzer/pkg/index.ts';
import type { Package } from '../../../src/analyzer/types.ts';
import { analyzeRoot, goldenTables, imageContext, memoryFiles } from '../os/collected-files.ts';
import { parseTxtar } from './txtar.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/analyzer-pkg/', import.meta.url));
const read = (path: string) => readFileSync(`${fixtures}${path}`, 'utf8');
const byId = (a: Package, b: Package) => ((a.ID ?? '') < (b.ID ?? '') ? -1 : 1);

interface AnalyzeCase {
  name: string;
  txtar: string;
  want: { PackageInfos: { FilePath: string; Packages: (Package & { Repository?: unknown })[] }[] };
}

test('Trivy dpkg_test.go golden cases', async (t) => {
  const [analyze, , required] = goldenTables<AnalyzeCase>(`${fixtures}expected/trivy/dpkg_test.expected.json`);
  assert.equal(analyze?.cases.length, 6);
  for (const c of analyze?.cases ?? []) {
    await t.test(c.name, async () => {
      const files = parseTxtar(read(`trivy/dpkg/${c.txtar.replace('testdata/', '')}`));
      for (const path of Object.keys(files)) assert.ok(dpkgAnalyzer.required(path, { size: 1, mode: 0o644 }), path);
      const result = await dpkgAnalyzer.analyze(memoryFiles(files), imageContext);
      // Trivy's newer Repository class (official / third-party) is not part of Vigil's package model.
      const want = c.want.PackageInfos.map((info) => ({
        FilePath: info.FilePath,
        Packages: info.Packages.map(({ Repository: _, ...pkg }) => pkg).sort(byId),
      }));
      const got = (result.PackageInfos ?? []).map((info) => ({ ...info, Packages: [...info.Packages].sort(byId) }));
      assert.deepEqual(got, want);
    });
  }
  for (const c of (required?.cases ?? []) as unknown as { name: string; filePath: string; want: boolean }[]) {
    assert.equal(dpkgAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});

test('valid.txtar: 90 installed packages, the config-files one left out', () => {
  const status = parseTxtar(read('trivy/dpkg/valid.txtar'))['var/lib/dpkg/status'] ?? '';
  const { packages, warnings } = parseDpkgStatus(status);
  assert.equal(packages.length, 90);
  assert.deepEqual(warnings, []);
});

test('distroless status.d: one PackageInfo per file, md5sums beside them give InstalledFiles', async () => {
  const files = parseTxtar(read('trivy/dpkg/status-dir.txtar'));
  const result = await dpkgAnalyzer.analyze(memoryFiles(files), imageContext);
  assert.deepEqual(
    result.PackageInfos?.map((info) => info.FilePath),
    ['var/lib/dpkg/status.d/libc6', 'var/lib/dpkg/status.d/libssl3', 'var/lib/dpkg/status.d/openssl'],
  );
  const [libc6, libssl3, openssl] = result.PackageInfos?.map((info) => info.Packages) ?? [];
  assert.deepEqual(libc6, [
    {
      ID: 'libc6@2.36-9+deb12u7',
      Name: 'libc6',
      Version: '2.36',
      Release: '9+deb12u7',
      Arch: 'amd64',
      SrcName: 'glibc',
      SrcVersion: '2.36',
      SrcRelease: '9+deb12u7',
      Maintainer: 'GNU Libc Maintainers <debian-glibc@lists.debian.org>',
      InstalledFiles: ['/usr/lib/x86_64-linux-gnu/libc.so.6'],
    },
  ]);
  assert.equal(libssl3?.[0]?.SrcName, 'openssl');
  assert.equal(libssl3?.[0]?.SrcVersion, '3.0.14');
  assert.equal(libssl3?.[0]?.SrcRelease, '1~deb12u2');
  // Dependencies resolve within one status file only, as in Trivy.
  assert.equal(openssl?.[0]?.DependsOn, undefined);
  assert.equal(openssl?.[0]?.InstalledFiles, undefined);
});

/** The version string a package was installed with, rebuilt from Trivy's split. */
const fullVersion = (epoch: number | undefined, version: string, release: string | undefined) =>
  `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;

interface ScalibrCase {
  name: string;
  path: string;
  isOPKG?: boolean;
  cfg?: unknown;
  wantPackages: { Metadata: Record<string, string> }[] | Record<string, never> | null;
}

test('osv-scalibr dpkg cases, mapped to Trivy fields', async (t) => {
  const [, extract] = goldenTables<ScalibrCase>(`${fixtures}expected/osv-scalibr/dpkg_test.expected.json`);
  // opkg is not dpkg; `cfg` cases turn on an osv-scalibr option (IncludeNotInstalled) Vigil does not have.
  const cases = (extract?.cases ?? []).filter((c) => !c.isOPKG && !c.cfg && !c.path.endsWith('.md5sums'));
  assert.ok(cases.length >= 12);
  for (const c of cases) {
    await t.test(`${c.name} (${c.path})`, () => {
      const inStatusDir = c.path.includes('/status.d/');
      const text = read(`osv-scalibr/dpkg/${c.path.replace('testdata/dpkg/', '')}`);
      const { packages } = parseDpkgStatus(text, { requireStatus: !inStatusDir });
      const want = (Array.isArray(c.wantPackages) ? c.wantPackages : []).map(({ Metadata: m }) => ({
        name: m.PackageName,
        version: m.PackageVersion,
        source: m.SourceName ?? m.PackageName,
        sourceVersion: m.SourceVersion ?? m.PackageVersion,
        maintainer: m.Maintainer,
        arch: m.Architecture,
      }));
      const got = packages.map((pkg) => ({
        name: pkg.Name,
        version: fullVersion(pkg.Epoch, pkg.Version, pkg.Release),
        source: pkg.SrcName,
        sourceVersion: fullVersion(pkg.SrcEpoch, pkg.SrcVersion ?? '', pkg.SrcRelease),
        maintainer: pkg.Maintainer,
        arch: pkg.Arch,
      }));
      if (c.path.endsWith('statusfield')) {
        // osv-scalibr keeps only the `installed` state; Vigil also keeps other states whose files
        // are on disk (here `unpacked`), as dpkg-query reports them (see dpkg-oracle.test.ts).
        const extra = got.filter((pkg) => !want.some((w) => w.name === pkg.name)).map((pkg) => pkg.name);
        assert.deepEqual(extra, ['wantinstall_unpacked']);
        assert.deepEqual(
          got.filter((pkg) => !extra.includes(pkg.name ?? '')),
          want,
        );
      } else {
        assert.deepEqual(got, want);
      }
    });
  }
});

test('a md5sums file in status.d is a file list, not a status file (osv-scalibr status.d fixture)', async () => {
  const result = await analyzeRoot(dpkgAnalyzer, `${fixtures}osv-scalibr/dpkg`);
  // analyzeRoot sees the fixture dir as a root: nothing sits at var/lib/dpkg, so nothing is read.
  assert.deepEqual(result, {});
  const files = {
    'var/lib/dpkg/status.d/foo': read('osv-scalibr/dpkg/status.d/foo'),
    'var/lib/dpkg/status.d/foo.md5sums': read('osv-scalibr/dpkg/status.d/foo.md5sums'),
  };
  const got = await dpkgAnalyzer.analyze(memoryFiles(files), imageContext);
  assert.deepEqual(
    got.PackageInfos?.map((info) => info.FilePath),
    ['var/lib/dpkg/status.d/foo'],
  );
  const foo = got.PackageInfos?.[0]?.Packages[0];
  assert.equal(foo?.ID, 'foo@1.2.3');
  assert.ok((foo?.InstalledFiles?.length ?? 0) > 0);
  assert.ok(foo?.InstalledFiles?.every((file) => file.startsWith('/')));
});

test('multi-arch packages find their name:arch md5sums (real Debian 12 files)', async () => {
  const result = await analyzeRoot(dpkgAnalyzer, `${fixtures}debian12-root`);
  const packages = result.PackageInfos?.[0]?.Packages ?? [];
  const zlib = packages.find((pkg) => pkg.Name === 'zlib1g');
  const bash = packages.find((pkg) => pkg.Name === 'bash');
  assert.equal(zlib?.ID, 'zlib1g@1:1.2.13.dfsg-1');
  assert.deepEqual(zlib?.InstalledFiles?.slice(0, 1), ['/lib/x86_64-linux-gnu/libz.so.1.2.13']);
  // bash is a binNMU: its source version is the one in parentheses.
  assert.equal(bash?.SrcName, 'bash');
  assert.equal(`${bash?.SrcVersion}-${bash?.SrcRelease}`, '5.2.15-2');
  assert.ok(bash?.InstalledFiles?.includes('/bin/bash'));
  assert.equal(result.Warnings, undefined);
});

test('Debian version split matches go-deb-version on the dpkg and go-deb-version vectors', () => {
  const parse = JSON.parse(read('versions/deb.parse.json')) as {
    input: string;
    epoch: number;
    upstream: string;
    revision: string;
  }[];
  for (const v of parse) {
    assert.deepEqual(
      splitDebianVersion(v.input),
      { epoch: v.epoch, upstream: v.upstream, revision: v.revision },
      v.input,
    );
  }
  const valid = JSON.parse(read('versions/deb.valid.json')) as { version: string; valid: boolean; src: string }[];
  for (const v of valid) {
    // go-deb-version (Trivy) accepts an empty revision after a trailing hyphen; dpkg does not.
    const want = v.version === '1.0-' ? true : v.valid;
    assert.equal(splitDebianVersion(v.version) !== undefined, want, `${v.version} (${v.src})`);
  }
});

test('control paragraphs: folded continuation lines, case-insensitive names, malformed paragraphs skipped', () => {
  const { paragraphs, malformed } = parseControlParagraphs(
    'package: a\nVERSION:  1.0 \nDescription: one\n two\n\t three\n\n' +
      'no colon here\nPackage: b\n\n' +
      ' leading space\n\n' +
      'bad name: x\n\n' +
      'Package: c\r\nVersion: 2\r\n',
  );
  assert.deepEqual(
    paragraphs.map((p) => Object.fromEntries(p)),
    [
      { package: 'a', version: '1.0', description: 'one two three' },
      { package: 'c', version: '2' },
    ],
  );
  assert.equal(malformed.length, 3);
});

test('a status file paragraph without Status is not installed (dpkg), a status.d one is (distroless)', async () => {
  const paragraph = 'Package: a\nVersion: 1.0\n';
  const result = await dpkgAnalyzer.analyze(
    memoryFiles({ 'var/lib/dpkg/status': paragraph, 'var/lib/dpkg/status.d/a': paragraph }),
    imageContext,
  );
  assert.deepEqual(
    result.PackageInfos?.map((info) => [info.FilePath, info.Packages.map((pkg) => pkg.ID)]),
    [
      ['var/lib/dpkg/status', []],
      ['var/lib/dpkg/status.d/a', ['a@1.0']],
    ],
  );
});

test('invalid versions and malformed paragraphs are reported, the rest is kept', async () => {
  const status =
    'Package: good\nStatus: install ok installed\nVersion: 1.0-1\n\n' +
    'Package: badversion\nStatus: install ok installed\nVersion: abc\n\n' +
    'Package: badsource\nStatus: install ok installed\nVersion: 1.0\nSource: x (1.#)\n\n' +
    'garbage without colon\n';
  const result = await dpkgAnalyzer.analyze(memoryFiles({ 'var/lib/dpkg/status': status }), imageContext);
  assert.deepEqual(
    result.PackageInfos?.[0]?.Packages.map((pkg) => pkg.ID),
    ['good@1.0-1'],
  );
  assert.equal(result.Warnings?.length, 3);
  assert.ok(result.Warnings?.every((warning) => warning.startsWith('var/lib/dpkg/status: ')));
  assert.throws(() => parseDpkgMd5sums('no-two-spaces here\n'), { message: /invalid md5sums line/ });
  const broken = await dpkgAnalyzer.analyze(
    memoryFiles({
      'var/lib/dpkg/status': 'Package: a\nStatus: install ok installed\nVersion: 1\n',
      'var/lib/dpkg/info/a.md5sums': 'broken\n',
    }),
    imageContext,
  );
  assert.equal(broken.PackageInfos?.[0]?.Packages[0]?.ID, 'a@1');
  assert.equal(broken.PackageInfos?.[0]?.Packages[0]?.InstalledFiles, undefined);
  assert.match(broken.Warnings?.[0] ?? '', /^var\/lib\/dpkg\/info\/a\.md5sums: invalid md5sums line/);
});
