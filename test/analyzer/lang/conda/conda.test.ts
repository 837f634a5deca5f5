import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  condaEnvironmentAnalyzer,
  condaPackageAnalyzer,
  parseCondaEnvironment,
  parseCondaMeta,
} from '../../../../src/analyzer/lang/conda/index.ts';
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

const ECO = 'conda';
const PARSER = 'pkg/dependency/parser/conda/';
const ANALYZER = 'pkg/fanal/analyzer/language/conda/';
const info = { size: 1, mode: 0o644 };

test('Trivy conda environment parser golden cases (specs, pip list, type errors with lines)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}environment/parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}environment/${c.input}`);
    if (c.wantErr) {
      // Go's YAML error for a scalar document differs in wording; the typed-value errors match Trivy's.
      const expected = c.wantErr.startsWith('cannot unmarshal') ? /unable to parse environment\.yaml/ : c.wantErr;
      assert.throws(
        () => parseCondaEnvironment(text),
        (error: Error) =>
          typeof expected === 'string' ? error.message.includes(expected) : expected.test(error.message),
      );
      return;
    }
    const got = parseCondaEnvironment(text);
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want.Packages));
    assert.equal(got.prefix, c.want.Prefix);
  });
});

test('Trivy conda-meta parser golden cases', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}meta/parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}meta/${c.input}`);
    if (c.wantErr) {
      // Go's JSON error wording ("invalid character…") differs from V8's after the common prefix.
      assert.throws(() => parseCondaMeta(text), new RegExp(c.wantErr.replace(': invalid character', '')));
      return;
    }
    assert.deepEqual(comparablePackages([parseCondaMeta(text)]), comparablePackages(c.want));
  });
});

test('Trivy conda environment analyzer golden cases (licences from conda-meta under the prefix)', async (t) => {
  const expected = `${ANALYZER}environment/environment_test.expected.json`;
  await eachGolden(t, goldenCases(ECO, expected, 'Test_environmentAnalyzer_Analyze'), {}, async (c) => {
    // The fixtures are named after their case (environment-with-licenses.yaml): take every file,
    // keep this case's environment file and the conda-meta records, and hand the former over
    // under the name the analyzer looks for.
    const files = new Map<string, Buffer>();
    const all = { ...condaEnvironmentAnalyzer, required: () => true };
    for (const [path, body] of collectFiles(all, fixture(ECO, `${ANALYZER}environment/testdata`), 'testdata/')) {
      if (path === c.inputFile || path.includes('/conda-meta/')) files.set(path, body);
    }
    const renamed = new Map(
      [...files].map(([path, body]) => [path === c.inputFile ? 'testdata/environment.yaml' : path, body]),
    );
    const result = await condaEnvironmentAnalyzer.analyze(memoryFiles(renamed), imageContext);
    for (const app of result.Applications ?? []) app.FilePath = c.inputFile;
    assertSameApplications(result, c.want);
    if (c.wantErr) assert.match(result.Warnings?.[0] ?? '', /unable to parse environment\.yaml/);
  });
  for (const c of goldenCases(ECO, expected, 'Test_environmentAnalyzer_Required')) {
    assert.equal(condaEnvironmentAnalyzer.required(c.filePath, info), c.want, c.name);
  }
});

test('Trivy conda-meta analyzer golden cases', async (t) => {
  const expected = `${ANALYZER}meta/meta_test.expected.json`;
  await eachGolden(t, goldenCases(ECO, expected, 'Test_packagingAnalyzer_Analyze'), {}, async (c) => {
    const path = c.inputFile as string;
    const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}meta/${path}`))]]));
    const result = await condaPackageAnalyzer.analyze(files, imageContext);
    assertSameApplications(result, c.want);
    if (c.wantErr) assert.match(result.Warnings?.[0] ?? '', /unable to parse conda package/);
  });
  for (const c of goldenCases(ECO, expected, 'Test_packagingAnalyzer_Required')) {
    assert.equal(condaPackageAnalyzer.required(c.filePath.replace(/^\//, ''), info), c.want, c.name);
  }
});
