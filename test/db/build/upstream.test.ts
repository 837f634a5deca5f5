import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BoltTree } from '../../../src/db/bolt/index.ts';
import { ensureBucket } from '../../../src/db/bolt/index.ts';
import { finalizeTrivyLayout, loadBoltFixtures, loadOsvDirectories } from '../../../src/db/build/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { expectedCases, FIXTURES } from '../expected.ts';

/** The value at a bucket path + key, parsed as JSON; undefined when any level is missing. */
function valueAt(tree: BoltTree, key: readonly string[]): unknown {
  let node: BoltTree | string | Uint8Array | undefined = tree;
  for (const part of key) {
    if (!(node instanceof Map)) return undefined;
    node = node.get(part);
  }
  if (node === undefined || node instanceof Map) return node === undefined ? undefined : 'bucket';
  return JSON.parse(Buffer.from(node).toString('utf8'));
}

function hasPath(tree: BoltTree, path: readonly string[]): boolean {
  let node: BoltTree | string | Uint8Array | undefined = tree;
  for (const part of path) {
    if (!(node instanceof Map)) return false;
    node = node.get(part);
  }
  return node !== undefined;
}

describe("trivy-db's final layout (pkg/vulndb TestTrivyDB_Build) from its YAML fixtures", () => {
  for (const c of expectedCases('vulndb_db_test.expected.json', 'TestTrivyDB_Build')) {
    test(c.name, () => {
      const files = (c.fixtures as string[]).map((f) =>
        join(FIXTURES, f.replace('testdata/fixtures/', 'trivy-db/vulndb/')),
      );
      const build = () => {
        const tree = loadBoltFixtures(files);
        finalizeTrivyLayout(tree);
        return tree;
      };
      if (c.wantErr) {
        assert.throws(build, (e: unknown) => isVigilError(e) && e.message.includes(c.wantErr as string));
        return;
      }
      const tree = build();
      for (const want of c.wantValues as Array<{ key: string[]; value: unknown }>) {
        assert.deepEqual(valueAt(tree, want.key), want.value, want.key.join(' / '));
      }
      // The staging buckets are gone, and a rejected vulnerability left nothing behind.
      for (const staging of ['advisory-detail', 'vulnerability-detail', 'vulnerability-id']) {
        assert.equal(tree.has(staging), false, staging);
      }
      assert.equal(valueAt(tree, ['vulnerability', 'CVE-2021-3669']), undefined);
    });
  }

  for (const c of expectedCases('advisory_detail_test.expected.json', 'TestConfig_SaveAdvisoryDetails')) {
    test(`advisory details move under their platform buckets: ${c.name}`, () => {
      const tree = loadBoltFixtures([join(FIXTURES, 'trivy-db/db/advisory-detail.yaml')]);
      ensureBucket(tree, ['vulnerability-id']).set(c.vulnID as string, '{}');
      ensureBucket(tree, ['vulnerability-detail']);
      finalizeTrivyLayout(tree);
      const want = (c.want as Array<{ key: string[]; value: unknown }> | null) ?? [];
      for (const item of want) assert.deepEqual(valueAt(tree, item.key), item.value, item.key.join(' / '));
      if (want.length === 0) assert.deepEqual([...tree.keys()], []);
    });
  }
});

describe("trivy-db's OSV sources (TestVulnSrc_Update): GHSA, Go vulndb, PyPA", () => {
  const now = new Date('2026-08-01T00:00:00Z');
  for (const [file, dir] of [
    ['ghsa_test.expected.json', 'osv/ghsa'],
    ['govulndb_test.expected.json', 'osv/govulndb'],
    ['osv_test.expected.json', 'osv/pypa'],
  ] as const) {
    const happy = expectedCases(file, 'TestVulnSrc_Update').find((c) => c.name === 'happy path');
    test(`${dir}: every expected staging value, and nothing where upstream has nothing`, () => {
      assert.ok(happy);
      const tree: BoltTree = new Map();
      loadOsvDirectories([join(FIXTURES, dir)], tree, { now });
      let compared = 0;
      for (const want of happy.wantValues as Array<{ Key: string[]; Value: unknown }>) {
        // Known gap: CocoaPods advisories need a CocoaPods Specs checkout (GHSA Swift → pod names).
        if (want.Key.some((part) => part.startsWith('cocoapods::'))) continue;
        assert.deepEqual(valueAt(tree, want.Key), want.Value, want.Key.join(' / '));
        compared += 1;
      }
      assert.ok(compared >= 5, `compared ${compared}`);
      for (const path of (happy.noBuckets as string[][] | undefined) ?? []) {
        assert.equal(hasPath(tree, path), false, `${path.join(' / ')} must not exist`);
      }
    });
  }

  test('an OSV file that is not JSON fails with the file named', () => {
    const dir = tempDir('vigil-osv-bad-');
    writeFileSync(join(dir, 'GHSA-bad.json'), '{"id": "GHSA-bad", ');
    assert.throws(
      () => loadOsvDirectories([dir], new Map(), { now }),
      (e: unknown) => isVigilError(e) && /json decode error in .*GHSA-bad\.json/.test(e.message),
    );
  });
});
