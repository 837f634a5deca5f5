import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  detectExecutableFormat,
  type ExecutableImage,
  elfSymbols,
  findSection,
  isExecutableFile,
  openExecutable,
  readVirtual,
  sectionBytes,
} from '../../../src/analyzer/executable/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { readBinaryFixture } from '../lang/golang/go-fixtures.ts';
import { readRustBinary } from '../lang/rust-binary/rust-fixtures.ts';

/**
 * The ELF and PE readers against GNU binutils (`readelf`, `objdump`) on the same upstream
 * binaries; Mach-O has no oracle here, so it is checked through `go version -m` (the Go
 * build-info test) and the Rust `.dep-v0` section it must find.
 */
const dir = tempDir('vigil-exe-');
function onDisk(name: string, data: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
}

const ELF_FIXTURES: [string, () => Buffer][] = [
  ['go-test.elf', () => readBinaryFixture('test.elf')],
  ['go-ldflags.elf', () => readBinaryFixture('main-version-via-ldflags.elf')],
  ['go-arm64-goexperiment', () => readBinaryFixture('goexperiment')],
  ['rust-test.elf', () => readRustBinary('test.elf')],
];

const hex = (text: string) => Number.parseInt(text, 16);

test('ELF sections and program headers match readelf', () => {
  for (const [name, read] of ELF_FIXTURES) {
    const data = read();
    const file = onDisk(name, data);
    const image = openExecutable(data);
    assert.equal(image.format, 'elf');

    const sectionLines = execFileSync('readelf', ['-SW', file], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^\s*\[\s*(\d+)\]\s+(\S*)\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(line))
      .filter((match) => match !== null);
    assert.equal(image.sections.length, sectionLines.length, `${name}: section count`);
    for (const match of sectionLines) {
      const section = image.sections[Number(match[1])];
      const readelfName = match[2] === 'NULL' ? '' : match[2];
      assert.equal(section?.name, readelfName, `${name}: section ${match[1]} name`);
      assert.equal(section?.address, hex(match[4] ?? ''), `${name}: ${readelfName} address`);
      assert.equal(section?.fileOffset, hex(match[5] ?? ''), `${name}: ${readelfName} offset`);
      assert.equal(section?.size, hex(match[6] ?? ''), `${name}: ${readelfName} size`);
    }

    const programLines = execFileSync('readelf', ['-lW', file], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^\s+\S+\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+)/.exec(line))
      .filter((match) => match !== null);
    assert.deepEqual(
      image.segments.map((s) => [s.fileOffset, s.address, s.fileSize, s.memorySize]),
      programLines.map((m) => [hex(m[1] ?? ''), hex(m[2] ?? ''), hex(m[3] ?? ''), hex(m[4] ?? '')]),
      `${name}: program headers`,
    );
  }
});

