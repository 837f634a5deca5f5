import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.ts';
import { createHttpClient } from '../../src/net/index.ts';
import { parseReference, RegistryClient } from '../../src/oci/registry/index.ts';
import type { DetectedMisconfiguration, Report } from '../../src/report/index.ts';
import { startTestRegistry } from '../helpers/registry.ts';
import { pushDbArtifact, writeTarGz } from '../helpers/registry-db-artifact.ts';
import { runVigil } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const PROJECT = fileURLToPath(new URL('../fixtures/misconf/project', import.meta.url));
const root = tempDir();

/**
 * `vigil config` run in this process (the real CLI, minus a process start per run) with a fresh
 * cache; no network unless a test names a registry.
 */
async function config(args: string[], cacheDir = join(root, `cache-${Math.random().toString(36).slice(2)}`)) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['config', ...args, '--cache-dir', cacheDir], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { HOME: root, PATH: process.env.PATH ?? '' },
    cwd: root,
    now: () => new Date(),
  });
  return { status, stdout, stderr };
}

/** The report's `Vigil.ChecksBundle` record. */
const bundleOf = (report: Report) => (report.Vigil?.ChecksBundle ?? {}) as Record<string, string>;

const failing = (report: Report, target: string) =>
  (report.Results.find((r) => r.Target === target)?.Misconfigurations ?? [])
    .filter((m) => m.Status === 'FAIL')
    .map((m) => m.ID);

describe('vigil config with the embedded checks', () => {
  it('reports the embedded checks’ findings per file as Trivy JSON (bin/vigil)', async () => {
    const run = await runVigil([
      'config',
      PROJECT,
      '--offline',
      '--format',
      'json',
      '--cache-dir',
      join(root, 'bin-cache'),
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /using the checks embedded in Vigil/);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.ArtifactType, 'filesystem');
    assert.deepEqual(report.Vigil, { ChecksBundle: { Source: 'embedded', Version: '1' } });
    assert.deepEqual(
      report.Results.map((r) => [r.Target, r.Class, r.Type]),
      [
        ['app/Dockerfile', 'config', 'dockerfile'],
        ['app/Dockerfile.hardened', 'config', 'dockerfile'],
        ['deploy/job.json', 'config', 'kubernetes'],
        ['deploy/web.yaml', 'config', 'kubernetes'],
      ],
      'docs/not-kubernetes.yaml is not a manifest',
    );
    assert.deepEqual(failing(report, 'app/Dockerfile'), [
      'VGL-DF-001',
      'VGL-DF-002',
      'VGL-DF-003',
      'VGL-DF-004',
      'VGL-DF-005',
      'VGL-DF-008',
      'VGL-DF-013',
      'VGL-DF-015',
    ]);
    assert.deepEqual(failing(report, 'app/Dockerfile.hardened'), []);
    assert.deepEqual(report.Results[1]?.MisconfSummary, { Successes: 18, Failures: 0 });
    assert.ok(failing(report, 'deploy/job.json').includes('VGL-K8S-030'), 'runAsUser 0');
    assert.ok(!failing(report, 'deploy/job.json').includes('VGL-K8S-024'), 'jobs need no liveness probe');
    const web = failing(report, 'deploy/web.yaml');
    for (const id of ['VGL-K8S-001', 'VGL-K8S-008', 'VGL-K8S-017', 'VGL-K8S-023']) assert.ok(web.includes(id), id);

    const finding = report.Results[0]?.Misconfigurations?.find(
      (m) => m.ID === 'VGL-DF-004',
    ) as DetectedMisconfiguration;
    assert.deepEqual(Object.keys(finding), [
      'Type',
      'ID',
      'Title',
      'Description',
      'Message',
      'Namespace',
      'Query',
      'Resolution',
      'Severity',
      'PrimaryURL',
      'References',
      'Status',
      'CauseMetadata',
    ]);
    assert.equal(finding.Namespace, 'builtin.vigil.dockerfile.VGL_DF_004');
    assert.equal(finding.Query, 'data.builtin.vigil.dockerfile.VGL_DF_004.deny');
    assert.equal(finding.PrimaryURL, finding.References?.[0]);
    assert.deepEqual(
      { ...finding.CauseMetadata, Code: finding.CauseMetadata.Code?.Lines.map((l) => [l.Number, l.Content]) },
      {
        Provider: 'Dockerfile',
        Service: 'general',
        StartLine: 9,
        EndLine: 10,
        Code: [
          [9, 'RUN apt-get update && \\'],
          [10, '    apt-get install -y curl ca-certificates'],
        ],
      },
    );
  });

  it('filters by --severity, honours --exit-code, --skip-files and --output', async () => {
    const failingRun = await config([PROJECT, '--offline', '--exit-code', '5', '--format', 'json']);
    assert.equal(failingRun.status, 5);
    const critical = await config([PROJECT, '--offline', '--exit-code', '5', '--severity', 'CRITICAL', '-f', 'json']);
    assert.equal(critical.status, 0);
    const report = JSON.parse(critical.stdout) as Report;
    assert.ok(report.Results.every((r) => r.MisconfSummary?.Failures === 0 && !r.Misconfigurations?.length));
    const output = join(root, 'reports', 'config.json');
    const skipped = await config([PROJECT, '--offline', '--skip-files', 'app/Dockerfile', '-f', 'json', '-o', output]);
    assert.equal(skipped.status, 0);
    assert.equal(skipped.stdout, '');
    const written = JSON.parse(readFileSync(output, 'utf8')) as Report;
    assert.ok(!written.Results.some((r) => r.Target === 'app/Dockerfile'));
  });

  it('prints the misconfiguration table', async () => {
    const run = await config([join(PROJECT, 'app'), '--offline']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /│ +Target +│ +Type +│ Misconfigurations │/);
    assert.match(run.stdout, /Tests: 18 \(SUCCESSES: 10, FAILURES: 8\)/);
    assert.match(run.stdout, /VGL-DF-001 \(HIGH\): Specify a non-root USER/);
    assert.match(run.stdout, / 9 ┌ RUN apt-get update && \\\n 10 └ {5}apt-get install/);
  });

  it('fails clearly on a missing directory and with --skip-check-update on an empty cache', async () => {
    const missing = await config([join(root, 'nope'), '--offline']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error: cannot read .*nope/m);
    const skip = await config([PROJECT, '--skip-check-update']);
    assert.equal(skip.status, 1);
    assert.match(skip.stderr, /error: cache does not exist at ".*policy\/content"/);
    assert.match(skip.stderr, /hint: run 'vigil db pull --checks'/);
  });
});

