import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cargoAnalyzer, parseCargoLock, satisfiesCargoRequirement } from '../../../../src/analyzer/lang/rust/index.ts';
import {
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  type GoldenCase,
  goldenCases,
  memoryFiles,
  parseTxtar,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'rust';
const PARSER = 'pkg/dependency/parser/rust/cargo/';
const ANALYZER = 'pkg/fanal/analyzer/language/rust/cargo/';

test('Trivy cargo parser golden cases (Cargo.lock v1, v3, mixed, invalid)', async (t) => {
  const cases = goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse');
  for (const c of cases) {
    await t.test(c.file, () => {
      const text = readFixture(ECO, `${PARSER}${c.file}`);
      if (c.wantErr === '$assert.Error') {
        assert.throws(() => parseCargoLock(text), /decode error/);
        return;
      }
      const got = parseCargoLock(text);
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
      assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
    });
  }
});

/**
 * A Cargo.toml without `[package] name` (a virtual workspace) gets a content-hash ID; Trivy's
 * is a hashstructure hash of Go structs, which Vigil does not reproduce. The comparison maps
 * Trivy's ID to Vigil's and checks everything else.
 */
function renameRoot(want: GoldenCase | undefined, got: string | undefined): GoldenCase | undefined {
  if (!want || !got) return want;
  const text = JSON.stringify(want);
  const root = want.Applications?.[0]?.Packages?.find(
    (pkg: GoldenCase) => pkg.Relationship?.endsWith('RelationshipRoot') && !pkg.Name,
  );
  return root ? JSON.parse(text.replaceAll(`"${root.ID}"`, `"${got}"`)) : want;
}

test('Trivy cargo analyzer golden cases (root, workspaces, direct from Cargo.toml, dev crates dropped)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}cargo_test.expected.json`, 'Test_cargoAnalyzer_Analyze');
  for (const c of cases) {
    await t.test(`${c.name} (${c.file})`, async () => {
      const files = parseTxtar(readFixture(ECO, `${ANALYZER}${c.file}`));
      for (const path of files.keys()) assert.ok(cargoAnalyzer.required(path, { size: 1, mode: 0o644 }), path);
      const result = await cargoAnalyzer.analyze(memoryFiles(files), { scanKind: 'image', includeDevDeps: true });
      const virtualRoot = result.Applications?.[0]?.Packages.find((pkg) => pkg.Relationship === 'root' && !pkg.Name);
      assertSameApplications(result, renameRoot(c.want, virtualRoot?.ID));
      if (c.name === 'broken Cargo.lock' || c.name === 'wrong Cargo.toml') assert.equal(result.Warnings?.length, 1);
    });
  }
});

test('Trivy cargo version requirement vectors (TestMatchVersion)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${ANALYZER}cargo_test.expected.json`, 'TestMatchVersion'), {}, (c) => {
    assert.equal(satisfiesCargoRequirement(c.version, c.constraint), c.want);
  });
});

test('cargo analyzer runs in every kind of scan, as Trivy puts it in neither analyzer group', () => {
  assert.deepEqual([...cargoAnalyzer.scanKinds].sort(), ['fs', 'image', 'rootfs']);
});
