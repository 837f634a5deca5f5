import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.ts';
import { buildOciLayouts, type ImageSpec } from './image-builder.ts';
import { osImage } from './os-images.ts';
import { findingLine, osFindings, seededCache, vigil } from './vigil-scan.ts';

/**
 * Scan flags through the real CLI on an OS image (those test/cli/scan.test.ts does not cover):
 * --skip-dirs, --ignorefile in its YAML form, --list-all-pkgs in table mode, --scanners,
 * -q, a --timeout too short and an --output that cannot be written.
 */

/** Ubuntu 18.04 with Ubuntu Pro, plus a layer holding an application's Dockerfile. */
const IMAGE: ImageSpec = {
  name: 'ubuntu-esm-app',
  layers: [
    ...osImage('ubuntu-18.04-esm').layers,
    { files: { 'app/Dockerfile': 'FROM ubuntu:18.04\nRUN apt-get update\nCMD ["/bin/bash"]\n' } },
  ],
};

const ESM_FINDINGS = [
  'CVE-2019-18276 bash@4.4.18-2ubuntu1.2 fixed:4.4.18-2ubuntu1.3 fixed LOW/ubuntu ds:ubuntu',
  'CVE-2022-1304 e2fsprogs@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
  'CVE-2022-1304 libcom-err2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
  'CVE-2022-1304 libext2fs2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
  'CVE-2022-1304 libss2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
];

/** An error run: exit 1, exactly `error:` and `hint:` on stderr (-q silences logs), no stack, no report. */
function assertCleanFailure(run: { status: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, run.stderr);
  assert.match(lines[0] ?? '', /^error: /);
  assert.match(lines[0] ?? '', message);
  assert.match(lines[1] ?? '', /^hint: \S/);
}

const scanCacheEntries = (cache: string): string[] =>
  existsSync(join(cache, 'scan')) ? readdirSync(join(cache, 'scan'), { recursive: true }).map(String) : [];

describe('scan flags on an OS image', () => {
  const work = tempDir('vigil-e2e-os-flags-');
  const cacheDir = tempDir('vigil-e2e-os-cache-');
  let input: string;
  let cache: string;
  const scan = (...args: string[]) => vigil(['image', '--input', input, '--cache-dir', cache, '--offline', ...args]);

  before(async () => {
    const [layouts, seeded] = await Promise.all([buildOciLayouts([IMAGE], work), seededCache(cacheDir)]);
    input = layouts.get(IMAGE.name) as string;
    cache = seeded;
  });

  it('--skip-dirs leaves the Ubuntu Pro status out, so the standard 18.04 bucket applies (cached layers too)', async () => {
    // A plain scan first fills the scan cache; the skipped scans must not reuse its layer results.
    const plain = await scan('-f', 'json');
    assert.deepEqual(osFindings(plain.report).map(findingLine), ESM_FINDINGS);
    for (const pattern of ['var/lib/ubuntu-advantage', '**/ubuntu-advantage']) {
      const skipped = await scan('-f', 'json', '--skip-dirs', pattern);
      assert.equal(skipped.status, 0, skipped.stderr);
      assert.deepEqual(skipped.report?.Metadata.OS, { Family: 'ubuntu', Name: '18.04', EOSL: true });
      assert.equal(skipped.report?.Results[0]?.Target, `${input} (ubuntu 18.04)`);
      assert.deepEqual(osFindings(skipped.report).map(findingLine), [
        'CVE-2019-18276 bash@4.4.18-2ubuntu1.2 fixed:- affected LOW/ubuntu ds:ubuntu',
        'CVE-2019-5094 e2fsprogs@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
        'CVE-2019-5094 libcom-err2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
        'CVE-2019-5094 libext2fs2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
        'CVE-2019-5094 libss2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
      ]);
    }
  });

  it('--ignorefile reads the YAML form: IDs limited by PURL, expired entries ignored', async () => {
    const ignoreFile = join(work, '.trivyignore.yaml');
    writeFileSync(
      ignoreFile,
      [
        'vulnerabilities:',
        '  - id: CVE-2022-1304',
        '    purls:',
        '      - pkg:deb/ubuntu/libss2@1.44.1-1ubuntu1.1?arch=amd64&distro=ubuntu-18.04',
        '    statement: libss2 is not used by the application',
        '  - id: CVE-2019-18276',
        '    expired_at: 2001-01-01',
        '    statement: an expired exception applies no more',
        '',
      ].join('\n'),
    );
    const run = await scan('-f', 'json', '--ignorefile', ignoreFile);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      osFindings(run.report).map(findingLine),
      ESM_FINDINGS.filter((line) => !line.startsWith('CVE-2022-1304 libss2@')),
    );
  });

  it('--list-all-pkgs changes nothing in a table', async () => {
    const table = await scan('-q');
    const listed = await scan('-q', '--list-all-pkgs');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(table.stdout, /Total: 5 \(UNKNOWN: 0, LOW: 1, MEDIUM: 4, HIGH: 0, CRITICAL: 0\)/);
    // The DB's age in the footer ("4s ago") may tick between the two runs.
    const withoutAge = (text: string) => text.replace(/, [0-9smhd]+ ago$/gm, '');
    assert.equal(withoutAge(listed.stdout), withoutAge(table.stdout));
    assert.doesNotMatch(listed.stdout, /dash|passwd|base-files/);
  });

  it('--scanners vuln checks packages only; misconfig adds the Dockerfile', async () => {
    const vulnOnly = await scan('-f', 'json', '--scanners', 'vuln');
    assert.equal(vulnOnly.status, 0, vulnOnly.stderr);
    assert.deepEqual(
      vulnOnly.report?.Results.map((result) => `${result.Class} ${result.Target}`),
      [`os-pkgs ${input} (ubuntu 18.04-ESM)`],
    );
    const both = await scan('-f', 'json', '--scanners', 'vuln,misconfig');
    assert.equal(both.status, 0, both.stderr);
    assert.deepEqual(
      both.report?.Results.map((result) => `${result.Class} ${result.Target}`),
      [`os-pkgs ${input} (ubuntu 18.04-ESM)`, 'config app/Dockerfile'],
    );
    assert.deepEqual(osFindings(both.report).map(findingLine), ESM_FINDINGS);
    assert.ok((both.report?.Results[1]?.Misconfigurations ?? []).length > 0, 'the Dockerfile has failed checks');
  });

  it('-q prints the report and nothing else', async () => {
    const loud = await scan('-f', 'json');
    assert.match(loud.stderr, /INFO/);
    const quiet = await scan('-f', 'json', '-q');
    assert.equal(quiet.status, 0);
    assert.equal(quiet.stderr, '');
    assert.deepEqual(osFindings(quiet.report).map(findingLine), ESM_FINDINGS);
  });

  it('a --timeout too short ends the scan with a clean error and caches nothing', async () => {
    const fresh = await seededCache(tempDir('vigil-e2e-os-cache-'));
    const run = await vigil(['image', '--input', input, '--cache-dir', fresh, '--offline', '-q', '--timeout', '1ms']);
    assertCleanFailure(run, /did not finish within --timeout/);
    assert.deepEqual(scanCacheEntries(fresh), []);
  });

  it('an --output that cannot be written is a clean error', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'not a directory');
    const run = await scan('-q', '-f', 'json', '--output', join(file, 'report.json'));
    assertCleanFailure(run, /cannot write the report to .*a-file\/report\.json/);
  });
});
