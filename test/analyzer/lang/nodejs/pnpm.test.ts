import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pnpmAnalyzer } from '../../../../src/analyzer/lang/nodejs/lock-file-analyzers.ts';
import { parsePnpmKey, parsePnpmLock, parsePnpmVersion } from '../../../../src/analyzer/lang/nodejs/pnpm-lock.ts';
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
const PARSER = 'pkg/dependency/parser/nodejs/pnpm/';
const ANALYZER = 'pkg/fanal/analyzer/language/nodejs/pnpm/';

test('Trivy pnpm parser golden cases (v5, v6, v9, peers, archives, multiple documents)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const got = parsePnpmLock(readFixture(ECO, `${PARSER}${c.file}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
    if (c.wantDeps) assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
  for (const c of goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'Test_parsePnpmKey')) {
    // Trivy's wantRef (the registry a v5 key names) is in no report, so Vigil does not keep it.
    assert.deepEqual(parsePnpmKey(c.pkg, c.lockFileVer), { name: c.wantName, version: c.wantVersion }, c.name);
  }
  for (const c of goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'Test_parseVersion')) {
    assert.equal(parsePnpmVersion(c.ver, c.lockVer), c.wantVer, c.name);
  }
});

test('Trivy pnpm analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}pnpm_test.expected.json`, 'Test_pnpmPkgLibraryAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const result = await analyzeDirectory(pnpmAnalyzer, fixture(ECO, `${ANALYZER}${c.dir}`));
    assertSameApplications(result, c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}pnpm_test.expected.json`, 'Test_pnpmPkgLibraryAnalyzer_Required')) {
    assert.equal(pnpmAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});
