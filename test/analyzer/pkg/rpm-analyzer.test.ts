import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  RPMDB_PATHS,
  type RpmPackageInfo,
  rpmAnalyzer,
  rpmPackagesToTrivy,
  splitSourceRpmName,
} from '../../../src/analyzer/pkg/index.ts';
import type { Package } from '../../../src/analyzer/types.ts';
import { imageContext, memoryFiles } from '../os/collected-files.ts';
import { epochBdb, fixtures, marinerSqlite, sle15Ndb } from './rpm-fixtures.ts';

const tables = (path: string) =>
  (JSON.parse(readFileSync(`${fixtures}${path}`, 'utf8')) as { tables: { func: string; cases: unknown[] }[] }).tables;

/** A go-rpmdb PackageInfo as Trivy's tests mock it, with every field Vigil's reader fills. */
function info(fields: Partial<RpmPackageInfo>): RpmPackageInfo {
  return {
    Name: '',
    Version: '',
    Release: '',
    Arch: '',
    SourceRpm: '',
    Size: 0,
    License: '',
    Vendor: '',
    Modularitylabel: '',
    Summary: '',
    PGP: '',
    SigMD5: '',
    RSAHeader: '',
    DigestAlgorithm: 0,
    InstallTime: 0,
    BaseNames: [],
    DirIndexes: [],
    DirNames: [],
    FileSizes: [],
    FileDigests: [],
    FileModes: [],
    FileFlags: [],
    UserNames: [],
    GroupNames: [],
    Provides: [],
    Requires: [],
    ...fields,
  };
}

test('Trivy rpm_test.go: source rpm names, package mapping, broken database', async (t) => {
  const [analyze, split, list] = tables('expected/trivy/rpm_test.expected.json');
  for (const c of (split?.cases ?? []) as {
    name: string;
    filename: string;
    wantName: string;
    wantVer: string;
    wantRel: string;
    wantErr: boolean;
  }[]) {
    const got = splitSourceRpmName(c.filename);
    if (c.wantErr) assert.equal(got, undefined, c.name);
    else assert.deepEqual(got, { name: c.wantName, version: c.wantVer, release: c.wantRel }, c.name);
  }
  for (const c of (list?.cases ?? []) as {
    name: string;
    mock: { packages?: Partial<RpmPackageInfo>[]; err?: unknown };
    wantPkgs?: (Package & { Repository?: unknown })[];
  }[]) {
    if (!c.mock.packages) continue; // "sad path": the mocked reader itself fails; covered below.
    await t.test(c.name, () => {
      const { packages } = rpmPackagesToTrivy((c.mock.packages ?? []).map(info));
      const want = (c.wantPkgs ?? []).map(({ Repository: _, ...pkg }) => pkg);
      assert.deepEqual(packages, want);
    });
  }
  const broken = (analyze?.cases ?? []).find((c) => (c as { name: string }).name === 'broken');
  assert.ok(broken);
  // Trivy fails on it; Vigil reports the broken database and keeps any other one.
  const result = await rpmAnalyzer.analyze(
    memoryFiles({ 'var/lib/rpm/Packages': 'broken', 'var/lib/rpm/Packages.db': sle15Ndb() }),
    imageContext,
  );
  assert.deepEqual(result.Warnings, [
    'var/lib/rpm/Packages: not an rpm database (no SQLite, NDB or Berkeley DB hash magic)',
  ]);
  assert.deepEqual(
    result.PackageInfos?.map((info) => [info.FilePath, info.Packages.length]),
    [['var/lib/rpm/Packages.db', 35]],
  );
});

test('rpmdb paths: the six places Trivy reads, nothing else (osv-scalibr negative cases too)', () => {
  const info = { size: 1, mode: 0o644 };
  for (const path of RPMDB_PATHS) assert.equal(rpmAnalyzer.required(path, info), true, path);
  const [required] = tables('expected/osv-scalibr/rpm_test.expected.json');
  for (const c of (required?.cases ?? []) as { path: string; wantRequired: boolean; maxFileSizeBytes?: unknown }[]) {
    if (c.maxFileSizeBytes !== undefined) continue; // osv-scalibr's own size limit option
    // osv-scalibr also reads usr/share/rpm; Trivy does not, and neither does Vigil.
    if (c.wantRequired && !c.path.startsWith('usr/share/rpm/'))
      assert.equal(rpmAnalyzer.required(c.path, info), true, c.path);
    if (!c.wantRequired) assert.equal(rpmAnalyzer.required(c.path, info), false, c.path);
  }
});

