import assert from 'node:assert/strict';
import { test } from 'node:test';
import { juliaAnalyzer, parseJuliaManifest } from '../../../../src/analyzer/lang/julia/index.ts';
import {
  analyzeDirectory,
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  fixture,
  goldenCases,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'julia';
const PARSER = 'pkg/dependency/parser/julia/manifest/';
const ANALYZER = 'pkg/fanal/analyzer/language/julia/pkg/';

test('Trivy Julia manifest parser golden cases (1.0 and 2.0 formats, shadowed and invalid deps)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}${c.file}`);
    if (c.wantErr) {
      assert.throws(() => parseJuliaManifest(text), new RegExp(c.wantErr.replace(/[()]/g, '\\$&')));
      return;
    }
    const got = parseJuliaManifest(text);
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
    if (c.wantDeps !== null)
      assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy Julia analyzer golden cases (Project.toml deps and extras)', async (t) => {
  await eachGolden(
    t,
    goldenCases(ECO, `${ANALYZER}pkg_test.expected.json`, 'Test_juliaAnalyzer_Analyze'),
    {},
    async (c) => {
      const result = await analyzeDirectory(juliaAnalyzer, fixture(ECO, `${ANALYZER}${c.dir}`));
      assertSameApplications(result, c.want);
      const dates = result.Applications?.[0]?.Packages.find((pkg) => pkg.Name === 'Dates');
      if (c.name === 'happy path') {
        assert.equal(dates?.Identifier?.PURL, 'pkg:julia/Dates@1.9.0?uuid=ade2ca70-3891-5945-98fb-dc099432e06a');
      }
    },
  );
});
