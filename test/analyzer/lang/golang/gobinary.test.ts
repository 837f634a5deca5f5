import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openExecutable } from '../../../../src/analyzer/executable/index.ts';
import {
  chooseMainVersion,
  elfSymbolVersion,
  parseGoBinary,
  stdlibVersion,
} from '../../../../src/analyzer/lang/golang/binary-parser.ts';
import { readRawBuildInfo } from '../../../../src/analyzer/lang/golang/buildinfo.ts';
import { goBinaryAnalyzer } from '../../../../src/analyzer/lang/golang/gobinary-analyzer.ts';
import { versionFromLdflags } from '../../../../src/analyzer/lang/golang/ldflags.ts';
import { parseModInfo } from '../../../../src/analyzer/lang/golang/modinfo.ts';
import { isVigilError } from '../../../../src/errors/index.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import {
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  fixture,
  goldenCases,
  imageContext,
  memoryFiles,
} from '../trivy-goldens.ts';
import { ANALYZER, BINARY_SHA1, ECO, PARSER, readBinaryFixture } from './go-fixtures.ts';
import { buildGobin, goVersionM } from './gobin-build.ts';

const PARSE_EXPECTED = `${PARSER}binary/parse_test.expected.json`;

test('Trivy Go binary parser golden cases (ELF, PE, Mach-O, ldflags, GOEXPERIMENT)', async (t) => {
  const cases = goldenCases(ECO, PARSE_EXPECTED, 'TestParse');
  assert.equal(cases.length, 8);
  await eachGolden(
    t,
    cases,
    {
      'with replace directive': 'upstream replace.elf is over 4 MiB and not in the corpora; the gobin test covers `=>`',
    },
    (c) => {
      const data = readBinaryFixture(c.inputFile);
      if (c.wantErr) {
        assert.throws(() => parseGoBinary(data), { message: c.wantErr });
        return;
      }
      const got = parseGoBinary(data);
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.wantPkgs));
      assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
    },
  );
});

test('Trivy main-module version choice, ELF symbol versions and -ldflags parsing', () => {
  for (const c of goldenCases(ECO, PARSE_EXPECTED, 'TestParser_ChooseMainVersion')) {
    assert.equal(chooseMainVersion(c.version, c.ldflagsVersion ?? '', c.elfVersion ?? ''), c.want, c.name);
  }
  for (const c of goldenCases(ECO, PARSE_EXPECTED, 'TestParser_ELFSymbolVersion')) {
    const data = readBinaryFixture(c.inputFile);
    let got = '';
    try {
      got = elfSymbolVersion(openExecutable(data), c.moduleName);
    } catch {
      got = '';
    }
    assert.equal(got, c.want, c.name);
  }
  const ldflagCases = goldenCases(ECO, PARSE_EXPECTED, 'TestParser_ParseLDFlags');
  assert.equal(ldflagCases.length, 17);
  for (const c of ldflagCases) {
    const flags = Array.isArray(c.args.flags) ? c.args.flags : [];
    assert.equal(versionFromLdflags(c.args.name, flags), c.want, c.name);
  }
  for (const c of goldenCases(ECO, `${PARSER}binary/parse_internal_test.expected.json`, 'TestParseStdlibVersion')) {
    assert.equal(stdlibVersion(c.goVersion), c.want, c.name);
  }
});

const binaryApplications = (want: unknown) =>
  want
    ? {
        Applications: (want as { Applications: { Type: string }[] }).Applications.map((app) => ({
          ...app,
          Type: 'gobinary',
        })),
      }
    : undefined;