test('osv-scalibr custom_rpm (Berkeley DB with epoch) as Trivy reports it', async () => {
  const result = await rpmAnalyzer.analyze(memoryFiles({ 'var/lib/rpm/Packages': epochBdb() }), imageContext);
  assert.deepEqual(result, {
    PackageInfos: [
      {
        FilePath: 'var/lib/rpm/Packages',
        Packages: [
          {
            ID: 'hello@0.0.1-rls.x86_64',
            Name: 'hello',
            Version: '0.0.1',
            Release: 'rls',
            Epoch: 1,
            Arch: 'x86_64',
            SrcName: 'hello',
            SrcVersion: '0.0.1',
            SrcRelease: 'rls',
            SrcEpoch: 1,
            Licenses: ['GPL'],
            Digest: 'md5:cf2ddad93eb8bde0848348b7dd2318a9',
          },
        ],
      },
    ],
  });
});

test('SQLite and NDB databases through the analyzer: vendor files, dependency graph, digests', async () => {
  const result = await rpmAnalyzer.analyze(
    memoryFiles({ 'var/lib/rpm/rpmdb.sqlite': marinerSqlite(), 'usr/lib/sysimage/rpm/Packages.db': sle15Ndb() }),
    imageContext,
  );
  const [ndb, sqlite] = result.PackageInfos ?? [];
  assert.equal(ndb?.FilePath, 'usr/lib/sysimage/rpm/Packages.db');
  assert.equal(ndb?.Packages.length, 35);
  assert.equal(sqlite?.Packages.length, 129);
  const curl = sqlite?.Packages.find((pkg) => pkg.Name === 'curl');
  assert.equal(curl?.ID, 'curl@7.76.0-6.cm2.x86_64');
  assert.equal(curl?.Maintainer, 'Microsoft Corporation');
  assert.equal(curl?.Digest, 'md5:b5f5369ae91df3672fa3338669ec5ca2');
  assert.ok(curl?.InstalledFiles?.includes('/usr/bin/curl'));
  // curl requires libcurl.so.4()(64bit), libc.so.6, libz.so.1 …: resolved to the providing packages.
  for (const dependency of ['curl-libs@', 'glibc@', 'zlib@']) {
    assert.ok(
      curl?.DependsOn?.some((id) => id.startsWith(dependency)),
      dependency,
    );
  }
  assert.ok(!curl?.DependsOn?.includes(curl.ID ?? ''));
  const bash = ndb?.Packages.find((pkg) => pkg.Name === 'bash');
  assert.equal(bash?.SrcName, 'bash');
  assert.ok(bash?.InstalledFiles?.includes('/bin/bash') || bash?.InstalledFiles?.includes('/usr/bin/bash'));
});

test('arch-less entries (imported gpg-pubkey keys) are listed with Arch None, as in Trivy goldens', () => {
  const { packages } = rpmPackagesToTrivy([
    info({ Name: 'gpg-pubkey', Version: 'c87f5b1a', Release: '593863f8', License: 'pubkey', SourceRpm: '(none)' }),
    info({ Name: 'noarch-less', Version: '1', Release: '1', SourceRpm: 'noarch-less-1-1.src.rpm' }),
  ]);
  assert.deepEqual(packages, [
    // Trivy's amazon-2 golden (pkg/fanal/test/integration/testdata/goldens/packages/amazon-2.json.golden).
    {
      ID: 'gpg-pubkey@c87f5b1a-593863f8.',
      Name: 'gpg-pubkey',
      Version: 'c87f5b1a',
      Release: '593863f8',
      Arch: 'None',
      Licenses: ['pubkey'],
    },
    {
      ID: 'noarch-less@1-1.',
      Name: 'noarch-less',
      Version: '1',
      Release: '1',
      Arch: 'None',
      SrcName: 'noarch-less',
      SrcVersion: '1',
      SrcRelease: '1',
    },
  ]);
});

test('a vendor package with an inconsistent file list keeps the package and reports the problem', () => {
  const { packages, warnings } = rpmPackagesToTrivy([
    info({
      Name: 'bad',
      Version: '1',
      Release: '1',
      Arch: 'x86_64',
      Vendor: 'Red Hat, Inc.',
      BaseNames: ['a', 'b'],
      DirIndexes: [0, 5],
      DirNames: ['/usr/'],
    }),
  ]);
  assert.equal(packages[0]?.ID, 'bad@1-1.x86_64');
  assert.equal(packages[0]?.InstalledFiles, undefined);
  assert.deepEqual(warnings, ['bad@1-1.x86_64: invalid file list in rpm bad']);
});
