import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.ts';
import {
  assertTarget,
  assertTargets,
  PROJECTS,
  type ScanRun,
  scanJson,
  seededCache,
  type TargetExpectation,
} from './e2e-scan.ts';

/**
 * Every other ecosystem's lock files and manifests, scanned in one `vigil fs` run over a copy of
 * their fixture projects. Advisories come from Trivy's integration fixtures (go, java, ruby,
 * composer, rust, nuget, pub, swift, cocoapods, conan, erlang) and test/fixtures/e2e-db (julia).
 */
const ECOSYSTEMS = [
  'go',
  'java',
  'ruby',
  'php',
  'rust',
  'dotnet',
  'dart',
  'swift',
  'conan',
  'elixir',
  'julia',
  'conda',
];

const JACKSON_2910_3 = [
  'CVE-2020-9548 com.fasterxml.jackson.core:jackson-databind@2.9.10.3 fixed:2.9.10.4',
  'CVE-2021-20190 com.fasterxml.jackson.core:jackson-databind@2.9.10.3 fixed:2.9.10.7',
];
const NEWTONSOFT = (version: string) => `GHSA-5crp-9r3c-p9vr Newtonsoft.Json@${version} fixed:13.0.1`;
const NIO_FIXES = '2.29.1, 2.39.1, 2.42.0';

const EXPECTED: Readonly<Record<string, TargetExpectation>> = {
  // docker/distribution < v2.8.0; golang.org/x/text < 0.3.7; opa >= 0.33.1, < 0.37.0 (0.37.0 is the fix).
  'go/gomod/go.mod': {
    type: 'gomod',
    findings: [
      'GMS-2022-20 github.com/docker/distribution@v2.7.1+incompatible fixed:v2.8.0',
      'CVE-2021-38561 golang.org/x/text@v0.3.6 fixed:0.3.7',
    ],
    notVulnerable: ['github.com/open-policy-agent/opa@v0.37.0'],
  },
  // jackson-databind >= 2.0.0, <= 2.9.10.3 and [2.9.0,2.9.10.7); spring-beans >= 5.3.0, < 5.3.18.
  'java/pom/pom.xml': {
    type: 'pom',
    findings: JACKSON_2910_3,
    notVulnerable: ['org.springframework:spring-beans@5.3.18'],
  },
  'java/gradle/gradle.lockfile': {
    type: 'gradle',
    findings: ['CVE-2022-22965 org.springframework:spring-beans@5.3.17 fixed:5.3.18'],
    notVulnerable: ['com.fasterxml.jackson.core:jackson-databind@2.9.10.7'],
  },
  'java/sbt/build.sbt.lock': {
    type: 'sbt',
    findings: [
      'CVE-2020-9548 com.fasterxml.jackson.core:jackson-databind@2.9.1 fixed:2.9.10.4',
      'CVE-2021-20190 com.fasterxml.jackson.core:jackson-databind@2.9.1 fixed:2.9.10.7',
    ],
  },
  // activesupport CVE-2020-8165: >= 5.0.0, <= 5.2.4.2 (fixed 6.0.3.1, 5.2.4.3).
  'ruby/bundler/Gemfile.lock': {
    type: 'bundler',
    findings: ['CVE-2020-8165 activesupport@5.2.4.2 fixed:6.0.3.1, 5.2.4.3'],
  },
  'ruby/bundler-patched/Gemfile.lock': { type: 'bundler', findings: [], notVulnerable: ['activesupport@5.2.4.3'] },
  'php/composer/composer.lock': {
    type: 'composer',
    findings: ['CVE-2022-24775 guzzlehttp/psr7@1.8.3 fixed:1.8.4'],
    notVulnerable: ['psr/http-message@1.0.1'],
  },
  // ammonia has only patched ranges: 2.1.0 is patched for CVE-2019-15542 (>= 2.1.0), not for CVE-2021-38193.
  'rust/cargo/Cargo.lock': {
    type: 'cargo',
    findings: ['CVE-2021-38193 ammonia@2.1.0 fixed:>= 3.1.0, >= 2.1.3, < 3.0.0'],
    notVulnerable: ['ammonia@2.1.0'],
  },
  'dotnet/nuget-lock/packages.lock.json': { type: 'nuget', findings: [NEWTONSOFT('12.0.3')] },
  'dotnet/packages-config/packages.config': { type: 'nuget', findings: [NEWTONSOFT('12.0.1')] },
  'dotnet/packages-props/Directory.Packages.props': { type: 'packages-props', findings: [NEWTONSOFT('12.0.3')] },
  'dotnet/deps-json/app.deps.json': { type: 'dotnet-core', findings: [], notVulnerable: ['Newtonsoft.Json@13.0.1'] },
  'dart/pub/pubspec.lock': { type: 'pub', findings: ['CVE-2020-35669 http@0.13.2 fixed:0.13.3'] },
  // swift-nio / _NIODataStructures CVE-2022-3215: < 2.29.1, >= 2.39.0 < 2.39.1, >= 2.41.0 < 2.42.0.
  'swift/swiftpm/Package.resolved': {
    type: 'swift',
    findings: [`CVE-2022-3215 github.com/apple/swift-nio@2.41.0 fixed:${NIO_FIXES}`],
  },
  'swift/cocoapods/Podfile.lock': {
    type: 'cocoapods',
    findings: [`CVE-2022-3215 _NIODataStructures@2.39.0 fixed:${NIO_FIXES}`],
  },
  'swift/cocoapods-patched/Podfile.lock': {
    type: 'cocoapods',
    findings: [],
    notVulnerable: ['_NIODataStructures@2.42.0'],
  },
  'conan/lock/conan.lock': { type: 'conan', findings: ['CVE-2020-14155 pcre@8.43 fixed:8.45'] },
  'elixir/mix/mix.lock': { type: 'hex', findings: ['CVE-2022-42975 phoenix@1.6.13 fixed:1.6.14'] },
  // JLSEC-2025-1: HTTP < 1.10.17, URIs < 1.6.0.
  'julia/pkg/Manifest.toml': {
    type: 'julia',
    findings: ['CVE-2025-52479 HTTP@1.10.16 fixed:1.10.17'],
    notVulnerable: ['URIs@1.6.0'],
  },
  // Trivy inventories Conda environments but never checks them.
  'conda/environment/environment.yaml': {
    type: 'conda-environment',
    findings: [],
    notVulnerable: ['openssl@1.1.1q', 'bzip2@1.0.8'],
  },
};