test('Trivy gobinary analyzer golden cases', async (t) => {
  const testdata = (name: string) => fixture(ECO, `${ANALYZER}binary/${name}`);
  for (const c of goldenCases(
    ECO,
    `${ANALYZER}binary/binary_test.expected.json`,
    'Test_gobinaryLibraryAnalyzer_Analyze',
  )) {
    await t.test(c.name, async () => {
      // executable_gobinary is byte-identical to the parser's test.elf (same SHA-1), stored once.
      const body = c.inputFile.endsWith('executable_gobinary')
        ? readBinaryFixture('test.elf')
        : readFileSync(testdata(c.inputFile));
      const result = await goBinaryAnalyzer.analyze(memoryFiles(new Map([[c.inputFile, body]])), imageContext);
      assertSameApplications(result, binaryApplications(c.want));
      assert.equal(result.Warnings, undefined);
      for (const pkg of result.Applications?.[0]?.Packages ?? []) {
        assert.match(pkg.Identifier?.PURL ?? '', /^pkg:golang\//);
      }
    });
  }
  const modes: Record<string, number> = {
    'testdata/binary.exe': 0o100644,
    'testdata/0755': 0o100755,
    'testdata/0644': 0o100644,
    'testdata/symlink': 0o120777,
  };
  for (const c of goldenCases(
    ECO,
    `${ANALYZER}binary/binary_test.expected.json`,
    'Test_gobinaryLibraryAnalyzer_Required',
  )) {
    const paths = typeof c.filePath === 'string' ? [c.filePath] : ['testdata/binary.exe', 'testdata/0755'];
    for (const path of paths) {
      const mode = modes[path];
      assert.ok(mode !== undefined, path);
      assert.equal(goBinaryAnalyzer.required(path, { size: 1, mode }), c.want, `${c.name}: ${path}`);
    }
  }
});

test('build info of every fixture binary matches `go version -m` (the Go toolchain as oracle)', () => {
  const dir = tempDir('vigil-gobin-oracle-');
  for (const name of Object.keys(BINARY_SHA1)) {
    const file = join(dir, name);
    writeFileSync(file, readBinaryFixture(name));
    chmodSync(file, 0o755);
    const raw = readRawBuildInfo(readBinaryFixture(name));
    const info = parseModInfo(raw.goVersion, raw.modInfo);
    const rows: string[][] = [['go', info.goVersion]];
    if (info.path) rows.push(['path', info.path]);
    if (info.main.path) rows.push(['mod', info.main.path, info.main.version, info.main.sum]);
    for (const dep of info.deps) {
      rows.push(['dep', dep.path, dep.version, dep.sum]);
      if (dep.replace) rows.push(['=>', dep.replace.path, dep.replace.version, dep.replace.sum]);
    }
    for (const setting of info.settings) {
      const value = /[ \t\r\n"`]/.test(setting.value) ? JSON.stringify(setting.value) : setting.value;
      rows.push(['build', `${setting.key}=${value}`]);
    }
    assert.deepEqual(rows, goVersionM(file), name);
  }
});

test('a module-mode Go binary built offline (gobin-fixture recipe), with and without a replace directive', () => {
  const plain = parseGoBinary(readFileSync(buildGobin(tempDir('vigil-gobin-'))));
  const stdlib = plain.packages.find((pkg) => pkg.Name === 'stdlib');
  assert.match(stdlib?.Version ?? '', /^v1\.\d+/);
  assert.deepEqual(
    plain.packages.map((pkg) => [pkg.Name, pkg.Version, pkg.Relationship]),
    [
      ['example.com/scanner-fixture', '1.2.3', 'root'],
      ['stdlib', stdlib?.Version, 'direct'],
      ['go.etcd.io/bbolt', 'v1.3.6', 'unknown'],
      ['golang.org/x/sys', 'v0.3.0', 'unknown'],
    ],
  );
  assert.deepEqual(plain.dependencies[0]?.DependsOn, [
    'go.etcd.io/bbolt@v1.3.6',
    'golang.org/x/sys@v0.3.0',
    `stdlib@${stdlib?.Version}`,
  ]);

  const replacedFile = buildGobin(tempDir('vigil-gobin-replace-'), { replaceBbolt: 'v1.3.7', ldflags: '-s -w' });
  const replaced = parseGoBinary(readFileSync(replacedFile));
  const bbolt = replaced.buildInfo.deps.find((dep) => dep.path === 'go.etcd.io/bbolt');
  assert.deepEqual(bbolt?.replace, { path: 'go.etcd.io/bbolt', version: 'v1.3.7', sum: '' });
  assert.ok(replaced.packages.some((pkg) => pkg.ID === 'go.etcd.io/bbolt@v1.3.7'));
  assert.ok(!replaced.packages.some((pkg) => pkg.ID === 'go.etcd.io/bbolt@v1.3.6'));
  // Stripped and without a version flag: the root keeps the `(devel)`-less empty version.
  assert.equal(replaced.packages.find((pkg) => pkg.Relationship === 'root')?.Version, '');
});

test('truncated and corrupted binaries give clean errors, never crashes', () => {
  const original = readBinaryFixture('test.elf');
  const macho = readBinaryFixture('test.macho');
  const pe = readBinaryFixture('test.exe');
  let random = 12345;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2 ** 31;
    return random;
  };
  const attempts: Buffer[] = [];
  for (const source of [original, macho, pe]) {
    for (const length of [0, 3, 16, 63, 64, 200, 4096, 70_000, Math.floor(source.length / 2), source.length - 1]) {
      attempts.push(source.subarray(0, length));
    }
    for (let i = 0; i < 60; i += 1) {
      const copy = Buffer.from(source.subarray(0, 8192 + (next() % 65536)));
      for (let flips = 0; flips < 4; flips += 1) copy[next() % Math.min(copy.length, 512)] = next() % 256;
      attempts.push(copy);
    }
  }
  for (const data of attempts) {
    try {
      parseGoBinary(data);
    } catch (error) {
      assert.ok(isVigilError(error), `not a VigilError: ${String(error)}`);
    }
  }
});
