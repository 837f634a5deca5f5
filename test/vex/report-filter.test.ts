import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../src/log/index.ts';
import type { DetectedVulnerability, Report } from '../../src/report/index.ts';
import { applyVexToReport, loadVexSources, ociImagePurl, parsePurl } from '../../src/vex/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { fixture } from './fixtures.ts';

function vulnerability(id: string, name: string, purl: string, pkgId?: string): DetectedVulnerability {
  return {
    VulnerabilityID: id,
    PkgName: name,
    PkgID: pkgId,
    PkgIdentifier: { PURL: purl },
    InstalledVersion: purl.split('@')[1] ?? '',
    Severity: 'HIGH',
  };
}

/** Trivy's vex_test graph: a Debian image with bash, and a Go module with one or two paths to go-transitive. */
function report(twoPaths: boolean): Report {
  const go = (name: string, version: string) => `pkg:golang/github.com/aquasecurity/${name}@${version}`;
  return {
    SchemaVersion: 2,
    CreatedAt: '2025-01-01T00:00:00Z',
    ArtifactName: 'debian:12',
    ArtifactType: 'container_image',
    Metadata: {},
    Results: [
      {
        Target: 'debian:12 (debian 12.5)',
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: [vulnerability('CVE-2022-3715', 'bash', 'pkg:deb/debian/bash@5.3?arch=amd64')],
      },
      {
        Target: 'usr/local/bin/app',
        Class: 'lang-pkgs',
        Type: 'gobinary',
        Packages: [
          {
            ID: 'root',
            Name: 'go-module',
            Version: 'v1.0.0',
            Identifier: { PURL: go('go-module', 'v1.0.0') },
            DependsOn: ['d1', 'd2'],
          },
          {
            ID: 'd1',
            Name: 'go-direct1',
            Version: 'v2.0.0',
            Identifier: { PURL: go('go-direct1', 'v2.0.0') },
            DependsOn: ['t'],
          },
          {
            ID: 'd2',
            Name: 'go-direct2',
            Version: 'v3.0.0',
            Identifier: { PURL: go('go-direct2', 'v3.0.0') },
            DependsOn: twoPaths ? ['t'] : [],
          },
          { ID: 't', Name: 'go-transitive', Version: 'v4.0.0', Identifier: { PURL: go('go-transitive', 'v4.0.0') } },
        ],
        Vulnerabilities: [vulnerability('CVE-2024-0001', 'go-transitive', go('go-transitive', 'v4.0.0'), 't')],
      },
    ],
  };
}

test('a report: the image PURL tops every path; single-path and multi-path Go graphs as in Trivy', async () => {
  const loaded = await loadVexSources({
    values: [fixture('trivy/openvex-oci.json'), fixture('trivy/openvex-nested.json')],
    repositoriesDir: tempDir(),
    vigilHome: tempDir(),
    skipRepositoryUpdate: true,
    offline: true,
    now: () => new Date(),
    logger: silentLogger,
  });
  const artifactPurl = ociImagePurl('registry.example/library/debian@sha256:1234', 'amd64');
  const single = report(false);
  const outcome = applyVexToReport(single, loaded, { artifactPurl });
  assert.equal(outcome.suppressed, 2);
  assert.deepEqual(
    single.Results.map((r) => [r.Vulnerabilities?.length, r.ModifiedFindings?.map((m) => [m.Status, m.Statement])]),
    [
      [0, [['not_affected', 'vulnerable_code_not_in_execute_path']]],
      [0, [['not_affected', 'vulnerable_code_not_in_execute_path']]],
    ],
  );
  assert.equal(single.Results[0]?.ModifiedFindings?.[0]?.Source, fixture('trivy/openvex-oci.json'));
  assert.deepEqual(
    outcome.sources.map((s) => [s.type, s.status]),
    [
      ['file', 'applied'],
      ['file', 'applied'],
    ],
  );
  const multi = report(true);
  assert.equal(applyVexToReport(multi, loaded, { artifactPurl }).suppressed, 1);
  assert.equal(multi.Results[1]?.Vulnerabilities?.length, 1);
  // Without the image PURL nothing names the product, so bash stays.
  assert.equal(applyVexToReport(report(false), loaded).suppressed, 1);
});

test('image PURLs as Trivy writes them: Docker Hub names expanded, registry kept, arch qualifier', () => {
  const hub = parsePurl(ociImagePurl('alpine@sha256:abc', 'arm64') ?? '');
  assert.deepEqual(hub, {
    type: 'oci',
    namespace: '',
    name: 'alpine',
    version: 'sha256:abc',
    qualifiers: { arch: 'arm64', repository_url: 'index.docker.io/library/alpine' },
    subpath: '',
  });
  assert.equal(
    parsePurl(ociImagePurl('aquasec/trivy@sha256:abc') ?? '')?.qualifiers.repository_url,
    'index.docker.io/aquasec/trivy',
  );
  assert.equal(
    parsePurl(ociImagePurl('127.0.0.1:5000/team/App@sha256:abc') ?? '')?.qualifiers.repository_url,
    '127.0.0.1:5000/team/App',
  );
  assert.equal(parsePurl(ociImagePurl('127.0.0.1:5000/team/App@sha256:abc') ?? '')?.name, 'app');
  assert.equal(ociImagePurl('no-digest:latest'), undefined);
});
