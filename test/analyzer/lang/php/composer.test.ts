import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  composerAnalyzer,
  composerVendorAnalyzer,
  parseComposerLock,
} from '../../../../src/analyzer/lang/php/index.ts';
import {
  analyzeDirectory,
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  fixture,
  goldenCases,
  imageContext,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'php';
const PARSER = 'pkg/dependency/parser/php/composer/';
const ANALYZER = 'pkg/fanal/analyzer/language/php/composer/';

test('Trivy composer parser golden case (composer.lock with packages-dev)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const got = parseComposerLock(readFixture(ECO, `${PARSER}${c.file}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy composer analyzer golden cases (composer.json decides direct)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}composer_test.expected.json`, 'Test_composerAnalyzer_PostAnalyze');
  await eachGolden(t, cases, {}, async (c) => {
    const result = await analyzeDirectory(composerAnalyzer, fixture(ECO, `${ANALYZER}${c.dir}`));
    assertSameApplications(result, c.want);
    if (c.name !== 'happy path' && c.name !== 'no composer.json' && c.name !== 'with dev dependencies') {
      assert.equal(result.Warnings?.length, 1, 'a broken lock or manifest is reported');
    }
  });
});

test('Trivy composer vendor analyzer golden cases (installed.json)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}vendor_test.expected.json`, 'Test_composerVendorAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const path = c.inputFile as string;
    const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}${path}`))]]));
    const result = await composerVendorAnalyzer.analyze(files, imageContext);
    assertSameApplications(result, c.want);
    if (c.wantErr) assert.match(result.Warnings?.[0] ?? '', /decode error/);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}vendor_test.expected.json`, 'Test_composerVendorAnalyzer_Required')) {
    assert.equal(composerVendorAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});
