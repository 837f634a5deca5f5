import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePackageResolved, swiftAnalyzer } from '../../../../src/analyzer/lang/swift/index.ts';
import {
  assertSameApplications,
  comparablePackages,
  eachGolden,
  goldenCases,
  imageContext,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'swift';
const PARSER = 'pkg/dependency/parser/swift/swift/';
const ANALYZER = 'pkg/fanal/analyzer/language/swift/swift/';

test('Trivy Package.resolved parser golden cases (v1, v2)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParser_Parse'), {}, (c) => {
    const got = parsePackageResolved(readFixture(ECO, `${PARSER}${c.inputFile}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
  });
});

test('Trivy swift analyzer golden cases', async (t) => {
  await eachGolden(
    t,
    goldenCases(ECO, `${ANALYZER}swift_test.expected.json`, 'Test_swiftLockAnalyzer_Analyze'),
    {},
    async (c) => {
      const path = c.inputFile as string;
      const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}${path}`))]]));
      const result = await swiftAnalyzer.analyze(files, imageContext);
      assertSameApplications(result, c.want);
      const purls = result.Applications?.[0]?.Packages.map((pkg) => pkg.Identifier?.PURL) ?? [];
      if (purls.length > 0) assert.ok(purls.includes('pkg:swift/github.com/Quick/Nimble@9.2.1'));
    },
  );
  assert.ok(swiftAnalyzer.required('ios/Package.resolved', { size: 1, mode: 0o644 }));
  assert.deepEqual(swiftAnalyzer.scanKinds, ['fs']);
});
