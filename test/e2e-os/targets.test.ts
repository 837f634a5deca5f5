import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import type { Report } from '../../src/report/index.ts';
import { startTestRegistry, type TestRegistry } from '../helpers/registry.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { buildOciLayouts, multiPlatformLayout, skopeoCopy } from './image-builder.ts';
import { alpinePlatformImage, osImage } from './os-images.ts';
import { findingLine, layoutLayers, osFindings, type ScanOutcome, seededCache, vigil } from './vigil-scan.ts';

/**
 * One image in every form `vigil image` reads — OCI layout directory (gzip layers, from umoci),
 * the same with zstd layers, an OCI archive, a docker archive plain and gzip-compressed (from
 * skopeo), and a local registry with OCI and Docker manifests — gives the same report. A
 * multi-platform index is scanned for its default platform and for `--platform linux/arm64`, from
 * a layout and from the registry.
 */

const run = promisify(execFile);

/** Ubuntu 18.04 with Ubuntu Pro in a second layer: two layers, five findings in the first. */
const IMAGE = osImage('ubuntu-18.04-esm');
const EXPECTED_FINDINGS = [
  'CVE-2019-18276 bash@4.4.18-2ubuntu1.2 fixed:4.4.18-2ubuntu1.3 fixed LOW/ubuntu ds:ubuntu',
  'CVE-2022-1304 e2fsprogs@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
  'CVE-2022-1304 libcom-err2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
  'CVE-2022-1304 libext2fs2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
  'CVE-2022-1304 libss2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
];

/** What must not depend on the transport: OS, target suffix, findings with their layer's diff ID, packages. */
function essence(report: Report | undefined) {
  const result = report?.Results[0];
  return {
    os: report?.Metadata.OS,
    diffIds: report?.Metadata.DiffIDs,
    target: result?.Target.slice(result.Target.lastIndexOf(' (')),
    findings: osFindings(report).map((v) => `${findingLine(v)} ${v.PkgIdentifier?.PURL} ${v.Layer?.DiffID}`),
    packages: result?.Packages?.map((pkg) => `${pkg.Name}@${pkg.Version}`),
  };
}

