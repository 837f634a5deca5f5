import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createGoModAnalyzer, defaultGoModCacheDir } from '../../../../src/analyzer/lang/golang/gomod-analyzer.ts';
import { minimumToolchainVersion, parseGoMod, parseGoSum } from '../../../../src/analyzer/lang/golang/gomod-parser.ts';
import { escapeModulePath } from '../../../../src/analyzer/lang/golang/module-sources.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { parseTxtar } from '../../pkg/txtar.ts';
import {
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  fsContext,
  goldenCases,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';
import { ANALYZER, ECO, PARSER } from './go-fixtures.ts';

test('Trivy go.mod parser golden cases (replace, indirect, Go 1.16, stdlib from the toolchain)', async (t) => {
  const cases = goldenCases(ECO, `${PARSER}mod/parse_test.expected.json`, 'TestParse');
  assert.equal(cases.length, 11);
  for (const c of cases) {
    await t.test(c.name, () => {
      const text = readFixture(ECO, `${PARSER}mod/${c.file}`);
      const got = parseGoMod(text, { replace: c.replace, stdlib: c.useMinVersion === true });
      // "normal" deletes stdlib from the "normal with stdlib" list (a Go func literal upstream).
      const want = Array.isArray(c.wantPkgs)
        ? c.wantPkgs
        : (c.wantPkgs.args[0].args[0] as { Name: string }[]).filter((pkg) => pkg.Name !== 'stdlib');
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(want));
      assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
    });
  }
  for (const c of goldenCases(ECO, `${PARSER}mod/parse_test.expected.json`, 'TestToolchainVersion')) {
    assert.equal(minimumToolchainVersion(c.modFile.Toolchain?.Name, c.modFile.Go?.Version), c.want, c.name);
  }
});

test('Trivy go.sum parser golden cases', () => {
  const cases = goldenCases(ECO, `${PARSER}sum/parse_test.expected.json`, 'TestParse');
  assert.equal(cases.length, 4);
  for (const c of cases) {
    const got = parseGoSum(readFixture(ECO, `${PARSER}sum/${c.file}`)).map(({ Name, Version }) => ({ Name, Version }));
    const sorted = (list: { Name: string }[]) => [...list].sort((a, b) => (a.Name < b.Name ? -1 : 1));
    assert.deepEqual(sorted(got), sorted(c.want), c.file);
  }
});

/** The module cache of gopath.txtar written to disk: `<dir>/pkg/mod/...`. */
function extractGopath(): string {
  const dir = tempDir('vigil-gopath-');
  for (const [path, body] of Object.entries(parseTxtar(readFixture(ECO, `${ANALYZER}mod/testdata/gopath.txtar`)))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return join(dir, 'pkg', 'mod');
}

/** Trivy's Type constant as Vigil's string; an empty Go slice (`{}` after conversion) as a list. */
const goModApplications = (want: { Applications?: { Packages: { DependsOn?: unknown }[] }[] } | undefined) =>
  want?.Applications
    ? {
        Applications: want.Applications.map((app) => ({
          ...app,
          Type: 'gomod',
          Packages: app.Packages.map((pkg) => (Array.isArray(pkg.DependsOn) ? pkg : { ...pkg, DependsOn: [] })),
        })),
      }
    : undefined;

test('Trivy gomod analyzer golden cases (module cache, vendor licences, go.sum merge, orphans)', async (t) => {
  const moduleCache = extractGopath();
  const cases = goldenCases(ECO, `${ANALYZER}mod/mod_test.expected.json`, 'Test_gomodAnalyzer_Analyze');
  assert.equal(cases.length, 7);
  for (const c of cases) {
    await t.test(c.name, async () => {
      const analyzer = createGoModAnalyzer({ moduleCacheDir: c.gopath ? moduleCache : undefined });
      const files = new Map<string, Buffer>();
      for (const [path, body] of Object.entries(parseTxtar(readFixture(ECO, `${ANALYZER}mod/${c.txtar}`)))) {
        if (analyzer.required(path, { size: body.length, mode: 0o644 })) files.set(path, Buffer.from(body));
      }
      const result = await analyzer.analyze(memoryFiles(files), fsContext);
      assertSameApplications(result, goModApplications(c.want));
      if (c.name === 'sad go.mod')
        assert.match(result.Warnings?.[0] ?? '', /^go\.mod: skipped, unable to parse: .*unknown directive: invalid/);
      if (c.name === 'wrong go.mod from `pkg`') assert.match(result.Warnings?.[0] ?? '', /unable to collect licences/);
    });
  }
  const analyzer = createGoModAnalyzer();
  for (const c of goldenCases(ECO, `${ANALYZER}mod/mod_test.expected.json`, 'Test_gomodAnalyzer_Required')) {
    assert.equal(analyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
  assert.equal(analyzer.required('app/vendor/github.com/x/y/LICENSE.md', { size: 1, mode: 0o644 }), true);
  assert.equal(analyzer.required('app/docs/LICENSE', { size: 1, mode: 0o644 }), false);
});

test('go.mod syntax: blocks, quoted paths, comments, exclude, and errors', () => {
  const parsed = parseGoMod(
    [
      'module "example.com/m" // the module',
      'go 1.22',
      'toolchain go1.22.4',
      'require (',
      '\texample.com/a v1.0.0',
      '\t"example.com/b" v1.2.0 // indirect',
      '\texample.com/c v0.1.0 // indirect; needed by b',
      ')',
      'exclude example.com/a v0.9.0',
      'replace example.com/c v0.1.0 => example.com/c2 v0.2.0',
      'retract [v0.0.1, v0.0.2]',
      '',
    ].join('\n'),
    { replace: true, stdlib: true },
  );
  assert.deepEqual(
    parsed.packages.map((pkg) => [pkg.ID, pkg.Relationship]),
    [
      ['example.com/m', 'root'],
      ['example.com/a@v1.0.0', 'direct'],
      ['example.com/b@v1.2.0', 'indirect'],
      ['example.com/c2@v0.2.0', 'indirect'],
      ['stdlib@v1.22.4', 'direct'],
    ],
  );
  assert.deepEqual(parsed.dependencies, [
    { ID: 'example.com/m', DependsOn: ['example.com/a@v1.0.0', 'stdlib@v1.22.4'] },
  ]);
  assert.throws(() => parseGoMod('module x\nrequire (\n a v1.0.0\n', { replace: true }), /unterminated require block/);
  assert.throws(() => parseGoMod('module x\nrequire a 1.0.0\n', { replace: true }), /invalid module version/);
  assert.throws(() => parseGoMod('module x\nreplace a => b\n', { replace: true }), /must be directory path/);
  assert.equal(escapeModulePath('github.com/BurntSushi/toml'), 'github.com/!burnt!sushi/toml');
  assert.equal(defaultGoModCacheDir({}, '/home/u'), '/home/u/go/pkg/mod');
  assert.equal(defaultGoModCacheDir({ GOPATH: '/opt/go' }, '/home/u'), '/opt/go/pkg/mod');
});
