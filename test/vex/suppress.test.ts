import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyVex,
  DocumentMatcher,
  documentSource,
  loadVexFile,
  parseVexDocument,
  type VexComponentNode,
  type VexSource,
} from '../../src/vex/index.ts';
import { fixture } from './fixtures.ts';

// The packages and graphs of Trivy's pkg/vex/vex_test.go, as Vigil findings.
const SPRING = 'pkg:maven/org.springframework.boot/spring-boot@2.6.0';
const BASH = 'pkg:deb/debian/bash@5.3';
const DEBIAN_IMAGE = 'pkg:oci/debian@sha256%3A1234?repository_url=registry.example%2Flibrary%2Fdebian&tag=12';
const GO_MODULE = 'pkg:golang/github.com/aquasecurity/go-module@v1.0.0';
const GO_DIRECT1 = 'pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0';
const GO_DIRECT2 = 'pkg:golang/github.com/aquasecurity/go-direct2@v3.0.0';
const GO_TRANSITIVE = 'pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0';

const root: VexComponentNode = { PURL: GO_MODULE };
const direct1: VexComponentNode = { PURL: GO_DIRECT1, Parents: [root] };
const direct2: VexComponentNode = { PURL: GO_DIRECT2, Parents: [root] };
const image: VexComponentNode = { PURL: DEBIAN_IMAGE };

async function fileSource(name: string): Promise<VexSource> {
  return documentSource(new DocumentMatcher(await loadVexFile(fixture(`trivy/${name}`))), name);
}

function openvex(statements: object[], timestamp = '2024-01-01T00:00:00Z'): VexSource {
  const doc = parseVexDocument(
    JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'test', timestamp, statements }),
    'inline',
  );
  return documentSource(new DocumentMatcher(doc));
}

test('OpenVEX: the statement for the package suppresses, another CVE stays (Trivy "OpenVEX")', async () => {
  const findings = [
    { VulnerabilityID: 'CVE-2021-44228', PkgName: 'spring-boot', PURL: SPRING },
    { VulnerabilityID: 'CVE-2021-0001', PkgName: 'spring-boot', PURL: SPRING },
  ];
  const result = applyVex(findings, [await fileSource('openvex.json')]);
  assert.deepEqual(
    result.kept.map((f) => f.VulnerabilityID),
    ['CVE-2021-0001'],
  );
  assert.equal(result.suppressed.length, 1);
  const [suppression] = result.suppressed;
  assert.equal(suppression?.finding, findings[0]);
  assert.equal(suppression?.status, 'not_affected');
  assert.equal(suppression?.justification, 'vulnerable_code_not_in_execute_path');
  assert.equal(suppression?.source, 'openvex.json');
});

test('OpenVEX: the latest statement wins; one without a time takes the document time (Trivy "multiple statements")', async () => {
  const result = applyVex(
    [{ VulnerabilityID: 'CVE-2021-44228', PURL: SPRING }],
    [await fileSource('openvex-multiple.json')],
  );
  assert.equal(result.suppressed.length, 1);
  // The same statements with the affected one dated later keep the finding.
  const later = openvex([
    { vulnerability: { name: 'CVE-1' }, products: [{ '@id': SPRING }], status: 'not_affected', justification: 'x' },
    {
      vulnerability: { name: 'CVE-1' },
      products: [{ '@id': SPRING }],
      status: 'affected',
      timestamp: '2025-01-01T00:00:00Z',
    },
  ]);
  assert.equal(applyVex([{ VulnerabilityID: 'CVE-1', PURL: SPRING }], [later]).kept.length, 1);
});

test('OpenVEX: image product with the package as subcomponent; another image does not match (Trivy "oci image")', async () => {
  const finding = { VulnerabilityID: 'CVE-2022-3715', PkgName: 'bash', PURL: BASH, Parents: [image] };
  const matched = applyVex([finding], [await fileSource('openvex-oci.json')]);
  assert.equal(matched.suppressed.length, 1);
  assert.equal(matched.suppressed[0]?.product, DEBIAN_IMAGE);
  assert.equal(applyVex([finding], [await fileSource('openvex-oci-mismatch.json')]).kept.length, 1);
});

