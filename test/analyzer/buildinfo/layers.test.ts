import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInfoAnalyzers, mergeBuildInfo } from '../../../src/analyzer/buildinfo/index.ts';
import type { AnalysisResult, Package } from '../../../src/analyzer/types.ts';
import { type AnalyzedLayer, applyLayers } from '../../../src/artifact/applier.ts';
import { FileCollector } from '../../../src/artifact/collector.ts';
import { NO_SKIPS } from '../../../src/artifact/path-filter.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { imageContext } from './layer-files.ts';

const RPMDB = 'var/lib/rpm/Packages';
const rpm = (name: string, version: string, release: string): Package => ({
  Name: name,
  Version: version,
  Release: release,
});
const layer = (digest: string, diffId: string, result: AnalysisResult): AnalyzedLayer => ({
  ref: { Digest: digest, DiffID: diffId },
  result,
  whiteouts: [],
  opaqueDirs: [],
});

describe('build information through the layers', () => {
  // Trivy's TestApplyLayers "happy path with Red Hat content sets" (pkg/fanal/applier/docker_test.go).
  const baseOs = { Family: 'redhat', Name: '8' };
  const layers = [
    layer('sha256:24df0d4e20c0f42d3703bf1f1db2bdd77346c7956f74f423603d651e8e5ae8a7', 'sha256:aad63a93', {
      OS: baseOs,
      PackageInfos: [{ FilePath: RPMDB, Packages: [rpm('openssl', '1.2.3', '4')] }],
    }),
    layer('sha256:932da51564135c98a49a34a193d6cd363d8fa4184d957fde16c9d8527b3f3b02', 'sha256:a187dde4', {
      BuildInfo: { ContentSets: ['rhel-8-for-x86_64-baseos-rpms', 'rhel-8-for-x86_64-appstream-rpms'] },
      PackageInfos: [{ FilePath: RPMDB, Packages: [rpm('openssl', '1.2.3', '4'), rpm('libc', '1.2.4', '5')] }],
    }),
    layer('sha256:a64e5f34c33ed4c5121498e721e24d95dae2c9599bee4aa6d07850702b401406', 'sha256:0abd3f2c', {
      BuildInfo: { Nvr: '3scale-amp-apicast-gateway-container-1.11-1', Arch: 'x86_64' },
    }),
    layer('sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4', 'sha256:a187dde4', {
      PackageInfos: [
        {
          FilePath: RPMDB,
          Packages: [rpm('openssl', '1.2.3', '4'), rpm('libc', '1.2.4', '5'), rpm('bash', '5.6.7', '8')],
        },
      ],
    }),
  ];

  it("gives each OS package its origin layer's build information as Trivy's applier does", () => {
    const inventory = applyLayers(layers);
    const packages = inventory.PackageInfos.flatMap((info) => info.Packages);
    const byName = new Map(packages.map((pkg) => [pkg.Name, pkg]));
    const contentSets = { ContentSets: ['rhel-8-for-x86_64-baseos-rpms', 'rhel-8-for-x86_64-appstream-rpms'] };
    // The base layer has none of its own: it takes the next layer's.
    assert.deepEqual(byName.get('openssl')?.BuildInfo, contentSets);
    assert.equal(byName.get('openssl')?.Layer?.Digest, layers[0]?.ref.Digest);
    assert.deepEqual(byName.get('libc')?.BuildInfo, contentSets);
    // A layer built on top takes the nearest layer below that has some.
    assert.deepEqual(byName.get('bash')?.BuildInfo, {
      Nvr: '3scale-amp-apicast-gateway-container-1.11-1',
      Arch: 'x86_64',
    });
    assert.equal(byName.get('bash')?.Layer?.Digest, layers[3]?.ref.Digest);
  });

  it('places BuildInfo where Trivy prints it, and gives each package its own copy', () => {
    const inventory = applyLayers([
      layer('sha256:l0', 'sha256:d0', {
        BuildInfo: { ContentSets: ['rhel-9-for-x86_64-baseos-rpms'] },
        PackageInfos: [
          {
            FilePath: RPMDB,
            Packages: [
              {
                ...rpm('bash', '5.1.8', '9.el9'),
                Maintainer: 'Red Hat, Inc.',
                Digest: 'md5:0f',
                InstalledFiles: ['/x'],
              },
              rpm('glibc', '2.34', '100.el9'),
            ],
          },
        ],
      }),
    ]);
    const [bash, glibc] = inventory.PackageInfos[0]?.Packages ?? [];
    // Trivy's order: …, Maintainer, Modularitylabel, BuildInfo, …, Layer, FilePath, Digest, …, InstalledFiles.
    const keys = Object.keys(bash ?? {});
    const at = keys.indexOf('BuildInfo');
    assert.ok(at > keys.indexOf('Maintainer'), keys.join());
    for (const later of ['Layer', 'Digest', 'InstalledFiles']) assert.ok(at < keys.indexOf(later), keys.join());
    assert.notEqual(bash?.BuildInfo, glibc?.BuildInfo);
    assert.notEqual(bash?.BuildInfo?.ContentSets, glibc?.BuildInfo?.ContentSets);
  });

  it('leaves packages alone when no layer has build information', () => {
    const inventory = applyLayers([
      layer('sha256:l0', 'sha256:d0', { PackageInfos: [{ FilePath: RPMDB, Packages: [rpm('bash', '1', '1')] }] }),
    ]);
    assert.equal('BuildInfo' in (inventory.PackageInfos[0]?.Packages[0] ?? {}), false);
  });
});

