import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dotnetDepsAnalyzer,
  nugetAnalyzer,
  packagesPropsAnalyzer,
  parseDepsJson,
  parseNugetLock,
  parsePackagesConfig,
  parsePackagesProps,
} from '../../../../src/analyzer/lang/dotnet/index.ts';
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

const ECO = 'dotnet';
const PARSER = 'pkg/dependency/parser/';
const ANALYZER = 'pkg/fanal/analyzer/language/dotnet/';
const info = { size: 1, mode: 0o644 };

test('Trivy .NET deps.json parser golden cases (root, workspaces, runtime packs, skipped libraries)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}dotnet/core_deps/parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}dotnet/core_deps/${c.file}`);
    if (c.wantErr) {
      assert.throws(() => parseDepsJson(text), /failed to decode \.deps\.json file/);
      return;
    }
    const got = parseDepsJson(text);
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
    if (c.wantDeps !== null)
      assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy packages.lock.json parser golden cases (frameworks merged, direct/transitive)', async (t) => {
  for (const c of goldenCases(ECO, `${PARSER}nuget/lock/parse_test.expected.json`, 'TestParse')) {
    await t.test(c.file, () => {
      const got = parseNugetLock(readFixture(ECO, `${PARSER}nuget/lock/${c.file}`));
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
      // Two tables refer to Go variables the converter left unresolved (`$nuGetSimpleDeps`…).
      if (Array.isArray(c.wantDeps)) {
        assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
      }
    });
  }
});

test('Trivy packages.config parser golden cases', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}nuget/config/parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}nuget/config/${c.inputFile}`);
    if (c.wantErr) {
      // Go names the line where input ran out (5); the XML reader here names the unclosed tag's line.
      assert.throws(() => parsePackagesConfig(text), /failed to decode \.config file: XML syntax error on line \d+/);
      return;
    }
    assert.deepEqual(comparablePackages(parsePackagesConfig(text).packages), comparablePackages(c.want));
  });
});

test('Trivy packages.props parser golden cases', async (t) => {
  const cases = goldenCases(ECO, `${PARSER}nuget/packagesprops/parse_test.expected.json`, 'TestParse');
  await eachGolden(t, cases, {}, (c) => {
    const text = readFixture(ECO, `${PARSER}nuget/packagesprops/${c.inputFile}`);
    if (c.wantErr) {
      assert.throws(() => parsePackagesProps(text), /failed to decode '\*\.packages\.props' file/);
      return;
    }
    const want = Array.isArray(c.want) ? c.want : [];
    assert.deepEqual(comparablePackages(parsePackagesProps(text).packages), comparablePackages(want));
  });
});

test('Trivy deps.json analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}deps/deps_test.expected.json`, 'Test_depsLibraryAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const path = c.inputFile as string;
    const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}deps/${path}`))]]));
    const result = await dotnetDepsAnalyzer.analyze(files, imageContext);
    assertSameApplications(result, c.want);
    if (c.wantErr) assert.equal(result.Warnings?.length, 1);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}deps/deps_test.expected.json`, 'Test_depsLibraryAnalyzer_Required')) {
    assert.equal(dotnetDepsAnalyzer.required(c.filePath, info), c.want, c.name);
  }
});

test('Trivy NuGet analyzer golden cases (licences from a global packages folder in the scanned tree)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}nuget/nuget_test.expected.json`, 'Test_nugetLibraryAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const files = collectFiles(nugetAnalyzer, fixture(ECO, `${ANALYZER}nuget/${c.dir}`));
    // Trivy reads the folder named by HOME or NUGET_PACKAGES on the scanning machine; here the
    // same folder is part of the scanned tree (under home/) when the case points at it.
    const env = c.env as Record<string, string>;
    if (env.HOME === 'testdata/repository' || env.NUGET_PACKAGES) {
      const home = collectFiles(nugetAnalyzer, fixture(ECO, `${ANALYZER}nuget/testdata/repository`), 'home/');
      for (const [path, body] of home) files.set(path, body);
    }
    assertSameApplications(await nugetAnalyzer.analyze(memoryFiles(files), imageContext), c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}nuget/nuget_test.expected.json`, 'Test_nugetLibraryAnalyzer_Required')) {
    assert.equal(nugetAnalyzer.required(c.filePath, info), c.want, c.name);
  }
});

test('Trivy packages.props analyzer golden cases', async (t) => {
  const cases = goldenCases(
    ECO,
    `${ANALYZER}packagesprops/packagesprops_test.expected.json`,
    'Test_packagesPropsAnalyzer_Analyze',
  );
  await eachGolden(t, cases, {}, async (c) => {
    const path = c.inputFile as string;
    const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}packagesprops/${path}`))]]));
    const result = await packagesPropsAnalyzer.analyze(files, imageContext);
    assertSameApplications(result, c.want);
    if (c.wantErr) assert.equal(result.Warnings?.length, 1);
  });
  const required = goldenCases(
    ECO,
    `${ANALYZER}packagesprops/packagesprops_test.expected.json`,
    'Test_packagesPropsAnalyzer_Required',
  );
  for (const c of required) assert.equal(packagesPropsAnalyzer.required(c.filePath, info), c.want, c.name);
});
