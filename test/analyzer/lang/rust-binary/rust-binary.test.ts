import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findSection, openExecutable } from '../../../../src/analyzer/executable/index.ts';
import { parseRustBinary, rustBinaryAnalyzer } from '../../../../src/analyzer/lang/rust-binary/index.ts';
import { isVigilError } from '../../../../src/errors/index.ts';
import {
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  fixture,
  goldenCases,
  imageContext,
  memoryFiles,
} from '../trivy-goldens.ts';
import { ECO, PARSER, readRustBinary } from './rust-fixtures.ts';

const ANALYZER = 'pkg/fanal/analyzer/language/rust/binary/';

test('Trivy Rust binary parser golden cases (cargo-auditable in ELF, PE, Mach-O)', async (t) => {
  const cases = goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse');
  assert.equal(cases.length, 4);
  for (const c of cases) {
    await t.test(c.name, () => {
      const data = readRustBinary(c.inputFile);
      if (c.wantErr) {
        assert.throws(() => parseRustBinary(data), { message: c.wantErr });
        return;
      }
      const got = parseRustBinary(data);
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
      assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
    });
  }
});

test('Trivy rustbinary analyzer golden cases', async (t) => {
  for (const c of goldenCases(ECO, `${ANALYZER}binary_test.expected.json`, 'Test_rustBinaryLibraryAnalyzer_Analyze')) {
    await t.test(c.name, async () => {
      // executable_rust is byte-identical to the parser's test.elf (same SHA-1), stored once.
      const body = c.inputFile.endsWith('executable_rust')
        ? readRustBinary('test.elf')
        : readFileSync(fixture(ECO, `${ANALYZER}${c.inputFile}`));
      const result = await rustBinaryAnalyzer.analyze(memoryFiles(new Map([[c.inputFile, body]])), imageContext);
      const want = c.want
        ? { Applications: c.want.Applications.map((app: object) => ({ ...app, Type: 'rustbinary' })) }
        : undefined;
      assertSameApplications(result, want);
      assert.equal(result.Warnings, undefined);
      for (const pkg of result.Applications?.[0]?.Packages ?? [])
        assert.match(pkg.Identifier?.PURL ?? '', /^pkg:cargo\//);
    });
  }
  const modes: Record<string, number> = {
    'testdata/binary.exe': 0o100644,
    'testdata/0755': 0o100755,
    'testdata/0644': 0o100644,
    'testdata/symlink': 0o120777,
  };
  for (const c of goldenCases(ECO, `${ANALYZER}binary_test.expected.json`, 'Test_rustBinaryLibraryAnalyzer_Required')) {
    const paths = typeof c.filePath === 'string' ? [c.filePath] : ['testdata/binary.exe', 'testdata/0755'];
    for (const path of paths) {
      assert.equal(
        rustBinaryAnalyzer.required(path, { size: 1, mode: modes[path] ?? 0 }),
        c.want,
        `${c.name}: ${path}`,
      );
    }
  }
});

test('damaged audit data and truncated binaries give clean errors', async () => {
  const elf = readRustBinary('test.elf');
  // Corrupt the zlib stream inside .dep-v0: the parser reports invalid data, the analyzer warns.
  const payload = parseSection(elf);
  const corrupt = Buffer.from(elf);
  corrupt.fill(0x41, payload.offset + 2, payload.offset + payload.size);
  assert.throws(() => parseRustBinary(corrupt), /invalid cargo-auditable data/);
  const result = await rustBinaryAnalyzer.analyze(memoryFiles(new Map([['bin/app', corrupt]])), imageContext);
  assert.equal(result.Applications, undefined);
  assert.match(result.Warnings?.[0] ?? '', /^bin\/app: skipped Rust binary: invalid cargo-auditable data/);
  for (const source of [elf, readRustBinary('test.exe'), readRustBinary('test.macho')]) {
    for (const length of [4, 64, 1000, 50_000, source.length - 100]) {
      try {
        parseRustBinary(source.subarray(0, length));
      } catch (error) {
        assert.ok(isVigilError(error), String(error));
      }
    }
  }
});

function parseSection(elf: Buffer): { offset: number; size: number } {
  const section = findSection(openExecutable(elf), '.dep-v0');
  assert.ok(section);
  return { offset: section.fileOffset, size: section.fileSize };
}
