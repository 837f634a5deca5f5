import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conanAnalyzer, conanAttribute, parseConanLock } from '../../../../src/analyzer/lang/conan/index.ts';
import {
  assertSameApplications,
  collectFiles,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  fixture,
  goldenCases,
  imageContext,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'conan';
const PARSER = 'pkg/dependency/parser/c/conan/';
const ANALYZER = 'pkg/fanal/analyzer/language/c/conan/';

test('Trivy conan.lock parser golden cases (Conan 1 graph, Conan 2 requires)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const got = parseConanLock(readFixture(ECO, `${PARSER}${c.inputFile}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy conan analyzer golden cases (licences from a Conan cache in the scanned tree)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}conan_test.expected.json`, 'Test_conanLockAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    // The fixture directories hold conan.lock or release.lock; both are handed over as lock files.
    const files = collectFiles({ ...conanAnalyzer, required: () => true }, fixture(ECO, `${ANALYZER}${c.dir}`));
    // Trivy reads the cache CONAN_USER_HOME / CONAN_HOME name on the scanning machine; here the
    // cache is part of the scanned tree (under home/).
    const cache = c.cacheDir as Record<string, string> | undefined;
    if (cache?.CONAN_USER_HOME) {
      for (const [path, body] of collectFiles(
        conanAnalyzer,
        fixture(ECO, `${ANALYZER}${cache.CONAN_USER_HOME}`),
        'home/',
      )) {
        files.set(path, body);
      }
    }
    if (cache?.CONAN_HOME) {
      const v2 = fixture(ECO, `${ANALYZER}${cache.CONAN_HOME}`);
      for (const [path, body] of collectFiles({ ...conanAnalyzer, required: () => true }, v2, 'home/.conan2/')) {
        files.set(path, body);
      }
    }
    assertSameApplications(await conanAnalyzer.analyze(memoryFiles(files), imageContext), c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}conan_test.expected.json`, 'Test_conanLockAnalyzer_Required')) {
    assert.equal(conanAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
  for (const c of goldenCases(ECO, `${ANALYZER}conan_test.expected.json`, 'Test_detectAttribute')) {
    assert.equal(conanAttribute(c.attrName, c.line), c.want, c.name);
  }
});
