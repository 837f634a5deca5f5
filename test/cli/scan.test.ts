import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runVigil } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { seedVulnDb } from '../helpers/vuln-db.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const images = join(repoRoot, 'test/fixtures/images');
const projects = join(repoRoot, 'test/fixtures/projects');
const sampleImage = join(repoRoot, 'samples/alpine-3.11.tar.gz');
const sampleDb = join(repoRoot, 'samples/sample-db.yaml');

interface JsonReport {
  ArtifactName: string;
  ArtifactType: string;
  Metadata: { OS?: { Family: string; Name: string; EOSL?: boolean }; ImageID?: string };
  Results?: Array<{
    Target: string;
    Class: string;
    Type: string;
    Packages?: Array<{ Name: string; Identifier?: { PURL?: string } }>;
    Vulnerabilities?: Array<Record<string, unknown> & { VulnerabilityID: string; PkgName: string; Severity: string }>;
  }>;
}

describe('vigil image / fs / rootfs', () => {
  const cache = tempDir();
  const sampleCache = tempDir();
  before(async () => {
    await seedVulnDb(cache);
    await seedVulnDb(sampleCache, [sampleDb]);
  });

  const scan = async (args: string[], cwd = repoRoot) => {
    const run = await runVigil(args, { cwd });
    return { ...run, json: run.stdout.startsWith('{') ? (JSON.parse(run.stdout) as JsonReport) : undefined };
  };

  it('scans the sample Alpine image offline into a Trivy-shaped JSON report', async () => {
    const run = await scan([
      'image',
      '--input',
      'samples/alpine-3.11.tar.gz',
      '--cache-dir',
      sampleCache,
      '--offline',
      '-f',
      'json',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const report = run.json as JsonReport;
    assert.equal(report.ArtifactName, 'samples/alpine-3.11.tar.gz');
    assert.equal(report.ArtifactType, 'container_image');
    assert.deepEqual(report.Metadata.OS, { Family: 'alpine', Name: '3.11.5', EOSL: true });
    const [result] = report.Results ?? [];
    assert.equal(result?.Target, 'samples/alpine-3.11.tar.gz (alpine 3.11.5)');
    assert.equal(result?.Class, 'os-pkgs');
    assert.equal(result?.Type, 'alpine');
    const found = (result?.Vulnerabilities ?? []).map((v) => `${v.PkgName} ${v.VulnerabilityID}`);
    assert.ok(found.includes('libssl1.1 CVE-2020-1967'));
    assert.ok(found.includes('musl CVE-2020-28928'));
    assert.equal(found.length, 13);
    const vulnerability = result?.Vulnerabilities?.find((v) => v.VulnerabilityID === 'CVE-2020-1967');
    for (const field of [
      'PkgID',
      'PkgIdentifier',
      'InstalledVersion',
      'FixedVersion',
      'Status',
      'Layer',
      'SeveritySource',
      'PrimaryURL',
      'DataSource',
      'Title',
      'Description',
      'Severity',
      'CweIDs',
      'CVSS',
      'References',
      'PublishedDate',
    ]) {
      assert.ok(vulnerability && field in vulnerability, `field ${field}`);
    }
    assert.equal(vulnerability?.Severity, 'HIGH');
    assert.match(
      String((vulnerability?.PkgIdentifier as { PURL?: string } | undefined)?.PURL),
      /^pkg:apk\/alpine\/lib(ssl|crypto)1\.1@1\.1\.1d-r3\?arch=x86_64&distro=3\.11\.5$/,
    );
    assert.match(run.stderr, /past its end of service life/);
  });

  it('prints a table grouped by target with a total line', async () => {
    const run = await scan(['image', '--input', sampleImage, '--cache-dir', sampleCache, '--offline']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Total: 13 \(UNKNOWN: 0, LOW: 0, MEDIUM: 6, HIGH: 7, CRITICAL: 0\)/);
    assert.match(run.stdout, /│ musl-utils +│ CVE-2020-28928 │ MEDIUM/);
  });

  it('honours --severity, --ignore-unfixed, --ignorefile, --exit-code and --output', async () => {
    const dir = tempDir();
    const ignore = join(dir, 'ignore');
    writeFileSync(ignore, 'CVE-2020-1967\nCVE-2021-23840 exp:2000-01-01\n');
    const output = join(dir, 'out/report.json');
    const run = await scan([
      'image',
      '--input',
      sampleImage,
      '--cache-dir',
      sampleCache,
      '--offline',
      '-f',
      'json',
      '--severity',
      'HIGH,CRITICAL',
      '--ignore-unfixed',
      '--ignorefile',
      ignore,
      '--exit-code',
      '5',
      '--output',
      output,
    ]);
    assert.equal(run.status, 5, run.stderr);
    assert.equal(run.stdout, '');
    const report = JSON.parse(readFileSync(output, 'utf8')) as JsonReport;
    const ids = new Set((report.Results?.[0]?.Vulnerabilities ?? []).map((v) => v.VulnerabilityID));
    assert.deepEqual([...ids].sort(), ['CVE-2021-23840', 'CVE-2021-28831', 'CVE-2021-30139']);
    const clean = await scan([
      'image',
      '--input',
      sampleImage,
      '--cache-dir',
      sampleCache,
      '--offline',
      '--severity',
      'CRITICAL',
      '--exit-code',
      '5',
      '-q',
    ]);
    assert.equal(clean.status, 0);
  });

  it('lists every package with --list-all-pkgs and skips files with --skip-files', async () => {
    const all = await scan([
      'image',
      '--input',
      sampleImage,
      '--cache-dir',
      sampleCache,
      '--offline',
      '-f',
      'json',
      '--list-all-pkgs',
    ]);
    assert.equal(all.json?.Results?.[0]?.Packages?.length, 14);
    const skipped = await scan([
      'image',
      '--input',
      sampleImage,
      '--cache-dir',
      sampleCache,
      '--offline',
      '-f',
      'json',
      '--skip-files',
      'lib/apk/db/installed',
    ]);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.equal(skipped.json?.Results?.[0]?.Vulnerabilities, undefined);
  });

  it('scans a project directory with fs, target named after the lock file', async () => {
    const run = await scan(['fs', join(projects, 'npm-jquery'), '--cache-dir', cache, '--offline', '-f', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const [result] = run.json?.Results ?? [];
    assert.equal(result?.Target, 'package-lock.json');
    assert.equal(result?.Class, 'lang-pkgs');
    assert.equal(result?.Type, 'npm');
    assert.deepEqual(
      (result?.Vulnerabilities ?? []).map((v) => `${v.PkgName} ${v.VulnerabilityID} ${v.FixedVersion}`).sort(),
      ['jquery CVE-2019-11358 3.4.0', 'lodash CVE-2019-10744 4.17.12'],
    );
  });

  it('scans an unpacked root file system with rootfs', async () => {
    const root = tempDir();
    const { execFileSync } = await import('node:child_process');
    execFileSync('tar', ['-xf', join(images, 'layered.docker.tar'), '-C', root]);
    const layers = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'))[0].Layers as string[];
    const fs = join(root, 'fs');
    execFileSync('mkdir', ['-p', fs]);
    execFileSync('tar', ['-xf', join(root, layers[0] as string), '-C', fs]);
    const run = await scan(['rootfs', fs, '--cache-dir', cache, '--offline', '-f', 'json', '--list-all-pkgs']);
    assert.equal(run.status, 0, run.stderr);
    const [result] = run.json?.Results ?? [];
    assert.equal(result?.Target, `${fs} (debian 12.4)`);
    assert.deepEqual(
      (result?.Packages ?? []).map((pkg) => pkg.Name),
      ['bash', 'libc6', 'libssl3'],
    );
  });

  it('fails with the first-run error and hint when no DB is cached and updates are skipped', async () => {
    const run = await scan(['fs', join(projects, 'npm-jquery'), '--cache-dir', tempDir(), '--skip-db-update']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^error: .*first run/im);
    assert.match(run.stderr, /^hint: .*vigil db pull/m);
  });

  it('refuses an image reference together with --input, and no image at all', async () => {
    const both = await scan(['image', 'alpine:3.19', '--input', sampleImage, '--cache-dir', sampleCache, '--offline']);
    assert.equal(both.status, 2);
    const none = await scan(['image', '--cache-dir', sampleCache, '--offline']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no image given/);
  });
});

describe('vigil fs --scanners misconfig', () => {
  const cache = tempDir();
  const project = join(repoRoot, 'test/fixtures/misconf/project');
  before(async () => {
    await seedVulnDb(cache);
  });

  it('checks Dockerfiles and manifests next to the vulnerability scan, with the embedded checks offline', async () => {
    const run = await runVigil(
      [
        'fs',
        project,
        '--scanners',
        'vuln,misconfig',
        '--cache-dir',
        cache,
        '--offline',
        '-f',
        'json',
        '--exit-code',
        '4',
      ],
      { cwd: repoRoot },
    );
    assert.equal(run.status, 4, run.stderr);
    const report = JSON.parse(run.stdout) as {
      Results: Array<{
        Target: string;
        Class: string;
        Type: string;
        Misconfigurations?: Array<{ ID: string; Status: string }>;
      }>;
      Vigil: { ChecksBundle: { Source: string } };
    };
    const dockerfile = report.Results.find((result) => result.Target === 'app/Dockerfile');
    assert.equal(dockerfile?.Class, 'config');
    assert.equal(dockerfile?.Type, 'dockerfile');
    assert.ok(dockerfile?.Misconfigurations?.some((item) => item.ID === 'VGL-DF-001' && item.Status === 'FAIL'));
    assert.ok(report.Results.some((result) => result.Type === 'kubernetes'));
    assert.equal(report.Vigil.ChecksBundle.Source, 'embedded');
  });

  it('runs the misconfiguration scanner alone without needing a vulnerability DB', async () => {
    const run = await runVigil(
      ['fs', project, '--scanners', 'misconfig', '--cache-dir', tempDir(), '--offline', '-f', 'json'],
      {
        cwd: repoRoot,
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { Results: Array<{ Class: string }> };
    assert.ok(report.Results.length > 0);
    assert.ok(report.Results.every((result) => result.Class === 'config'));
  });
});

describe('vigil fs edge cases', () => {
  const cache = tempDir();
  before(async () => {
    await seedVulnDb(cache);
  });

  it('scans a single lock file given instead of a directory', async () => {
    const run = await runVigil(
      ['fs', 'test/fixtures/projects/npm-jquery/package-lock.json', '--cache-dir', cache, '--offline', '-f', 'json'],
      { cwd: repoRoot },
    );
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.Results?.[0]?.Target, 'package-lock.json');
    assert.equal(report.Results?.[0]?.Vulnerabilities?.length, 2);
  });

  it('keeps scanning past a malformed lock file and says so in the log and the report', async () => {
    const project = tempDir();
    writeFileSync(join(project, 'package-lock.json'), '{ "lockfileVersion": 3, "packages": {');
    const run = await runVigil(['fs', project, '--cache-dir', cache, '--offline', '-f', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /WARN.*package-lock\.json/);
    const report = JSON.parse(run.stdout) as { Vigil?: { AnalysisWarnings?: string[] } };
    assert.ok(report.Vigil?.AnalysisWarnings?.some((warning) => warning.includes('package-lock.json')));
  });
});
