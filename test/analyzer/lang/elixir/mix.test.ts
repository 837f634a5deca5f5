import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mixAnalyzer, parseMixLock } from '../../../../src/analyzer/lang/elixir/index.ts';
import {
  assertSameApplications,
  comparablePackages,
  eachGolden,
  goldenCases,
  imageContext,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'elixir';
const PARSER = 'pkg/dependency/parser/hex/mix/';
const ANALYZER = 'pkg/fanal/analyzer/language/elixir/mix/';

test('Trivy mix.lock parser golden cases (git dependencies skipped)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParser_Parse'), {}, (c) => {
    const got = parseMixLock(readFixture(ECO, `${PARSER}${c.inputFile}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
  });
});

test('Trivy mix analyzer golden cases (hex packages)', async (t) => {
  await eachGolden(
    t,
    goldenCases(ECO, `${ANALYZER}mix_test.expected.json`, 'Test_mixLockAnalyzer_Analyze'),
    {},
    async (c) => {
      const path = c.inputFile as string;
      const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}${path}`))]]));
      const result = await mixAnalyzer.analyze(files, imageContext);
      assertSameApplications(result, c.want);
      if (c.want) assert.equal(result.Applications?.[0]?.Packages[0]?.Identifier?.PURL, 'pkg:hex/bunt@0.2.0');
    },
  );
  for (const c of goldenCases(ECO, `${ANALYZER}mix_test.expected.json`, 'Test_mixLockAnalyzer_Required')) {
    assert.equal(mixAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});
