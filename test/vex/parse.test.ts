import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isVigilError } from '../../src/errors/index.ts';
import { DocumentMatcher, loadVexFile, parseVexDocument, type VexStatus } from '../../src/vex/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { fixture } from './fixtures.ts';

test('go-vex v0.2.0 document: 5 statements on the alpine image, as go-vex Parse reads it', async () => {
  const doc = await loadVexFile(fixture('go-vex/vex/v0.2.0.json'));
  assert.equal(doc.format, 'openvex');
  assert.equal(doc.statements.length, 5);
  assert.deepEqual(
    doc.statements.map((s) => s.vulnerabilityIds[0]),
    ['CVE-2023-1255', 'CVE-2023-2650', 'CVE-2023-2975', 'CVE-2023-3446', 'CVE-2023-3817'],
  );
  for (const statement of doc.statements) {
    assert.equal(
      statement.products[0]?.id,
      'pkg:oci/alpine@sha256%3A124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126',
    );
  }
});

test('OpenVEX v0.0.1 and its unversioned context open through the compatibility form (go-vex Open)', async () => {
  for (const name of ['v0.0.1.json', 'v0.0.1-noversion.json']) {
    const doc = await loadVexFile(fixture(`go-vex/vex/${name}`));
    assert.equal(doc.statements.length, 1, name);
    const [statement] = doc.statements;
    assert.deepEqual(statement?.vulnerabilityIds, ['CVE-2023-12345']);
    assert.equal(statement?.status, 'fixed');
    assert.deepEqual(
      statement?.products.map((p) => p.id),
      ['pkg:apk/wolfi/git@2.39.0-r1?arch=armv7', 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64'],
    );
    const matcher = new DocumentMatcher(doc);
    assert.equal(
      matcher.statementFor('CVE-2023-12345', 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64')?.statement.status,
      'fixed',
    );
    // The statement names arch=x86_64 and arch=armv7: an aarch64 package is not covered.
    assert.equal(matcher.statementFor('CVE-2023-12345', 'pkg:apk/wolfi/git@2.39.0-r1?arch=aarch64'), undefined);
  }
  // The two v0.0.1 and two v0.2.0 go-vex merge inputs open as well, with their statement times.
  for (const name of ['v001-1.vex.json', 'v001-2.vex.json', 'v020-1.vex.json', 'v020-2.vex.json']) {
    const doc = await loadVexFile(fixture(`go-vex/vex/${name}`));
    assert.equal(doc.statements.length, 1, name);
    assert.ok(doc.statements[0]?.timestamp, name);
  }
});

test('go-vex YAML document: 2 statements with aliases (go-vex OpenYAML)', async () => {
  const doc = await loadVexFile(fixture('go-vex/vex/vex.yaml'));
  assert.equal(doc.statements.length, 2);
  assert.deepEqual(doc.statements[0]?.vulnerabilityIds, ['CVE-2022-31030', 'FEDORA-2022-1da581ac6d', 'DSA-5162']);
  assert.deepEqual(
    doc.statements.map((s) => s.status),
    ['not_affected', 'affected'],
  );
});

test('go-vex CSAF: CVE-2009-4487 not_affected for pkg:golang/github.com/go-homedir@v1.2.0 (go-vex OpenCSAF)', async () => {
  const doc = await loadVexFile(fixture('go-vex/vex/csaf.json'));
  assert.equal(doc.format, 'csaf');
  assert.equal(doc.id, '2022-EVD-UC-01-NA-001');
  assert.equal(doc.statements.length, 1);
  const matcher = new DocumentMatcher(doc);
  const match = matcher.statementFor('CVE-2009-4487', 'pkg:golang/github.com/go-homedir@v1.2.0');
  assert.equal(match?.statement.status, 'not_affected');
  assert.equal(match?.statement.impactStatement, 'Class with vulnerable code was removed before shipping.');
  assert.equal(matcher.statementFor('CVE-2009-4487', 'pkg:golang/github.com/go-homedir@v1.1.0'), undefined);
});

test('OpenVEX spec examples parse', async () => {
  const first = await loadVexFile(fixture('openvex/spec-block-01.json'));
  assert.deepEqual(
    first.statements.map((s) => s.status),
    ['fixed'],
  );
  const sixth = await loadVexFile(fixture('openvex/spec-block-06.json'));
  assert.deepEqual(
    sixth.statements.map((s) => s.status),
    ['under_investigation'],
  );
});

const CSAF_GROUPS: Record<string, VexStatus> = {
  known_not_affected: 'not_affected',
  fixed: 'fixed',
  known_affected: 'affected',
  under_investigation: 'under_investigation',
};

test('CSAF 2.0 and 2.1 VEX examples: every product status becomes a statement with the mapped status', () => {
  const dir = tempDir();
  let checked = 0;
  for (const version of ['2.0', '2.1']) {
    for (const name of readdirSync(fixture(`csaf/${version}`))) {
      const json = JSON.parse(readFileSync(fixture(`csaf/${version}/${name}`), 'utf8'));
      // The OASIS examples name products without PURLs; give each product ID one, as a vendor would.
      const purlOf = (id: string) => `pkg:generic/example/${encodeURIComponent(id.toLowerCase())}@1`;
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (node && typeof node === 'object') {
          const record = node as Record<string, unknown>;
          if (typeof record.product_id === 'string' && record.product_identification_helper === undefined) {
            record.product_identification_helper = { purl: purlOf(record.product_id) };
          }
          Object.values(record).forEach(visit);
        }
      };
      visit(json.product_tree);
      const path = join(dir, `${version}-${name}`);
      writeFileSync(path, JSON.stringify(json));
      const doc = parseVexDocument(readFileSync(path, 'utf8'), path);
      assert.equal(doc.format, 'csaf');
      assert.equal(doc.id, json.document.tracking.id);
      const matcher = new DocumentMatcher(doc);
      for (const vulnerability of json.vulnerabilities) {
        for (const [group, status] of Object.entries(CSAF_GROUPS)) {
          for (const productId of vulnerability.product_status?.[group] ?? []) {
            const match = matcher.statementFor(vulnerability.cve, purlOf(productId));
            assert.ok(match, `${version}/${name}: ${vulnerability.cve} ${productId}`);
            if (Object.keys(vulnerability.product_status).length === 1) assert.equal(match.statement.status, status);
            checked += 1;
          }
        }
      }
    }
  }
  assert.ok(checked > 100, `${checked} product statuses checked`);
});

test('CSAF justification comes from flags, the impact text from threats (sec-vex-2022-0001, 2.0 and 2.1)', () => {
  for (const version of ['2.0', '2.1']) {
    const json = JSON.parse(readFileSync(fixture(`csaf/${version}/sec-vex-2022-0001.json`), 'utf8'));
    const flagged = json.vulnerabilities.filter((v: { flags?: unknown }) => v.flags);
    assert.ok(flagged.length > 0);
    // 2.0 names a product's PURL in `purl`, 2.1 in `purls`.
    const helper = version === '2.0' ? { purl: 'pkg:generic/example/xyz@1' } : { purls: ['pkg:generic/example/xyz@1'] };
    const productId: string = flagged[0].flags[0].product_ids[0];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (record.product_id === productId) record.product_identification_helper = helper;
        Object.values(record).forEach(visit);
      }
    };
    visit(json.product_tree);
    const matcher = new DocumentMatcher(parseVexDocument(JSON.stringify(json), `sec-vex ${version}`));
    for (const vulnerability of flagged) {
      const match = matcher.statementFor(vulnerability.cve, 'pkg:generic/example/xyz@1');
      assert.equal(match?.statement.justification, vulnerability.flags[0].label, vulnerability.cve);
      assert.equal(match?.statement.status, 'not_affected');
    }
  }
});

