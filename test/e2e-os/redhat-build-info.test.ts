import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Package } from '../../src/analyzer/types.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { seedVulnDb } from '../helpers/vuln-db.ts';
import { buildOciLayouts, type ImageSpec, type LayerSpec, type RpmPackage } from './image-builder.ts';
import { osRelease } from './os-files.ts';
import { findingLine, layoutLayers, osFindings, type ScanOutcome, vigil } from './vigil-scan.ts';

/**
 * Red Hat build information end to end: RHEL 8.6 images built with real rpm databases, scanned
 * with `vigil image` against a DB (test/fixtures/analyzer-buildinfo/e2e/redhat-eus.yaml) where the
 * image's Extended Update Support content sets map to other CPE indices than the RHEL 8 defaults.
 * The same packages give different findings with and without build information.
 */

const DB_FIXTURE = fileURLToPath(new URL('../fixtures/analyzer-buildinfo/e2e/redhat-eus.yaml', import.meta.url));
const RED_HAT = 'Red Hat, Inc.';
const RPMDB = 'var/lib/rpm';

const pkg = (name: string, version: string, release: string, source: string, epoch?: number): RpmPackage => ({
  name,
  version,
  release,
  ...(epoch ? { epoch } : {}),
  arch: 'x86_64',
  source,
  vendor: RED_HAT,
});
const opensslLibs = pkg('openssl-libs', '1.1.1k', '7.el8_6', 'openssl', 1);
const libuuid = pkg('libuuid', '2.32.1', '35.el8', 'util-linux');
const bash = pkg('bash', '4.4.20', '4.el8_6', 'bash');

const EUS_SETS = ['rhel-8-for-x86_64-baseos-eus-rpms__8_DOT_6', 'rhel-8-for-x86_64-appstream-eus-rpms__8_DOT_6'];
const OS_FILES = {
  'etc/redhat-release': 'Red Hat Enterprise Linux release 8.6 (Ootpa)\n',
  'etc/os-release': osRelease({
    NAME: 'Red Hat Enterprise Linux',
    VERSION: '8.6 (Ootpa)',
    ID: 'rhel',
    VERSION_ID: '8.6',
  }),
};
const CONTENT_MANIFEST = {
  'root/buildinfo/content_manifests/ubi8-container-8.6-943.json': `${JSON.stringify({
    metadata: { icm_version: 1, image_layer_index: 0 },
    content_sets: EUS_SETS,
    image_contents: [],
  })}\n`,
};
const BUILD_DOCKERFILE = {
  'root/buildinfo/Dockerfile-ubi8-8.6-943': [
    'FROM scratch',
    'ENV container=oci arch=x86_64',
    'LABEL com.redhat.component="ubi8-container" name="ubi8" version="8.6"',
    'LABEL "release"="943" "architecture"=$arch "vendor"="Red Hat, Inc."',
    '',
  ].join('\n'),
};

/** The Red Hat base layer, then a customer's layer that installs bash (and so rewrites the rpm database). */
const baseLayer = (buildInfo: Record<string, string>): LayerSpec => ({
  files: { ...OS_FILES, ...buildInfo },
  rpmdb: { dir: RPMDB, packages: [opensslLibs, libuuid] },
});
const customerLayer: LayerSpec = { rpmdb: { dir: RPMDB, packages: [opensslLibs, libuuid, bash] } };

const IMAGES: readonly ImageSpec[] = [
  { name: 'rhel-8.6-eus', layers: [baseLayer({ ...CONTENT_MANIFEST, ...BUILD_DOCKERFILE }), customerLayer] },
  { name: 'rhel-8.6-no-build-info', layers: [baseLayer({}), customerLayer] },
  { name: 'rhel-8.6-nvr-only', layers: [baseLayer(BUILD_DOCKERFILE)] },
];