test('ELF symbol table matches readelf, and symbol data is readable by address', () => {
  const data = readBinaryFixture('main-version-via-ldflags.elf');
  const file = onDisk('symbols.elf', data);
  const image = openExecutable(data);
  const symbols = elfSymbols(image);
  const output = execFileSync('readelf', ['-sW', '--sym-base=16', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = output
    .split('\n')
    .map((line) => /^\s*\d+:\s+([0-9a-f]+)\s+(\S+)\s+\S+\s+\S+\s+\S+\s+\S+\s+(\S+)$/.exec(line))
    .filter((match) => match !== null);
  // readelf counts the null symbol; Go's Symbols() (and ours) leave it out.
  const entries = Number(/'\.symtab' contains (\d+) entries/.exec(output)?.[1]);
  assert.equal(symbols.length, entries - 1);
  const version = symbols.find((symbol) => symbol.name === 'main.version.str');
  const row = lines.find((match) => match[3] === 'main.version.str');
  assert.ok(version && row);
  assert.equal(version.value, hex(row[1] ?? ''));
  assert.equal(version.size, hex(row[2] ?? ''));
  assert.equal(readVirtual(image, version.value, version.size)?.toString(), 'v1.0.0\u0000');
  assert.deepEqual(elfSymbols(openExecutable(readBinaryFixture('test.exe'))), []);
});

test('PE sections match objdump', () => {
  for (const [name, data] of [
    ['go.exe', readBinaryFixture('test.exe')],
    ['rust.exe', readRustBinary('test.exe')],
  ] as const) {
    const image = openExecutable(data);
    assert.equal(image.format, 'pe');
    const rows = execFileSync('objdump', ['-h', onDisk(name, data)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^\s*\d+ (\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)/.exec(line))
      .filter((match) => match !== null);
    assert.ok(rows.length > 0);
    // objdump leaves out sections without contents; every one it lists must match ours.
    for (const row of rows) {
      const section = findSection(image, row[1] ?? '');
      assert.ok(section, `${name}: ${row[1]}`);
      assert.equal(section.address, hex(row[3] ?? ''), `${name}: ${row[1]} address`);
      assert.equal(section.fileOffset, hex(row[4] ?? ''), `${name}: ${row[1]} offset`);
    }
  }
});

test('Mach-O segments and sections locate the data the analyzers need', () => {
  const rust = openExecutable(readRustBinary('test.macho'));
  const goBinary: ExecutableImage = openExecutable(readBinaryFixture('semver-main-module-version.macho'));
  for (const image of [rust, goBinary]) {
    assert.equal(image.format, 'macho');
    assert.deepEqual(
      image.segments.map((s) => s.name).filter((n) => ['__PAGEZERO', '__TEXT', '__LINKEDIT'].includes(n)),
      ['__PAGEZERO', '__TEXT', '__LINKEDIT'],
    );
  }
  const dep = findSection(rust, '.dep-v0');
  assert.equal(dep?.segmentName, '__DATA');
  assert.equal(sectionBytes(rust, dep ?? assert.fail())[0], 0x78); // a zlib stream
  assert.ok(findSection(goBinary, '__go_buildinfo'));
});

test('format detection, the executable-file rule, and corrupt headers', () => {
  assert.equal(detectExecutableFormat(Buffer.from('#!/bin/bash\n')), undefined);
  assert.equal(detectExecutableFormat(Buffer.from('\x7fELF')), 'elf');
  assert.throws(() => openExecutable(Buffer.from('#!/bin/sh\n')), { code: 'EXECUTABLE_FORMAT' });
  assert.equal(isExecutableFile('bin/app', 0o100755), true);
  assert.equal(isExecutableFile('bin/app', 0o755), true);
  assert.equal(isExecutableFile('bin/app', 0o100644), false);
  assert.equal(isExecutableFile('bin/link', 0o120777), false);
  assert.equal(isExecutableFile('tool.exe', 0o100644), true);
  assert.equal(isExecutableFile('tool.EXE', 0o100644), false);

  const sources = [
    readBinaryFixture('test.elf'),
    readBinaryFixture('test.exe'),
    readBinaryFixture('test.macho'),
    readRustBinary('test.macho'),
  ];
  let checked = 0;
  for (const source of sources) {
    for (const length of [2, 4, 20, 52, 64, 100, 300, 1000, 4096]) {
      try {
        const image = openExecutable(source.subarray(0, length));
        for (const section of image.sections) {
          try {
            sectionBytes(image, section);
          } catch (error) {
            assert.ok(error instanceof RangeError);
          }
        }
      } catch (error) {
        assert.ok(isVigilError(error), `${length}: ${String(error)}`);
        checked += 1;
      }
    }
  }
  assert.ok(checked > 20);
  const bogus = Buffer.from(readBinaryFixture('test.elf').subarray(0, 4096));
  bogus.writeUInt16LE(0xfffe, 0x3c); // e_shnum far beyond the file
  assert.throws(() => openExecutable(bogus), { code: 'EXECUTABLE_CORRUPT' });
});
