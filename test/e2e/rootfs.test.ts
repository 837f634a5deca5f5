import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Report } from '../../src/report/index.ts';
import {
  assertTarget,
  assertTargets,
  REPO_ROOT,
  type ScanRun,
  scanJson,
  seededCache,
  type TargetExpectation,
} from './e2e-scan.ts';

/**
 * `vigil rootfs` over an unpacked root file system holding installed packages of every kind
 * (test/fixtures/projects/rootfs): Trivy gathers node_modules, site-packages, gemspecs, jars and
 * conda-meta into one result per language, with each finding's PkgPath; lock files are not read.
 */
const ROOTFS = 'test/fixtures/projects/rootfs';
const JAVA_DB = join(REPO_ROOT, 'test/fixtures/e2e-db/java-db/trivy-java.db');

const JACKSON = (finding: string) => `${finding} path:opt/app/lib/jackson-databind-2.9.10.3.jar`;
const JAVA_WITHOUT_DB: TargetExpectation = {
  type: 'jar',
  findings: [
    JACKSON('CVE-2020-9548 com.fasterxml.jackson.core:jackson-databind@2.9.10.3 fixed:2.9.10.4'),
    JACKSON('CVE-2021-20190 com.fasterxml.jackson.core:jackson-databind@2.9.10.3 fixed:2.9.10.7'),
  ],
  notVulnerable: ['org.springframework:spring-beans@5.3.18'],
};
const ACTIVESUPPORT = 'path:usr/lib/ruby/gems/3.1.0/specifications/activesupport-4.2.1.gemspec';

const EXPECTED: Readonly<Record<string, TargetExpectation>> = {
  'Node.js': {
    type: 'node-pkg',
    findings: ['CVE-2019-10744 lodash@4.17.4 fixed:4.17.12 path:usr/lib/node_modules/lodash/package.json'],
    notVulnerable: ['jquery@3.4.0'],
  },
  Python: {
    type: 'python-pkg',
    findings: [
      'CVE-2019-14806 Werkzeug@0.15.2 fixed:0.15.3 path:usr/lib/python3/dist-packages/Werkzeug-0.15.2.dist-info/METADATA',
      'CVE-2022-40897 setuptools@65.5.0 fixed:65.5.1 path:usr/local/lib/python3.11/site-packages/setuptools-65.5.0-py3.11.egg-info/PKG-INFO',
    ],
    notVulnerable: ['setuptools@65.5.1'],
  },
  Ruby: {
    type: 'gemspec',
    findings: [
      `CVE-2015-3226 activesupport@4.2.1 fixed:3.2.22.5, 4.2.2, 4.1.11 ${ACTIVESUPPORT}`,
      `CVE-2015-3227 activesupport@4.2.1 fixed:4.2.2, 4.1.11 ${ACTIVESUPPORT}`,
    ],
  },
  Java: JAVA_WITHOUT_DB,
  Conda: { type: 'conda-pkg', findings: [], notVulnerable: ['openssl@1.1.1q'] },
  // .NET deps.json files are read in every kind of scan, as in Trivy.
  'app/app.deps.json': { type: 'dotnet-core', findings: ['GHSA-5crp-9r3c-p9vr Newtonsoft.Json@12.0.3 fixed:13.0.1'] },
  'srv/www/vendor/composer/installed.json': {
    type: 'composer-vendor',
    findings: ['CVE-2022-24775 guzzlehttp/psr7@1.8.3 fixed:1.8.4'],
    notVulnerable: ['psr/http-message@1.0.1'],
  },
  // Build info: golang.org/x/text v0.3.6 (< 0.3.7) and opa v0.37.0 (the fix of CVE-2022-23628).
  'usr/local/bin/gobin': {
    type: 'gobinary',
    findings: ['CVE-2021-38561 golang.org/x/text@v0.3.6 fixed:0.3.7'],
    notVulnerable: ['github.com/open-policy-agent/opa@v0.37.0'],
  },
  // cargo-auditable data: ammonia 2.0.0, below both patched ranges.
  'usr/local/bin/rustbin': {
    type: 'rustbinary',
    findings: [
      'CVE-2019-15542 ammonia@2.0.0 fixed:>= 2.1.0',
      'CVE-2021-38193 ammonia@2.0.0 fixed:>= 3.1.0, >= 2.1.3, < 3.0.0',
    ],
  },
};

/** A loopback port nothing listens on, so any download attempt fails at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

/** A second cache with the same vulnerability DB plus the Java DB (20 KB fixture from Trivy). */
function withJavaDb(cache: string): string {
  const copy = `${cache}-java`;
  cpSync(cache, copy, { recursive: true });
  mkdirSync(join(copy, 'java-db'));
  cpSync(JAVA_DB, join(copy, 'java-db', 'trivy-java.db'));
  const now = new Date().toISOString();
  const metadata = { Version: 1, NextUpdate: now, UpdatedAt: now, DownloadedAt: now };
  writeFileSync(join(copy, 'java-db', 'metadata.json'), JSON.stringify(metadata));
  return copy;
}

const result = (report: Report, target: string) => report.Results?.find((r) => r.Target === target);

