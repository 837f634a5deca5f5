import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLicenses } from '../../../../src/analyzer/lang/license-text.ts';
import {
  bundlerAnalyzer,
  gemspecAnalyzer,
  parseGemfileLock,
  parseGemspec,
} from '../../../../src/analyzer/lang/ruby/index.ts';
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

const ECO = 'ruby';
const PARSER = 'pkg/dependency/parser/ruby/';
const ANALYZER = 'pkg/fanal/analyzer/language/ruby/gemspec/';
const info = { size: 1, mode: 0o644 };

test('Trivy bundler parser golden cases (Gemfile.lock)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}bundler/parse_test.expected.json`, 'TestParser_Parse'), {}, (c) => {
    const got = parseGemfileLock(readFixture(ECO, `${PARSER}bundler/${c.file}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(Array.isArray(c.wantPkgs) ? c.wantPkgs : []));
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy gemspec parser golden cases', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}gemspec/parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}gemspec/${c.inputFile}`);
    if (c.wantErr) {
      assert.throws(() => parseGemspec(text), new RegExp(c.wantErr));
      return;
    }
    assert.deepEqual(comparablePackages([parseGemspec(text)]), comparablePackages(c.want));
  });
});

test('Trivy gemspec analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}gemspec_test.expected.json`, 'Test_gemspecLibraryAnalyzer_Analyze');
  const exceptions = { 'happy path with checksum': 'Trivy adds a file digest only for SBOM output; Vigil does not' };
  await eachGolden(t, cases, exceptions, async (c) => {
    const path = c.inputFile as string;
    const files = memoryFiles(new Map([[path, Buffer.from(readFixture(ECO, `${ANALYZER}${path}`))]]));
    const result = await gemspecAnalyzer.analyze(files, imageContext);
    assertSameApplications(result, c.want);
    if (c.wantErr) assert.match(result.Warnings?.[0] ?? '', /failed to parse/);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}gemspec_test.expected.json`, 'Test_gemspecLibraryAnalyzer_Required')) {
    assert.equal(gemspecAnalyzer.required(c.filePath, info), c.want, c.name);
  }
});

test('bundler analyzer: Gemfile.lock in fs scans with gem PURLs and direct/indirect', async () => {
  const body = Buffer.from(readFixture(ECO, `${PARSER}bundler/testdata/Gemfile_normal.lock`));
  const result = await bundlerAnalyzer.analyze(memoryFiles(new Map([['Gemfile.lock', body]])), imageContext);
  const pry = result.Applications?.[0]?.Packages.find((pkg) => pkg.Name === 'pry');
  assert.deepEqual(pry?.DependsOn, ['coderay@1.1.2', 'method_source@0.9.2']);
  assert.equal(pry?.Identifier?.PURL, 'pkg:gem/pry@0.12.2');
  assert.deepEqual(bundlerAnalyzer.scanKinds, ['fs']);
  assert.ok(bundlerAnalyzer.required('app/Gemfile.lock', info) && !bundlerAnalyzer.required('app/Gemfile', info));
});

test('licence lists split as Trivy splits them', () => {
  assert.deepEqual(splitLicenses('Ruby, BSDL, PSFL'), ['Ruby', 'BSDL', 'PSFL']);
  assert.deepEqual(splitLicenses('GPL-2.0 or MIT'), ['GPL-2.0', 'MIT']);
  assert.deepEqual(splitLicenses('Apache License, Version 2.0'), ['Apache License, Version 2.0']);
  assert.deepEqual(splitLicenses(''), []);
});