describe('vigil image reads every transport alike', () => {
  const work = tempDir('vigil-e2e-os-targets-');
  const cacheDir = tempDir('vigil-e2e-os-cache-');
  let registry: TestRegistry;
  const inputs: Record<string, string> = {};
  const scans = new Map<string, ScanOutcome>();
  let layout: string;
  let cache: string;

  before(async () => {
    const [built, seeded, started] = await Promise.all([
      buildOciLayouts([IMAGE, alpinePlatformImage('amd64'), alpinePlatformImage('arm64')], work),
      seededCache(cacheDir),
      startTestRegistry('noauth', join(work, 'registry')),
    ]);
    cache = seeded;
    registry = started;
    layout = built.get(IMAGE.name) as string;
    const dockerArchive = join(work, 'ubuntu.docker.tar');
    const multi = await multiPlatformLayout(
      [
        { layout: built.get('alpine-3.10-amd64') as string, os: 'linux', architecture: 'amd64' },
        { layout: built.get('alpine-3.10-arm64') as string, os: 'linux', architecture: 'arm64' },
      ],
      join(work, 'alpine-multi.oci'),
    );
    const push = ['--dest-tls-verify=false'];
    await Promise.all([
      skopeoCopy(layout, `oci-archive:${join(work, 'ubuntu.oci.tar')}:latest`),
      skopeoCopy(layout, `oci:${join(work, 'ubuntu-zstd.oci')}:latest`, ['--dest-compress-format', 'zstd']),
      skopeoCopy(layout, `docker-archive:${dockerArchive}:e2e/ubuntu:esm`).then(() =>
        pipeline(createReadStream(dockerArchive), createGzip(), createWriteStream(`${dockerArchive}.gz`)),
      ),
      skopeoCopy(layout, `docker://${registry.host}/e2e/ubuntu:oci`, push),
      skopeoCopy(layout, `docker://${registry.host}/e2e/ubuntu:docker`, [...push, '--format', 'v2s2']),
      run('skopeo', [
        'copy',
        '--quiet',
        '--all',
        ...push,
        `oci:${multi}:latest`,
        `docker://${registry.host}/e2e/alpine:multi`,
      ]),
    ]);
    Object.assign(inputs, {
      'OCI layout directory': layout,
      'OCI layout, zstd layers': join(work, 'ubuntu-zstd.oci'),
      'OCI archive': join(work, 'ubuntu.oci.tar'),
      'docker archive': dockerArchive,
      'docker archive, gzip': `${dockerArchive}.gz`,
    });
    const local = (input: string, extra: string[] = []) =>
      vigil(['image', '--input', input, '--cache-dir', cache, '--offline', '-f', 'json', '--list-all-pkgs', ...extra]);
    const remote = (reference: string, extra: string[] = []) =>
      vigil(['image', reference, '--cache-dir', cache, '--skip-db-update', '-f', 'json', '--list-all-pkgs', ...extra]);
    const jobs: Array<[string, () => Promise<ScanOutcome>]> = [
      ...Object.entries(inputs).map(([form, input]): [string, () => Promise<ScanOutcome>] => [
        form,
        () => local(input),
      ]),
      ['registry, OCI manifest', () => remote(`${registry.host}/e2e/ubuntu:oci`)],
      ['registry, Docker manifest', () => remote(`${registry.host}/e2e/ubuntu:docker`)],
      ['multi default', () => local(multi)],
      ['multi arm64', () => local(multi, ['--platform', 'linux/arm64'])],
      ['registry multi arm64', () => remote(`${registry.host}/e2e/alpine:multi`, ['--platform', 'linux/arm64'])],
      ['registry multi default', () => remote(`${registry.host}/e2e/alpine:multi`)],
    ];
    const worker = async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) scans.set(job[0], await job[1]());
    };
    await Promise.all([worker(), worker()]);
  });

  after(() => registry?.stop());

  const scanOf = (name: string): Report => {
    const scan = scans.get(name) as ScanOutcome;
    assert.equal(scan.status, 0, scan.stderr);
    assert.ok(scan.report, 'a JSON report');
    return scan.report;
  };

  it('scans the OCI layout directory to the expected report', () => {
    const report = scanOf('OCI layout directory');
    assert.equal(report.Results[0]?.Target, `${layout} (ubuntu 18.04-ESM)`);
    assert.deepEqual(osFindings(report).map(findingLine), EXPECTED_FINDINGS);
    const { diffIds } = layoutLayers(layout);
    assert.deepEqual(report.Metadata.DiffIDs, diffIds);
    assert.equal(diffIds.length, 2);
  });

  it('really has zstd layers in the zstd layout and Docker media types in the registry', async () => {
    const zstd = layoutLayers(inputs['OCI layout, zstd layers'] as string);
    assert.deepEqual(zstd.mediaTypes, [
      'application/vnd.oci.image.layer.v1.tar+zstd',
      'application/vnd.oci.image.layer.v1.tar+zstd',
    ]);
    assert.ok(layoutLayers(layout).mediaTypes.every((type) => type === 'application/vnd.oci.image.layer.v1.tar+gzip'));
    const raw = async (tag: string) =>
      JSON.parse(
        (await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/e2e/ubuntu:${tag}`]))
          .stdout,
      ) as { mediaType?: string; config: { mediaType: string } };
    const docker = await raw('docker');
    assert.equal(docker.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(docker.config.mediaType, 'application/vnd.docker.container.image.v1+json');
    assert.equal((await raw('oci')).config.mediaType, 'application/vnd.oci.image.config.v1+json');
  });

  for (const form of ['OCI layout, zstd layers', 'OCI archive', 'docker archive', 'docker archive, gzip']) {
    it(`gives the same report from the ${form}`, () => {
      const report = scanOf(form);
      assert.equal(report.ArtifactName, inputs[form]);
      assert.deepEqual(essence(report), essence(scanOf('OCI layout directory')));
    });
  }

  for (const form of ['registry, OCI manifest', 'registry, Docker manifest']) {
    it(`gives the same report from a ${form}`, () => {
      const report = scanOf(form);
      const reference = `${registry.host}/e2e/ubuntu:${form.includes('OCI') ? 'oci' : 'docker'}`;
      assert.equal(report.ArtifactName, reference);
      assert.equal(report.Results[0]?.Target, `${reference} (ubuntu 18.04-ESM)`);
      assert.deepEqual(report.Metadata.RepoTags, [reference]);
      assert.match(
        report.Metadata.RepoDigests?.[0] ?? '',
        new RegExp(`^${registry.host}/e2e/ubuntu@sha256:[0-9a-f]{64}$`),
      );
      assert.deepEqual(essence(report), essence(scanOf('OCI layout directory')));
    });
  }

  const alpineFindings = (arch: string, libcrypto: string) =>
    [
      ...(libcrypto === '1.1.1c-r0'
        ? [`CVE-2019-1549 libcrypto1.1@${libcrypto} fixed:1.1.1d-r0 fixed MEDIUM/nvd ds:alpine`]
        : []),
      `CVE-2019-1551 libcrypto1.1@${libcrypto} fixed:1.1.1d-r2 fixed MEDIUM/nvd ds:alpine`,
      'CVE-2019-1549 libssl1.1@1.1.1c-r0 fixed:1.1.1d-r0 fixed MEDIUM/nvd ds:alpine',
      'CVE-2019-1551 libssl1.1@1.1.1c-r0 fixed:1.1.1d-r2 fixed MEDIUM/nvd ds:alpine',
    ].map((line) => `${line} ${arch}`);
  const withArch = (report: Report) =>
    osFindings(report).map((v) => `${findingLine(v)} ${new URL(v.PkgIdentifier?.PURL ?? '').searchParams.get('arch')}`);

  it('picks linux/amd64 from a multi-platform index by default, and linux/arm64 when asked', () => {
    assert.deepEqual(withArch(scanOf('multi default')), alpineFindings('x86_64', '1.1.1c-r0'));
    assert.equal(scanOf('multi default').Metadata.ImageConfig?.architecture, 'amd64');
    const arm = scanOf('multi arm64');
    assert.deepEqual(withArch(arm), alpineFindings('aarch64', '1.1.1d-r0'));
    assert.equal(arm.Metadata.ImageConfig?.architecture, 'arm64');
  });

  it('does the same for the index pushed to the registry', () => {
    assert.deepEqual(withArch(scanOf('registry multi default')), alpineFindings('x86_64', '1.1.1c-r0'));
    assert.deepEqual(withArch(scanOf('registry multi arm64')), alpineFindings('aarch64', '1.1.1d-r0'));
  });
});