describe('vigil rootfs on installed packages, with and without the Java DB', () => {
  let noJavaDb: ScanRun;
  let javaDb: ScanRun;
  let unreachableJavaDb: ScanRun;
  let lockFilesOnly: ScanRun;
  let noJars: ScanRun;
  let port = 0;
  before(async () => {
    const cache = await seededCache();
    port = await closedPort();
    // Updates allowed, from a repository that refuses connections.
    const unreachable = ['--skip-db-update', '--java-db-repository', `127.0.0.1:${port}/java-db`];
    noJavaDb = await scanJson(['rootfs', ROOTFS, '--cache-dir', cache, '--offline', '--debug']);
    javaDb = await scanJson(['rootfs', ROOTFS, '--cache-dir', withJavaDb(cache), '--offline']);
    unreachableJavaDb = await scanJson(['rootfs', ROOTFS, '--cache-dir', cache, ...unreachable]);
    lockFilesOnly = await scanJson(['fs', ROOTFS, '--cache-dir', cache, '--offline']);
    noJars = await scanJson(['rootfs', 'test/fixtures/projects/nodejs', '--cache-dir', cache, ...unreachable]);
  });

  it('aggregates installed packages per language (Node.js, Python, Ruby, Java, Conda) and keeps binaries apart', () => {
    assert.equal(noJavaDb.report.ArtifactType, 'filesystem');
    assertTargets(noJavaDb.report, EXPECTED);
  });

  for (const [target, expected] of Object.entries(EXPECTED)) {
    it(`${target}: findings with their package paths, none at the fix`, () =>
      assertTarget(noJavaDb.report, target, expected));
  }

  it('without a Java DB, identifies jars from their metadata and says which could not be checked by SHA-1', () => {
    const jars = result(noJavaDb.report, 'Java')?.Packages ?? [];
    const websocket = jars.find((p) => p.FilePath === 'opt/app/lib/websocket.jar');
    assert.ok(websocket, 'the jar without pom.properties is still listed');
    assert.notEqual(websocket.Name, 'org.apache.tomcat.embed:tomcat-embed-websocket');
    assert.match(noJavaDb.stderr, /WARN\s+the Java DB is unavailable .*: jars are identified from their metadata only/);
    assert.match(noJavaDb.stderr, /opt\/app\/lib\/websocket\.jar: not checked by SHA-1 \(no Java DB\)/);
    assert.doesNotMatch(noJavaDb.stderr, /jackson-databind-2\.9\.10\.3\.jar: not checked/);
  });

  it('with the Java DB, identifies the jar by its SHA-1 and finds its vulnerability', () => {
    assertTarget(javaDb.report, 'Java', {
      ...JAVA_WITHOUT_DB,
      findings: [
        ...JAVA_WITHOUT_DB.findings,
        'CVE-2024-23672 org.apache.tomcat.embed:tomcat-embed-websocket@9.0.65 fixed:11.0.0-M17, 10.1.19, 9.0.86, 8.5.99 path:opt/app/lib/websocket.jar',
      ],
    });
    assert.match(javaDb.stderr, /INFO\s+the Java DB was built/);
    assert.doesNotMatch(javaDb.stderr, /Java DB is unavailable|not checked by SHA-1/);
    // The rest of the report does not depend on the Java DB.
    for (const [target, expected] of Object.entries(EXPECTED)) {
      if (target !== 'Java') assertTarget(javaDb.report, target, expected);
    }
  });

  it('reads lock files, not installed metadata, when the same tree is scanned with fs', () => {
    assert.deepEqual(
      (lockFilesOnly.report.Results ?? []).map((r) => `${r.Target} ${r.Type}`),
      ['app/app.deps.json dotnet-core', 'srv/www/package-lock.json npm'],
    );
    assertTarget(lockFilesOnly.report, 'app/app.deps.json', EXPECTED['app/app.deps.json'] as TargetExpectation);
    assertTarget(lockFilesOnly.report, 'srv/www/package-lock.json', {
      type: 'npm',
      findings: ['CVE-2019-11358 jquery@3.3.1 fixed:3.4.0'],
    });
    assert.doesNotMatch(lockFilesOnly.stderr, /Java DB/);
  });

  it('tries to download a missing Java DB only when a jar needs it, and a failed download does not fail the scan', () => {
    const download = new RegExp(`downloading the Java DB from 127\\.0\\.0\\.1:${port}/java-db`);
    assert.match(unreachableJavaDb.stderr, download);
    assert.match(unreachableJavaDb.stderr, /WARN\s+the Java DB is unavailable .*connection refused/);
    assertTargets(unreachableJavaDb.report, EXPECTED);
    assertTarget(unreachableJavaDb.report, 'Java', JAVA_WITHOUT_DB);
    // No jar, no download; and rootfs reads installed package.json files, never the lock files beside them.
    assert.doesNotMatch(noJars.stderr, /downloading the Java DB|Java DB is unavailable/);
    assert.deepEqual(
      (noJars.report.Results ?? []).map((r) => `${r.Target} ${r.Type}`),
      ['Node.js node-pkg'],
    );
  });
});
