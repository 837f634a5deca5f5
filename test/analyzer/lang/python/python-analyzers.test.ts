import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  isPylockFile,
  pipAnalyzer,
  pipenvAnalyzer,
  poetryAnalyzer,
  pylockAnalyzer,
  pythonEggAnalyzer,
  pythonPackageAnalyzer,
  uvAnalyzer,
} from '../../../../src/analyzer/lang/python/index.ts';
import type { AnalysisResult } from '../../../../src/analyzer/types.ts';
import {
  analyzeDirectory,
  assertSameApplications,
  eachGolden,
  fixture,
  goldenCases,
  imageContext,
  memoryFiles,
} from '../trivy-goldens.ts';

const ECO = 'python';
const ANALYZER = 'pkg/fanal/analyzer/language/python/';
const info = { size: 1, mode: 0o644 };

test('Trivy pip analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}pip/pip_test.expected.json`, 'Test_pipAnalyzer_Analyze');
  const hostPython = "licences come from the scanning machine's Python (PATH, VIRTUAL_ENV), which Vigil does not read";
  const exceptions = {
    'happy path with licenses from venv': hostPython,
    'happy path with licenses from python dir': hostPython,
    'happy path with licenses from common dir': hostPython,
  };
  await eachGolden(t, cases, exceptions, async (c) => {
    assertSameApplications(await analyzeDirectory(pipAnalyzer, fixture(ECO, `${ANALYZER}pip/${c.dir}`)), c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}pip/pip_test.expected.json`, 'Test_pipAnalyzer_Required')) {
    assert.equal(pipAnalyzer.required(c.filePath, info), c.want, c.name);
  }
});

test('Trivy poetry analyzer golden cases (pyproject.toml groups, Poetry 2, dev)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}poetry/poetry_test.expected.json`, 'Test_poetryLibraryAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const result = await analyzeDirectory(poetryAnalyzer, fixture(ECO, `${ANALYZER}poetry/${c.dir}`));
    assertSameApplications(result, c.want);
    if (c.name === 'broken poetry.lock') assert.equal(result.Warnings?.length, 1);
  });
});

test('Trivy uv analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}uv/uv_test.expected.json`, 'Test_uvAnalyzer_PostAnalyze');
  await eachGolden(t, cases, {}, async (c) => {
    assertSameApplications(await analyzeDirectory(uvAnalyzer, fixture(ECO, `${ANALYZER}uv/${c.dir}`)), c.want);
  });
});

/** Trivy's pylock analyzer leaves the deprecated Indirect flag unset; Vigil sets it for every indirect package. */
function withoutIndirect(result: AnalysisResult): AnalysisResult {
  for (const app of result.Applications ?? []) {
    for (const pkg of app.Packages) {
      assert.equal(pkg.Indirect === true, pkg.Relationship === 'indirect');
      delete pkg.Indirect;
    }
  }
  return result;
}

test('Trivy pylock analyzer golden cases (root and direct from pyproject.toml)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}pylock/pylock_test.expected.json`, 'Test_pylockAnalyzer_Analyze');
  await eachGolden(t, cases, {}, async (c) => {
    const result = await analyzeDirectory(pylockAnalyzer, fixture(ECO, `${ANALYZER}pylock/${c.dir}`));
    assertSameApplications(withoutIndirect(result), c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}pylock/pylock_test.expected.json`, 'Test_pylockAnalyzer_Required')) {
    assert.equal(pylockAnalyzer.required(c.filePath, info), c.want, c.name);
    if (c.filePath !== 'pyproject.toml') assert.equal(isPylockFile(c.filePath), c.want, c.name);
  }
});

test('Trivy packaging analyzer golden cases (dist-info, egg-info, licence classifiers)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}packaging/packaging_test.expected.json`, 'Test_packagingAnalyzer_Analyze');
  const exceptions = {
    'egg-info': 'Trivy adds a file digest only for SBOM output (includeChecksum); Vigil does not',
    'license file in dist.info':
      "the CNRI/PSF Python licence text needs Trivy's full licence classifier; Vigil recognises common licences only",
  };
  await eachGolden(t, cases, exceptions, async (c) => {
    const dir = fixture(ECO, `${ANALYZER}packaging/${c.dir}`);
    assertSameApplications(await analyzeDirectory(pythonPackageAnalyzer, dir, imageContext), c.want);
  });
  for (const c of goldenCases(
    ECO,
    `${ANALYZER}packaging/packaging_test.expected.json`,
    'Test_packagingAnalyzer_Required',
  )) {
    assert.equal(pythonPackageAnalyzer.required(c.filePath, info), c.want, c.name);
  }
});

test('Trivy egg analyzer golden cases (zipped eggs, licence file inside the egg)', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}packaging/egg_test.expected.json`, 'Test_eggAnalyzer_Analyze');
  const exceptions = { 'egg zip with checksum': 'Trivy adds a file digest only for SBOM output; Vigil does not' };
  await eachGolden(t, cases, exceptions, async (c) => {
    const path = c.inputFile as string;
    const files = memoryFiles(new Map([[path, readFileSync(fixture(ECO, `${ANALYZER}packaging/${path}`))]]));
    assertSameApplications(await pythonEggAnalyzer.analyze(files, imageContext), c.want);
  });
  for (const c of goldenCases(ECO, `${ANALYZER}packaging/egg_test.expected.json`, 'Test_eggAnalyzer_Required')) {
    assert.equal(pythonEggAnalyzer.required(c.filePath, info), c.want, c.name);
  }
});

test('pipenv analyzer: Pipfile.lock in fs scans, PURLs normalised the PyPI way', async () => {
  const body = readFileSync(fixture(ECO, 'pkg/dependency/parser/python/pipenv/testdata/Pipfile_normal.lock'));
  const result = await pipenvAnalyzer.analyze(memoryFiles(new Map([['app/Pipfile.lock', body]])), imageContext);
  const app = result.Applications?.[0];
  assert.equal(app?.Type, 'pipenv');
  assert.equal(app?.FilePath, 'app/Pipfile.lock');
  assert.deepEqual(app?.Packages.map((pkg) => pkg.Identifier?.PURL).sort(), [
    'pkg:pypi/certifi@2019.3.9',
    'pkg:pypi/chardet@3.0.4',
    'pkg:pypi/idna@2.8',
    'pkg:pypi/pyyaml@5.1',
    'pkg:pypi/requests@2.21.0',
    'pkg:pypi/urllib3@1.24.2',
  ]);
  assert.deepEqual(pipenvAnalyzer.scanKinds, ['fs']);
  assert.ok(pipenvAnalyzer.required('a/Pipfile.lock', info) && !pipenvAnalyzer.required('a/Pipfile', info));
});