describe('vigil image on Red Hat images with build information', () => {
  const workDir = tempDir('vigil-e2e-buildinfo-images-');
  const cacheDir = tempDir('vigil-e2e-buildinfo-cache-');
  const layouts = new Map<string, string>();
  const scans = new Map<string, ScanOutcome>();
  const scan = async (name: string, extra: readonly string[] = []) =>
    vigil([
      'image',
      '--input',
      layouts.get(name) as string,
      '--cache-dir',
      cacheDir,
      '--offline',
      '-f',
      'json',
      '--list-all-pkgs',
      ...extra,
    ]);

  before(async () => {
    await seedVulnDb(cacheDir, [DB_FIXTURE]);
    for (const [name, layout] of await buildOciLayouts(IMAGES, workDir)) layouts.set(name, layout);
    for (const image of IMAGES) scans.set(image.name, await scan(image.name));
  });

  const report = (name: string) => {
    const outcome = scans.get(name) as ScanOutcome;
    assert.equal(outcome.status, 0, outcome.stderr);
    assert.ok(outcome.report, 'a JSON report');
    assert.equal(outcome.report.Results[0]?.Target, `${layouts.get(name)} (redhat 8.6)`);
    return outcome.report;
  };
  const packageNamed = (name: string, image: string): Package | undefined =>
    report(image).Results[0]?.Packages?.find((candidate) => candidate.Name === name);

  it("matches advisories against the image's own content sets and NVR", () => {
    assert.deepEqual(osFindings(report('rhel-8.6-eus')).map(findingLine), [
      'CVE-2019-18276 bash@4.4.20-4.el8_6 fixed:- will_not_fix LOW/redhat ds:-',
      'CVE-2023-0286 openssl-libs@1:1.1.1k-7.el8_6 fixed:1:1.1.1k-8.el8_6 fixed HIGH/redhat ds:-',
    ]);
  });

  it('falls back to the RHEL 8 default content sets without build information', () => {
    assert.deepEqual(osFindings(report('rhel-8.6-no-build-info')).map(findingLine), [
      'CVE-2021-37600 libuuid@2.32.1-35.el8 fixed:- will_not_fix LOW/redhat ds:-',
      'CVE-2023-0286 openssl-libs@1:1.1.1k-7.el8_6 fixed:1:1.1.1k-9.el8_7 fixed HIGH/redhat ds:-',
      'CVE-2022-4304 openssl-libs@1:1.1.1k-7.el8_6 fixed:1:1.1.1k-9.el8_7 fixed MEDIUM/redhat ds:-',
    ]);
  });

  it("selects the CPE indices from the image's NVR alone when there is no content manifest", () => {
    assert.deepEqual(osFindings(report('rhel-8.6-nvr-only')).map(findingLine), [
      'CVE-2023-0286 openssl-libs@1:1.1.1k-7.el8_6 fixed:1:1.1.1k-8.el8_6 fixed HIGH/redhat ds:-',
    ]);
    assert.deepEqual(packageNamed('libuuid', 'rhel-8.6-nvr-only')?.BuildInfo, {
      Nvr: 'ubi8-container-8.6-943',
      Arch: 'x86_64',
    });
  });

  it("lists each package's build information as Trivy does; a customer layer takes the Red Hat layer's", () => {
    const layers = layoutLayers(layouts.get('rhel-8.6-eus') as string);
    const expected = { ContentSets: EUS_SETS, Nvr: 'ubi8-container-8.6-943', Arch: 'x86_64' };
    const openssl = packageNamed('openssl-libs', 'rhel-8.6-eus');
    assert.deepEqual(openssl?.BuildInfo, expected);
    assert.equal(openssl?.Layer?.DiffID, layers.diffIds[0]);
    const installedLater = packageNamed('bash', 'rhel-8.6-eus');
    assert.deepEqual(installedLater?.BuildInfo, expected);
    assert.equal(installedLater?.Layer?.DiffID, layers.diffIds[1]);
    assert.equal(packageNamed('bash', 'rhel-8.6-no-build-info')?.BuildInfo, undefined);
  });

  it('keeps the build information in the scan cache: a second scan reads no layer and finds the same', async () => {
    const again = await scan('rhel-8.6-eus', ['--debug']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stderr.match(/analysis from the scan cache/g)?.length, 2, again.stderr);
    assert.deepEqual(osFindings(again.report), osFindings(report('rhel-8.6-eus')));
    assert.deepEqual(again.report?.Results[0]?.Packages, report('rhel-8.6-eus').Results[0]?.Packages);
  });
});