test('OpenVEX nested: one path through the product suppresses, a second path does not (Trivy "single/multi paths")', async () => {
  const source = await fileSource('openvex-nested.json');
  const single = { VulnerabilityID: 'CVE-2024-0001', PURL: GO_TRANSITIVE, Parents: [direct1] };
  const multi = { VulnerabilityID: 'CVE-2024-0001', PURL: GO_TRANSITIVE, Parents: [direct1, direct2] };
  const result = applyVex([single, multi], [source]);
  assert.deepEqual(
    result.suppressed.map((s) => s.finding),
    [single],
  );
  assert.deepEqual(result.kept, [multi]);
});

test('CSAF: product status on the package itself, and relationships on one path only (Trivy "CSAF" cases)', async () => {
  const direct = { VulnerabilityID: 'CVE-2024-0001', PURL: GO_TRANSITIVE, Parents: [direct1, direct2] };
  assert.equal(applyVex([direct], [await fileSource('csaf.json')]).suppressed.length, 1);
  const relationships = await fileSource('csaf-relationships.json');
  const single = { VulnerabilityID: 'CVE-2024-0001', PURL: GO_TRANSITIVE, Parents: [direct1] };
  const result = applyVex([single, direct], [relationships]);
  assert.deepEqual(
    result.suppressed.map((s) => s.finding),
    [single],
  );
  assert.equal(result.suppressed[0]?.justification, 'vulnerable_code_cannot_be_controlled_by_adversary');
  assert.equal(result.suppressed[0]?.impactStatement, 'vulnerable_code_not_in_execute_path');
  // A relationship never matches the product on its own.
  assert.equal(applyVex([{ VulnerabilityID: 'CVE-2024-0001', PURL: GO_DIRECT1 }], [relationships]).kept.length, 1);
});

test('CSAF without a CVE matches through ids (Trivy "CSAF without CVE")', () => {
  const doc = parseVexDocument(
    JSON.stringify({
      document: { category: 'csaf_vex', tracking: { id: 'no-cve', current_release_date: '2024-01-01T00:00:00Z' } },
      product_tree: {
        full_product_names: [
          { product_id: 'p1', name: 'go-transitive', product_identification_helper: { purl: GO_TRANSITIVE } },
        ],
      },
      vulnerabilities: [
        { ids: [{ system_name: 'GHSA', text: 'GHSA-2r2c-cx56-8933' }], product_status: { fixed: ['p1'] } },
      ],
    }),
    'csaf-no-cve.json',
  );
  const result = applyVex(
    [{ VulnerabilityID: 'GHSA-2r2c-cx56-8933', PURL: GO_TRANSITIVE }],
    [documentSource(new DocumentMatcher(doc))],
  );
  assert.equal(result.suppressed[0]?.status, 'fixed');
});

test('PURL matching: no version matches every version, named qualifiers must match, aliases count', () => {
  const source = openvex([
    {
      vulnerability: { name: 'GO-2024-0001', aliases: ['CVE-2024-9999'] },
      products: [{ '@id': 'pkg:apk/alpine/busybox?arch=x86_64' }],
      status: 'not_affected',
      justification: 'component_not_present',
    },
  ]);
  const verdict = (purl: string, id = 'CVE-2024-9999') =>
    applyVex([{ VulnerabilityID: id, PURL: purl }], [source]).suppressed.length === 1;
  assert.equal(verdict('pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64&distro=3.19.1'), true);
  assert.equal(verdict('pkg:apk/alpine/busybox@1.36.1-r2?arch=aarch64'), false);
  assert.equal(verdict('pkg:apk/alpine/busybox@1.36.1-r2'), false);
  assert.equal(verdict('pkg:apk/alpine/busybox-extras@1.36.1-r2?arch=x86_64'), false);
  assert.equal(verdict('pkg:apk/wolfi/busybox@1.36.1-r2?arch=x86_64'), false);
  assert.equal(verdict('pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64', 'GO-2024-0001'), true);
  assert.equal(verdict('pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64', 'CVE-2024-0000'), false);
  // A statement with a version matches that version only.
  const pinned = openvex([
    { vulnerability: { name: 'CVE-1' }, products: [{ '@id': 'pkg:npm/lodash@4.17.20' }], status: 'fixed' },
  ]);
  assert.equal(applyVex([{ VulnerabilityID: 'CVE-1', PURL: 'pkg:npm/lodash@4.17.20' }], [pinned]).suppressed.length, 1);
  assert.equal(applyVex([{ VulnerabilityID: 'CVE-1', PURL: 'pkg:npm/lodash@4.17.21' }], [pinned]).kept.length, 1);
});

