import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cocoapodsAnalyzer, parsePodfileLock } from '../../../../src/analyzer/lang/cocoapods/index.ts';
import {
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  goldenCases,
  imageContext,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'cocoapods';
const PARSER = 'pkg/dependency/parser/swift/cocoapods/';
const ANALYZER = 'pkg/fanal/analyzer/language/swift/cocoapods/';

test('Trivy Podfile.lock parser golden cases (subspecs, wrong formats)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const got = parsePodfileLock(readFixture(ECO, `${PARSER}${c.inputFile}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy cocoapods analyzer golden cases (subspec PURLs)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}cocoapods_test.expected.json`, 'Test_cocoaPodsLockAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const path = c.inputFile as string;
    const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}${path}`))]]));
    const result = await cocoapodsAnalyzer.analyze(files, imageContext);
    assertSameApplications(result, c.want);
    const core = result.Applications?.[0]?.Packages.find((pkg) => pkg.Name === 'AppCenter/Core');
    if (core) assert.equal(core.Identifier?.PURL, 'pkg:cocoapods/AppCenter@4.2.0#Core');
  });
});