describe('build information within one layer', () => {
  it("joins a content manifest and a build Dockerfile of the same layer (Trivy's merge rule)", async () => {
    const collector = new FileCollector(buildInfoAnalyzers, NO_SKIPS, imageContext, silentLogger);
    const files: Record<string, string> = {
      'root/buildinfo/content_manifests/ubi9-container-9.4-1123.json': JSON.stringify({
        content_sets: ['rhel-9-for-x86_64-baseos-rpms', 'rhel-9-for-x86_64-appstream-rpms'],
      }),
      'root/buildinfo/Dockerfile-ubi9-9.4-1123':
        'FROM scratch\nLABEL com.redhat.component=ubi9-container architecture=x86_64\n',
      'etc/redhat-release': 'Red Hat Enterprise Linux release 9.4 (Plow)\n',
    };
    for (const [path, text] of Object.entries(files)) {
      const info = { size: text.length, mode: 0o644 };
      if (collector.wants(path, info)) await collector.file(path, info, Buffer.from(text));
    }
    const result = await collector.analyze();
    assert.deepEqual(result.BuildInfo, {
      ContentSets: ['rhel-9-for-x86_64-baseos-rpms', 'rhel-9-for-x86_64-appstream-rpms'],
      Nvr: 'ubi9-container-9.4-1123',
      Arch: 'x86_64',
    });
  });

  it('replaces NVR and architecture together and content sets only when new ones are given', () => {
    const sets = { ContentSets: ['a'] };
    assert.deepEqual(mergeBuildInfo(undefined, sets), sets);
    assert.notEqual(mergeBuildInfo(undefined, sets), sets);
    assert.deepEqual(mergeBuildInfo(sets, undefined), sets);
    assert.deepEqual(mergeBuildInfo({ ContentSets: ['a'], Nvr: 'n-1-1', Arch: 'x86_64' }, { Nvr: 'm-2-2' }), {
      ContentSets: ['a'],
      Nvr: 'm-2-2',
    });
    assert.deepEqual(mergeBuildInfo({ ContentSets: ['a'], Nvr: 'n-1-1' }, { ContentSets: ['b'] }), {
      ContentSets: ['b'],
      Nvr: 'n-1-1',
    });
    assert.deepEqual(mergeBuildInfo({ ContentSets: ['a'] }, { ContentSets: [] }), { ContentSets: ['a'] });
  });
});