test('CycloneDX VEX use cases parse; CISA case 1 files map analysis states to the four statuses', async () => {
  const files = readdirSync(fixture('cyclonedx'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    /vex[^/]*\.json$/.test(f),
  );
  assert.ok(files.length >= 20, `${files.length} CycloneDX VEX files`);
  for (const file of files) {
    const doc = await loadVexFile(fixture(`cyclonedx/${file}`));
    assert.equal(doc.format, 'cyclonedx', file);
  }
  const expected: Record<string, VexStatus> = {
    'vex-affected.json': 'affected',
    'vex-fixed.json': 'fixed',
    'vex-not_affected.json': 'not_affected',
    'vex-under_investigation.json': 'under_investigation',
  };
  for (const [name, status] of Object.entries(expected)) {
    const doc = await loadVexFile(fixture(`cyclonedx/CISA-Use-Cases/Case-1/${name}`));
    assert.deepEqual(
      doc.statements.map((s) => s.status),
      [status],
      name,
    );
  }
});

test('CycloneDX BOM-Link refs that name a PURL match it (Trivy testdata cyclonedx.json)', async () => {
  const doc = await loadVexFile(fixture('trivy/cyclonedx.json'));
  const matcher = new DocumentMatcher(doc);
  const spring = matcher.statementFor('CVE-2021-44228', 'pkg:maven/org.springframework.boot/spring-boot@2.6.0');
  assert.equal(spring?.statement.status, 'not_affected');
  assert.equal(spring?.statement.justification, 'code_not_reachable');
  const libstdc = matcher.statementFor(
    'CVE-2022-27943',
    'pkg:deb/ubuntu/libstdc%2B%2B6@12.3.0-1ubuntu1~22.04?arch=amd64&distro=ubuntu-22.04',
  );
  assert.equal(libstdc?.statement.status, 'not_affected');
});

test('an in-toto statement wrapping OpenVEX is unwrapped', () => {
  const predicate = JSON.parse(readFileSync(fixture('trivy/openvex.json'), 'utf8'));
  const wrapped = { _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://openvex.dev/ns', predicate };
  const doc = parseVexDocument(JSON.stringify(wrapped), 'attestation.json');
  assert.equal(doc.statements.length, 1);
});

test('malformed documents fail with one line naming the file', async () => {
  const dir = tempDir();
  const cases: Record<string, string> = {
    'not-json.json': '{"@context": "https://openvex.dev/ns/v0.2.0", ',
    'bad-status.json': JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [{ vulnerability: { name: 'CVE-1' }, products: [], status: 'maybe' }],
    }),
    'statements-object.json': JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: {} }),
    'bad-date.json': JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', timestamp: 'yesterday' }),
    'no-vulnerability.json': JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [{ products: [], status: 'fixed' }],
    }),
    'csaf-bad-tree.json': JSON.stringify({ document: {}, product_tree: { branches: [7] }, vulnerabilities: [] }),
    'cdx-bad-state.json': JSON.stringify({
      bomFormat: 'CycloneDX',
      vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'perhaps' } }],
    }),
  };
  for (const [name, text] of Object.entries(cases)) {
    const path = join(dir, name);
    writeFileSync(path, text);
    await assert.rejects(loadVexFile(path), (error: unknown) => {
      assert.ok(isVigilError(error), name);
      assert.ok(error.message.includes(path), `${name}: ${error.message}`);
      assert.ok(!error.message.includes('\n'), name);
      return true;
    });
  }
  // Trivy's unknown.json ({}) is no VEX format at all.
  await assert.rejects(loadVexFile(fixture('trivy/unknown.json')), /not OpenVEX .*CSAF .*CycloneDX/);
  await assert.rejects(loadVexFile(join(dir, 'missing.json')), /cannot read VEX document .*missing\.json/);
});
