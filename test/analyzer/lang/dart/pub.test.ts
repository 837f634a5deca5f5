import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePubspecLock, pubAnalyzer } from '../../../../src/analyzer/lang/dart/index.ts';
import {
  assertSameApplications,
  collectFiles,
  comparablePackages,
  eachGolden,
  fixture,
  goldenCases,
  imageContext,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'dart';
const PARSER = 'pkg/dependency/parser/dart/pub/';
const ANALYZER = 'pkg/fanal/analyzer/language/dart/pub/';

test('Trivy pubspec.lock parser golden cases (Flutter SDK minimum version)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParser_Parse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}${c.inputFile}`);
    if (c.wantErr === '$assert.Error') {
      assert.throws(() => parsePubspecLock(text), /failed to decode pubspec\.lock/);
      return;
    }
    const got = parsePubspecLock(text, { useMinVersion: c.useMinVersion === true });
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
  });
});

test('Trivy pub analyzer golden cases (dependency edges from a pub cache)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}pubspec_test.expected.json`, 'Test_pubSpecLockAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const files = collectFiles(pubAnalyzer, fixture(ECO, `${ANALYZER}${c.dir}`));
    // Trivy reads the cache PUB_CACHE names on the scanning machine; here it is part of the
    // scanned tree, so the case without a cache leaves it out.
    if (c.pubCacheEnv !== 'testdata/happy/cache') {
      for (const path of [...files.keys()]) if (path.startsWith('cache/')) files.delete(path);
    }
    const result = await pubAnalyzer.analyze(memoryFiles(files), imageContext);
    assertSameApplications(result, c.want);
    if (c.wantErr === '$assert.Error') assert.equal(result.Warnings?.length, 1);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}pubspec_test.expected.json`, 'Test_pubSpecLockAnalyzer_Required')) {
    assert.equal(pubAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});
