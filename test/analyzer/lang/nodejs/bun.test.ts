import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBunLock } from '../../../../src/analyzer/lang/nodejs/bun-lock.ts';
import { bunAnalyzer } from '../../../../src/analyzer/lang/nodejs/lock-file-analyzers.ts';
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
const PARSER = 'pkg/dependency/parser/nodejs/bun/';
const ANALYZER = 'pkg/fanal/analyzer/language/nodejs/bun/';

test('Trivy bun parser golden cases', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}${c.file}`);
    if (c.wantErr) {
      assert.throws(() => parseBunLock(text), new RegExp(c.wantErr));
      return;
    }
    const got = parseBunLock(text);
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
    if (Array.isArray(c.wantDeps)) {
      assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
    }
  });
});

test('Trivy bun analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}bun_test.expected.json`, 'Test_bunLibraryAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const result = await analyzeDirectory(bunAnalyzer, fixture(ECO, `${ANALYZER}${c.dir}`));
    assertSameApplications(result, c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}bun_test.expected.json`, 'Test_bunLibraryAnalyzer_Required')) {
    assert.equal(bunAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});