test('affected and under_investigation keep findings; findings without a PURL are kept', () => {
  for (const status of ['affected', 'under_investigation']) {
    const source = openvex([{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': SPRING }], status }]);
    assert.equal(applyVex([{ VulnerabilityID: 'CVE-1', PURL: SPRING }], [source]).kept.length, 1, status);
  }
  const fixed = openvex([{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': SPRING }], status: 'fixed' }]);
  assert.equal(applyVex([{ VulnerabilityID: 'CVE-1' }], [fixed]).kept.length, 1);
});

test('--vex order is precedence: the first source with a statement decides', () => {
  const affected = openvex([{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': SPRING }], status: 'affected' }]);
  const notAffected = openvex([
    {
      vulnerability: { name: 'CVE-1' },
      products: [{ '@id': SPRING }],
      status: 'not_affected',
      justification: 'inline_mitigations_already_exist',
    },
  ]);
  const silent = openvex([{ vulnerability: { name: 'CVE-2' }, products: [{ '@id': SPRING }], status: 'affected' }]);
  const finding = { VulnerabilityID: 'CVE-1', PURL: SPRING };
  assert.equal(applyVex([finding], [affected, notAffected]).kept.length, 1);
  assert.equal(applyVex([finding], [notAffected, affected]).suppressed.length, 1);
  // A source that says nothing about the vulnerability does not block the next one.
  assert.equal(applyVex([finding], [silent, notAffected]).suppressed.length, 1);
});

test('every path must be covered: mixed sources per path, cycles end, shared ancestors', () => {
  const statement = (product: string) => ({
    vulnerability: { name: 'CVE-7' },
    products: [{ '@id': product, subcomponents: [{ '@id': 'pkg:npm/leaf' }] }],
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
  });
  const top: VexComponentNode = { PURL: 'pkg:npm/app@1.0.0' };
  const a: VexComponentNode = { PURL: 'pkg:npm/a@1.0.0', Parents: [top] };
  const b: VexComponentNode = { PURL: 'pkg:npm/b@1.0.0', Parents: [top] };
  const finding = { VulnerabilityID: 'CVE-7', PURL: 'pkg:npm/leaf@2.0.0', Parents: [a, b] };
  assert.equal(applyVex([finding], [openvex([statement('pkg:npm/a')])]).kept.length, 1);
  // Each path covered by a different source.
  assert.equal(
    applyVex([finding], [openvex([statement('pkg:npm/a')]), openvex([statement('pkg:npm/b')])]).suppressed.length,
    1,
  );
  // The shared root covers both paths at once.
  assert.equal(applyVex([finding], [openvex([statement('pkg:npm/app')])]).suppressed.length, 1);
  // A cycle between two components (x ↔ y) under the root neither hangs nor suppresses wrongly.
  const x: { PURL: string; Parents: VexComponentNode[] } = { PURL: 'pkg:npm/x@1.0.0', Parents: [top] };
  const y: VexComponentNode = { PURL: 'pkg:npm/y@1.0.0', Parents: [x] };
  x.Parents.push(y);
  const cyclic = { VulnerabilityID: 'CVE-7', PURL: 'pkg:npm/leaf@2.0.0', Parents: [y] };
  assert.equal(applyVex([cyclic], [openvex([statement('pkg:npm/y')])]).suppressed.length, 1);
  assert.equal(applyVex([cyclic], [openvex([statement('pkg:npm/z')])]).kept.length, 1);
});
