import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { alpineReleaseAnalyzer, mergeOs, osReleaseAnalyzer } from '../../../src/analyzer/os/index.ts';
import { apkAnalyzer, decodeApkChecksum, isApkVersion, parseApkInstalled } from '../../../src/analyzer/pkg/index.ts';
import type { OS, Package } from '../../../src/analyzer/types.ts';
import { analyzeRoot, goldenTables, imageContext, memoryFiles } from '../os/collected-files.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/analyzer-pkg/', import.meta.url));
const read = (path: string) => readFileSync(`${fixtures}${path}`, 'utf8');

test('Trivy apk_test.go: 16 stanzas give 15 packages, the one without a version is dropped', async () => {
  const [parse, required] = goldenTables<{ name: string; wantPkgs: Package[] }>(
    `${fixtures}expected/trivy/apk_test.expected.json`,
  );
  const want = parse?.cases[0]?.wantPkgs ?? [];
  assert.equal(want.length, 15);
  const { packages, warnings } = parseApkInstalled(read('trivy/apk/installed'));
  assert.deepEqual(packages, want);
  assert.deepEqual(warnings, []);
  for (const c of (required?.cases ?? []) as unknown as { name: string; filePath: string; want: boolean }[]) {
    assert.equal(apkAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});

test('alpine:3.11 image layer: packages and OS equal Trivy image_test.go expectations', async () => {
  const expected = JSON.parse(read('expected/trivy/alpine-311.blob.expected.json')) as {
    OS: OS;
    PackageInfos: { FilePath: string; Packages: (Package & { AnalyzedBy?: string })[] }[];
  };
  const result = await analyzeRoot(apkAnalyzer, `${fixtures}alpine311-root`);
  // Trivy sorts packages by name before comparing.
  const sorted = result.PackageInfos?.map((info) => ({
    ...info,
    Packages: [...info.Packages].sort((a, b) => (a.Name < b.Name ? -1 : 1)),
  }));
  assert.deepEqual(
    sorted,
    expected.PackageInfos.map((info) => ({
      FilePath: info.FilePath,
      Packages: info.Packages.map(({ AnalyzedBy: _, ...pkg }) => pkg),
    })),
  );
  let os: OS | undefined;
  for (const analyzer of [osReleaseAnalyzer, alpineReleaseAnalyzer]) {
    const found = (await analyzeRoot(analyzer, `${fixtures}alpine311-root`)).OS;
    if (found) os = mergeOs(os, found);
  }
  assert.deepEqual(os, expected.OS);
});

interface ScalibrCase {
  name: string;
  path: string;
  wantPackages: { $call: string; args: string[] }[] | Record<string, never> | null;
  wantErr?: string;
}

test('osv-scalibr apk cases, mapped to Trivy fields', async (t) => {
  const [, extract] = goldenTables<ScalibrCase>(`${fixtures}expected/osv-scalibr/apk_test.expected.json`);
  for (const c of extract?.cases ?? []) {
    await t.test(c.name, () => {
      const { packages } = parseApkInstalled(read(`osv-scalibr/apk/${c.path.replace('testdata/', '')}`));
      // getPackage(path, name, origin, version, osID, osVersion, maintainer, arch, license, commit)
      const want = (Array.isArray(c.wantPackages) ? c.wantPackages : []).map(({ args }) => ({
        name: args[1],
        origin: args[2] || undefined,
        version: args[3],
        maintainer: args[6] || undefined,
        arch: args[7] || undefined,
      }));
      const got = packages.map((pkg) => ({
        name: pkg.Name,
        origin: pkg.SrcName,
        version: pkg.Version,
        maintainer: pkg.Maintainer,
        arch: pkg.Arch,
      }));
      const byName = (a: { name?: string }, b: { name?: string }) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1);
      // osv-scalibr fails on the `invalid` file; Trivy and Vigil read no package from it.
      assert.deepEqual(got.sort(byName), want.sort(byName));
    });
  }
});

test('apk version validity is go-apk-version Valid (Trivy), checked on recorded Go answers', () => {
  const vectors = JSON.parse(read('versions/apk.valid.go-apk-version.json')) as { version: string; valid: boolean }[];
  assert.ok(vectors.length > 500);
  for (const { version, valid } of vectors) assert.equal(isApkVersion(version), valid, JSON.stringify(version));
});

test('checksums: Q1 is base64 SHA-1, otherwise base64 MD5, anything else is ignored', () => {
  assert.equal(decodeApkChecksum('Q11otALzX1d1D0kVawy06IairTXS0='), 'sha1:d68b402f35f57750f49156b0cb4e886a2ad35d2d');
  assert.equal(decodeApkChecksum('1B2M2Y8AsgTpgAmY7PhCfg=='), 'md5:d41d8cd98f00b204e9800998ecf8427e');
  assert.equal(decodeApkChecksum('Q1not*base64'), undefined);
});

test('licences, provides and dependencies as Trivy resolves them', () => {
  const db = [
    'P:libfoo',
    'V:1.0-r0',
    'L:MPL 2.0 AND (GPL2+ OR BSD)',
    'p:so:libfoo.so.1=1.0 cmd:foo',
    '',
    'P:app',
    'V:2.0-r1',
    'D:so:libfoo.so.1 !conflicting libfoo>=1.0 cmd:foo missing',
    'F:usr/bin',
    'R:app',
    'F:usr/share/app',
    'R:data',
    '',
    'P:app',
    'V:3.0-r0',
    '',
  ].join('\n');
  const { packages } = parseApkInstalled(db);
  assert.deepEqual(
    packages.map((pkg) => [pkg.ID, pkg.Licenses, pkg.DependsOn, pkg.InstalledFiles]),
    [
      ['libfoo@1.0-r0', ['MPL-2.0', 'GPL-2.0-or-later', 'BSD-3-Clause'], undefined, undefined],
      ['app@2.0-r1', undefined, ['libfoo@1.0-r0'], ['usr/bin/app', 'usr/share/app/data']],
    ],
  );
});

test('an empty, invalid or binary database yields no packages and no crash', async () => {
  assert.deepEqual(parseApkInstalled('').packages, []);
  assert.deepEqual(parseApkInstalled('asdf\nyolo\n').packages, []);
  const noise = Buffer.alloc(4096);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 256;
  const result = await apkAnalyzer.analyze(memoryFiles({ 'lib/apk/db/installed': noise }), imageContext);
  assert.equal(result.PackageInfos?.length, 1);
  assert.ok((result.PackageInfos?.[0]?.Packages.length ?? 0) <= 1);
  const bad = parseApkInstalled('P:x\nV:1.0bc\n\n');
  assert.deepEqual(bad.packages, []);
  assert.deepEqual(bad.warnings, ['skipped x: invalid version 1.0bc']);
});