describe('vigil fs on Go, Java, Ruby, PHP, Rust, .NET, Dart, Swift, CocoaPods, Conan, Elixir, Julia and Conda projects', () => {
  let run: ScanRun;
  before(async () => {
    const cache = await seededCache();
    const root = tempDir('vigil-e2e-projects-');
    for (const ecosystem of ECOSYSTEMS) cpSync(join(PROJECTS, ecosystem), join(root, ecosystem), { recursive: true });
    run = await scanJson(['fs', root, '--cache-dir', cache, '--offline']);
  });

  it('reports one lang-pkgs result per lock file, targets relative to the scan root', () => {
    assertTargets(run.report, EXPECTED);
  });

  for (const [target, expected] of Object.entries(EXPECTED)) {
    it(`${target}: findings, and none for versions at the fix`, () => assertTarget(run.report, target, expected));
  }

  it('keeps the IDs Trivy gives (Maven pom IDs with a file hash, Julia UUIDs, NuGet with `@` or `/`)', () => {
    const pkgId = (target: string, name: string) =>
      run.report.Results?.find((r) => r.Target === target)?.Vulnerabilities?.find((v) => v.PkgName === name)?.PkgID;
    assert.match(
      pkgId('java/pom/pom.xml', 'com.fasterxml.jackson.core:jackson-databind') ?? '',
      /^com\.fasterxml\.jackson\.core:jackson-databind:2\.9\.10\.3::[0-9a-f]{8}$/,
    );
    assert.equal(pkgId('julia/pkg/Manifest.toml', 'HTTP'), 'cd3eb016-35fb-5094-929b-558a96fad6f3');
    assert.equal(pkgId('dotnet/nuget-lock/packages.lock.json', 'Newtonsoft.Json'), 'Newtonsoft.Json@12.0.3');
    assert.equal(pkgId('conan/lock/conan.lock', 'pcre'), 'pcre/8.43');
  });

  it('warns that Conda packages are not checked, as Trivy does', () => {
    assert.match(run.stderr, /WARN\s+conda-environment packages are inventoried but not checked for vulnerabilities/);
  });
});