describe('vigil config with custom checks', () => {
  const checks = join(root, 'policies');
  mkdirSync(join(checks, 'data'), { recursive: true });
  writeFileSync(
    join(checks, 'approved.rego'),
    `# METADATA
# title: Base image not approved
# description: Only base images listed in data.acme.approved may be used.
# related_resources:
#   - https://wiki.example/approved-images
# custom:
#   id: ACME-001
#   severity: CRITICAL
#   recommended_action: Use an approved base image.
#   input:
#     selector:
#       - type: dockerfile
package acme.dockerfile.approved

import rego.v1

deny contains res if {
	some stage in input.Stages
	some cmd in stage.Commands
	cmd.Cmd == "from"
	not cmd.Value[0] in data.acme.approved
	not cmd.Value[0] == "scratch"
	res := result.new(sprintf("%s is not an approved base image", [cmd.Value[0]]), cmd)
}
`,
  );
  writeFileSync(
    join(checks, 'approved_test.rego'),
    'package acme.dockerfile.approved_test\n\ndeny contains "tests are not loaded" if true\n',
  );
  writeFileSync(join(checks, 'data', 'images.yaml'), 'acme:\n  approved:\n    - alpine:3.20\n');

  it('runs checks from --config-check in the namespaces named by --check-namespaces', async () => {
    const common = [
      join(PROJECT, 'app'),
      '--offline',
      '-f',
      'json',
      '--config-check',
      checks,
      '--config-data',
      join(checks, 'data'),
    ];
    const without = JSON.parse((await config(common)).stdout) as Report;
    assert.ok(!failing(without, 'Dockerfile').includes('ACME-001'), 'acme is not an evaluated namespace');
    const run = await config([...common, '--check-namespaces', 'acme', '--severity', 'CRITICAL']);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    const found = report.Results.flatMap((r) =>
      (r.Misconfigurations ?? []).map((m) => [r.Target, m.ID, m.Message, m.PrimaryURL]),
    );
    assert.deepEqual(found, [
      ['Dockerfile', 'ACME-001', 'golang:1.22 is not an approved base image', 'https://wiki.example/approved-images'],
      ['Dockerfile', 'ACME-001', 'debian:latest is not an approved base image', 'https://wiki.example/approved-images'],
    ]);
    assert.deepEqual(report.Results.find((r) => r.Target === 'Dockerfile.hardened')?.MisconfSummary, {
      Successes: 1,
      Failures: 0,
    });
  });

  it('refuses a --config-check path that does not exist and a check that does not parse', async () => {
    const missing = await config([PROJECT, '--offline', '--config-check', join(root, 'missing-checks')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /error: check path not found/);
    const broken = join(root, 'broken.rego');
    writeFileSync(broken, 'package acme.broken\n\ndeny contains if {\n');
    const parse = await config([PROJECT, '--offline', '--config-check', broken]);
    assert.equal(parse.status, 1);
    assert.match(parse.stderr, /error: cannot parse the check .*broken\.rego/);
  });
});

/** A checks bundle as trivy-checks lays it out, with one check and one library of our own. */
async function makeBundle(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const check = `# METADATA
# title: Bundle check
# description: A check that only the pulled bundle has.
# custom:
#   id: BUNDLE-001
#   aliases:
#     - AVD-BUNDLE-0001
#   severity: HIGH
#   recommended_action: Nothing to do.
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.BUNDLE001

import data.lib.bundlelib
import rego.v1

deny contains res if {
	some cmd in bundlelib.instructions("expose")
	res := result.new("exposes a port", cmd)
}
`;
  const lib = `# METADATA
# custom:
#   library: true
package lib.bundlelib

import rego.v1

instructions(cmd) := [inst | some stage in input.Stages; some inst in stage.Commands; inst.Cmd == cmd]
`;
  return writeTarGz(join(dir, 'bundle.tar.gz'), [
    { name: 'policies/', type: 'directory' },
    { name: 'policies/docker/policies/bundle001.rego', content: check },
    { name: 'policies/docker/policies/bundle001_test.rego', content: 'package builtin.dockerfile.BUNDLE001_test\n' },
    { name: 'policies/docker/lib/bundlelib.rego', content: lib },
  ]);
}

describe('vigil config with a checks bundle', async () => {
  const registry = await startTestRegistry('noauth', join(root, 'registry'));
  after(() => registry.stop());
  const http = createHttpClient({ retry: { attempts: 1 } });
  const publisher = new RegistryClient({ http });
  const repository = `${registry.host}/aquasec/trivy-checks:2`;
  const digest = await pushDbArtifact(
    publisher,
    parseReference(repository),
    await makeBundle(join(root, 'bundle')),
    'checks',
    {
      'org.opencontainers.image.version': '2.4.1',
    },
  );
  await http.close();
  const cacheDir = join(root, 'bundle-cache');

  it('pulls the bundle from the registry and uses it instead of the embedded checks', async () => {
    const run = await config([join(PROJECT, 'app'), '-f', 'json', '--checks-bundle-repository', repository], cacheDir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /using the checks bundle 2 \(sha256:/);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(report.Vigil?.ChecksBundle, {
      Source: 'bundle',
      Version: '2',
      Digest: digest,
      DownloadedAt: bundleOf(report).DownloadedAt,
      Repository: repository,
    });
    const findings = report.Results.flatMap((r) =>
      (r.Misconfigurations ?? []).map((m) => [r.Target, m.ID, m.AVDID, m.PrimaryURL]),
    );
    assert.deepEqual(findings, [
      ['Dockerfile', 'BUNDLE-001', 'AVD-BUNDLE-0001', 'https://avd.aquasec.com/misconfig/bundle-001'],
    ]);
  });

  it('keeps using the cached bundle offline and when the registry cannot be reached', async () => {
    const offline = await config([join(PROJECT, 'app'), '-f', 'json', '--offline'], cacheDir);
    assert.equal(offline.status, 0, offline.stderr);
    assert.equal(bundleOf(JSON.parse(offline.stdout) as Report).Source, 'bundle');
    // A day later the bundle is due for a digest check; the registry is gone, the cache stays in use.
    const metadataPath = join(cacheDir, 'policy', 'metadata.json');
    const metadata = JSON.parse(readFileSync(metadataPath, 'utf8'));
    writeFileSync(metadataPath, JSON.stringify({ ...metadata, DownloadedAt: '2020-01-01T00:00:00Z' }));
    const unreachable = await config(
      [join(PROJECT, 'app'), '-f', 'json', '--checks-bundle-repository', '127.0.0.1:9/aquasec/trivy-checks:2'],
      cacheDir,
    );
    assert.equal(unreachable.status, 0, unreachable.stderr);
    assert.match(unreachable.stderr, /WARN/);
    const report = JSON.parse(unreachable.stdout) as Report;
    assert.equal(bundleOf(report).Digest, digest);
    assert.deepEqual(failing(report, 'Dockerfile'), ['BUNDLE-001']);
  });

  it('reads a cache filled by hand in Trivy’s layout with --skip-check-update', async () => {
    const handCache = join(root, 'hand-cache');
    cpSync(join(cacheDir, 'policy', 'content'), join(handCache, 'policy', 'content'), { recursive: true });
    writeFileSync(
      join(handCache, 'policy', 'metadata.json'),
      JSON.stringify({ Digest: 'sha256:feed', DownloadedAt: '2026-01-02T03:04:05Z', MajorVersion: 2 }),
    );
    const run = await config([join(PROJECT, 'app'), '-f', 'json', '--skip-check-update'], handCache);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(report.Vigil?.ChecksBundle, {
      Source: 'bundle',
      Version: '2',
      Digest: 'sha256:feed',
      DownloadedAt: '2026-01-02T03:04:05Z',
    });
    assert.deepEqual(failing(report, 'Dockerfile'), ['BUNDLE-001']);
  });
});

describe('vigil rego test on the embedded checks', () => {
  it('passes every test of every embedded check', async () => {
    const checksDir = fileURLToPath(new URL('../../src/misconf/checks', import.meta.url));
    let stdout = '';
    const status = await runCli(['rego', 'test', checksDir], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      env: { HOME: root },
      cwd: root,
      now: () => new Date(),
    });
    const run = { status, stdout };
    assert.equal(run.status, 0, run.stdout);
    const [, passed, total] = /PASS: (\d+)\/(\d+)/.exec(run.stdout) ?? [];
    assert.equal(passed, total);
    assert.ok(Number(total) >= 150);
  });
});
