import assert from 'node:assert/strict';
import { test } from 'node:test';
import { yarnAnalyzer } from '../../../../src/analyzer/lang/nodejs/yarn-analyzer.ts';
import {
  parseYarnDependency,
  parseYarnLock,
  parseYarnPattern,
  parseYarnPatterns,
} from '../../../../src/analyzer/lang/nodejs/yarn-lock.ts';
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

const ECO = 'nodejs';
const PARSER = 'pkg/dependency/parser/nodejs/yarn/';
const EXPECTED = `${PARSER}parse_test.expected.json`;

test('Trivy yarn.lock line grammar vectors', () => {
  for (const c of goldenCases(ECO, EXPECTED, 'TestParsePattern')) {
    const got = parseYarnPattern(c.target);
    if (c.occurErr) assert.equal(got, undefined, c.target);
    else assert.deepEqual(got, { name: c.expectName, protocol: c.expectProtocol ?? '', version: c.expactVersion });
  }
  for (const c of goldenCases(ECO, EXPECTED, 'TestParsePackagePatterns')) {
    const got = parseYarnPatterns(c.target);
    if (c.occurErr) assert.equal(got, undefined, c.target);
    else assert.deepEqual(got, { name: c.expectName, protocol: c.expectProtocol ?? '', patterns: c.expactPatterns });
  }
  for (const c of goldenCases(ECO, EXPECTED, 'TestGetDependency')) {
    assert.equal(parseYarnDependency(c.target), `${c.expectName}@${c.expactVersion}`, c.name);
  }
});

test('Trivy yarn parser golden cases (classic, Berry, local, git and unknown protocols)', async (t) => {
  for (const c of goldenCases(ECO, EXPECTED, 'TestParse')) {
    await t.test(c.name ?? c.file, () => {
      const got = parseYarnLock(readFixture(ECO, `${PARSER}${c.file}`));
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
      if (c.wantDeps !== undefined) {
        assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
      }
    });
  }
});

const ANALYZER = 'pkg/fanal/analyzer/language/nodejs/yarn/';

test('Trivy yarn analyzer golden cases (root, workspaces, aliases, dev, licences from node_modules and zips)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}yarn_test.expected.json`, 'Test_yarnLibraryAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const result = await analyzeDirectory(yarnAnalyzer, fixture(ECO, `${ANALYZER}${c.dir}`));
    assertSameApplications(result, c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}yarn_test.expected.json`, 'Test_yarnLibraryAnalyzer_Required')) {
    assert.equal(yarnAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});
