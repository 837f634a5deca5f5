import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  decodeRequirements,
  normalizePythonName,
  parsePackageMetadata,
  parsePipfileLock,
  parsePoetryLock,
  parsePylock,
  parsePyProject,
  parseRequirements,
  parseUvLock,
} from '../../../../src/analyzer/lang/python/index.ts';
import { mainDependencies } from '../../../../src/analyzer/lang/python/pyproject.ts';
import {
  comparableDependencies,
  comparablePackages,
  eachGolden,
  fixture,
  type GoldenCase,
  goldenCases,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'python';
const PARSER = 'pkg/dependency/parser/python/';

test('Trivy pip parser golden cases (requirements.txt)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}pip/parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = decodeRequirements(readFileSync(fixture(ECO, `${PARSER}pip/${c.filePath}`)));
    const got = parseRequirements(text, { useMinVersion: c.useMinVersion === true });
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
  });
});

test('Trivy pipenv parser golden cases (Pipfile.lock)', async (t) => {
  const cases = goldenCases(ECO, `${PARSER}pipenv/parse_test.expected.json`, 'TestParse');
  for (const c of cases) {
    await t.test(c.file, () => {
      const got = parsePipfileLock(readFixture(ECO, `${PARSER}pipenv/${c.file}`));
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
    });
  }
});

test('Trivy poetry parser golden cases (poetry.lock v1 and v2)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}poetry/parse_test.expected.json`, 'TestParser_Parse'), {}, (c) => {
    const got = parsePoetryLock(readFixture(ECO, `${PARSER}poetry/${c.file}`));
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy uv parser golden cases (uv.lock)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}uv/parse_test.expected.json`, 'TestParser_Parse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}uv/${c.file}`);
    if (c.wantErr) {
      assert.throws(() => parseUvLock(text), new RegExp(c.wantErr));
      return;
    }
    const got = parseUvLock(text);
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy pylock parser golden cases (pylock.toml)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}pylock/parse_test.expected.json`, 'TestParser_Parse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}pylock/${c.file}`);
    if (c.wantErr === '$assert.Error') {
      assert.throws(() => parsePylock(text));
      return;
    }
    const got = parsePylock(text);
    assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy packaging parser golden cases (METADATA, PKG-INFO)', async (t) => {
  await eachGolden(t, goldenCases(ECO, `${PARSER}packaging/parse_test.expected.json`, 'TestParse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}packaging/${c.input}`);
    if (c.wantErr) {
      assert.throws(() => parsePackageMetadata(text), /name or version is empty/);
      return;
    }
    assert.deepEqual(comparablePackages([parsePackageMetadata(text)]), comparablePackages(c.want));
  });
});

/** `{"$call": "set.New", "args": [...]}` from the Go table. */
const goSet = (value: { args?: string[] } | undefined) => new Set(value?.args ?? []);

test('Trivy pyproject parser golden cases (Poetry 1 and 2, PEP 621, optional dependencies)', async (t) => {
  const expected = `${PARSER}pyproject/pyproject_test.expected.json`;
  await eachGolden(t, goldenCases(ECO, expected, 'TestParser_Parse'), {}, (c) => {
    const text = readFixture(ECO, `${PARSER}pyproject/${c.file}`);
    if (c.wantErr === '$assert.Error') {
      assert.throws(() => parsePyProject(text));
      return;
    }
    const got = parsePyProject(text);
    const poetry = c.want.Tool?.Poetry;
    assert.deepEqual(got.poetryDependencies ?? new Set(), goSet(poetry?.Dependencies?.Set));
    const groups = Object.entries(poetry?.Groups ?? {}).map(([name, g]) => [
      name,
      goSet((g as GoldenCase).Dependencies?.Set),
    ]);
    assert.deepEqual(got.poetryGroups, new Map(groups as [string, Set<string>][]));
    assert.deepEqual(got.projectDependencies ?? new Set(), goSet(c.want.Project?.Dependencies?.Set));
    const extras = Object.entries(c.want.Project?.OptionalDependencies ?? {}).map(([k, v]) => [
      k,
      goSet((v as GoldenCase).Set),
    ]);
    assert.deepEqual(got.optionalDependencies ?? new Map(), new Map(extras as [string, Set<string>][]));
  });
  for (const c of goldenCases(ECO, expected, 'TestPyProject_MainDeps')) {
    assert.deepEqual(mainDependencies(parsePyProject(readFixture(ECO, `${PARSER}pyproject/${c.file}`))), goSet(c.want));
  }
});

test('Trivy Python name normalisation vectors', () => {
  for (const c of goldenCases(ECO, `${PARSER}python_test.expected.json`, 'Test_NormalizePkgName')) {
    assert.equal(normalizePythonName(c.pkgName, c.lowerCase), c.expected, c.pkgName);
  }
});
