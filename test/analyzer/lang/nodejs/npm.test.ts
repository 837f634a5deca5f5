import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLicenseText } from '../../../../src/analyzer/lang/license-text.ts';
import { installedLicenses, licenseFileReference } from '../../../../src/analyzer/lang/nodejs/installed-licenses.ts';
import { npmAnalyzer } from '../../../../src/analyzer/lang/nodejs/lock-file-analyzers.ts';
import { isPackageRoot, nodePkgAnalyzer } from '../../../../src/analyzer/lang/nodejs/node-pkg-analyzer.ts';
import { isValidPackageName } from '../../../../src/analyzer/lang/nodejs/package-json.ts';
import { packageNameFromPath, parsePackageLock } from '../../../../src/analyzer/lang/nodejs/package-lock.ts';
import {
  analyzeDirectory,
  assertSameApplications,
  collectFiles,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  fixture,
  fsContext,
  goldenCases,
  imageContext,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'nodejs';
const PARSER = 'pkg/dependency/parser/nodejs/';
const ANALYZER = 'pkg/fanal/analyzer/language/nodejs/';

test('Trivy npm parser golden cases (package-lock v1, v2, v3, workspaces, links, licences)', async (t) => {
  const cases = goldenCases(ECO, `${PARSER}npm/parse_test.expected.json`, 'TestParse');
  assert.equal(cases.length, 10);
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = parsePackageLock(readFixture(ECO, `${PARSER}npm/${c.file}`));
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
      if (c.wantDeps !== null)
        assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
    });
  }
  for (const c of goldenCases(ECO, `${PARSER}npm/parse_test.expected.json`, 'TestPkgNameFromPath')) {
    assert.equal(packageNameFromPath(c.path), c.expected, c.path);
  }
});

test('Trivy packagejson name rules', () => {
  for (const c of goldenCases(ECO, `${PARSER}packagejson/parse_test.expected.json`, 'TestIsValidName')) {
    assert.equal(isValidPackageName(c.name), c.want, c.name);
  }
});

test('Trivy npm analyzer golden cases (licences from node_modules)', async (t) => {
  for (const c of goldenCases(ECO, `${ANALYZER}npm/npm_test.expected.json`, 'Test_npmLibraryAnalyzer_Analyze')) {
    await t.test(c.name, async () => {
      const result = await analyzeDirectory(npmAnalyzer, fixture(ECO, `${ANALYZER}npm/${c.dir}`));
      assertSameApplications(result, c.want);
      if (c.name === 'sad path')
        assert.match(result.Warnings?.[0] ?? '', /package-lock\.json: skipped, unable to parse/);
    });
  }
  for (const c of goldenCases(ECO, `${ANALYZER}npm/npm_test.expected.json`, 'Test_nodePkgLibraryAnalyzer_Required')) {
    assert.equal(npmAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});

test('npm analyzer: dev packages only with --include-dev-deps; PURLs on every package', async () => {
  const dir = fixture(ECO, `${ANALYZER}npm/testdata/happy`);
  const without = await analyzeDirectory(npmAnalyzer, dir, { scanKind: 'fs', includeDevDeps: false });
  const names = without.Applications?.[0]?.Packages.map((pkg) => pkg.ID) ?? [];
  assert.ok(!names.includes('ansi-colors@3.2.3'));
  assert.equal(names.length, 7);
  const withDev = await analyzeDirectory(npmAnalyzer, dir, fsContext);
  const parser = withDev.Applications?.[0]?.Packages.find((pkg) => pkg.Name === '@babel/parser');
  assert.equal(parser?.Identifier?.PURL, 'pkg:npm/%40babel/parser@7.23.6');
});

test('Trivy node license traversal golden case (SEE LICENSE IN, LicenseRef-, default LICENSE)', async () => {
  const [c] = goldenCases(ECO, `${ANALYZER}license/license_test.expected.json`, 'Test_ParseLicenses');
  const files = collectFiles(npmAnalyzer, fixture(ECO, `${ANALYZER}license/testdata/happy`));
  const got = await installedLicenses(memoryFiles(files), '');
  assert.deepEqual(Object.fromEntries([...got].sort()), c?.want);
  for (const r of goldenCases(ECO, `${ANALYZER}license/license_test.expected.json`, 'Test_IsLicenseRefToFile')) {
    assert.equal(licenseFileReference(r.input ?? []), r.wantOk ? r.wantFileName : undefined, r.name);
  }
});

test('licence texts: common licences recognised, unknown text gives none', () => {
  const mit = readFixture(ECO, `${ANALYZER}license/testdata/happy/node_modules/package-license-ref/LICENSE.txt`);
  assert.deepEqual(classifyLicenseText(mit), ['MIT']);
  assert.deepEqual(classifyLicenseText('All rights reserved. Do not copy.'), []);
});

test('Trivy node-pkg analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}pkg/pkg_test.expected.json`, 'Test_nodePkgLibraryAnalyzer_Analyze');
  const exceptions = { 'happy path with checksum': 'Trivy adds file digests only for SBOM output; Vigil does not' };
  await eachGolden(t, cases, exceptions, async (c) => {
    const path = c.inputFile as string;
    const body = Buffer.from(readFixture(ECO, `${ANALYZER}pkg/${path}`));
    const result = await nodePkgAnalyzer.analyze(memoryFiles(new Map([[path, body]])), imageContext);
    assertSameApplications(result, c.want);
    if (c.wantErr) assert.match(result.Warnings?.[0] ?? '', /JSON decode error/);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}pkg/pkg_test.expected.json`, 'Test_nodePkgLibraryAnalyzer_Required')) {
    assert.equal(nodePkgAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
  for (const c of goldenCases(ECO, `${ANALYZER}pkg/pkg_test.expected.json`, 'TestIsPackageRoot')) {
    assert.equal(isPackageRoot(c.path), c.want, c.name);
  }
});

test('installed trees: unreadable manifests give one warning that counts them and names the first', async () => {
  const files = memoryFiles(
    new Map([
      ['node_modules/a/package.json', Buffer.from('{"name": "a", "version": "1.0.0"}')],
      ['node_modules/b/package.json', Buffer.from('{"name": ')],
      ['node_modules/c/package.json', Buffer.from('[not json')],
    ]),
  );
  const result = await nodePkgAnalyzer.analyze(files, imageContext);
  assert.deepEqual(
    result.Applications?.map((app) => app.FilePath),
    ['node_modules/a/package.json'],
  );
  assert.equal(result.Warnings?.length, 1);
  assert.match(
    result.Warnings?.[0] ?? '',
    /^2 package\.json file\(s\) could not be read; first: node_modules\/b\/package\.json: skipped, unable to parse: /,
  );
});
