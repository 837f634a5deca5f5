import { ByteView, corruptExecutable } from './byte-view.ts';
import type { ExecutableImage, ExecutableSection, ExecutableSegment } from './image.ts';

/** ELF program header type and flags Go's build-info reader looks at. */
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHN_XINDEX = 0xffff;
const PN_XNUM = 0xffff;

/** More headers than any real executable has; a corrupt count stops here, not at an allocation. */
const MAX_HEADERS = 1 << 16;

export function isElf(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

interface TableLayout {
  offset: number;
  entrySize: number;
  count: number;
  minEntrySize: number;
  what: string;
}

function checkTable(view: ByteView, table: TableLayout): void {
  if (table.count === 0) return;
  if (table.count > MAX_HEADERS) throw corruptExecutable(`${table.what} count ${table.count} is implausible`);
  if (table.entrySize < table.minEntrySize) throw corruptExecutable(`${table.what} entry size ${table.entrySize}`);
  const end = table.offset + table.entrySize * table.count;
  if (end > view.data.length) throw corruptExecutable(`${table.what} table runs past the end of the file`);
}

/** Parses the ELF header, program headers and section headers (with their names). */
export function parseElf(data: Buffer): ExecutableImage {
  if (!isElf(data) || data.length < 16) throw corruptExecutable('not an ELF file');
  const elfClass = data[4];
  const encoding = data[5];
  if (elfClass !== 1 && elfClass !== 2) throw corruptExecutable(`unknown ELF class ${elfClass}`);
  if (encoding !== 1 && encoding !== 2) throw corruptExecutable(`unknown ELF data encoding ${encoding}`);
  const wide = elfClass === 2;
  const view = new ByteView(data, encoding === 1);

  const phoff = view.word(wide ? 0x20 : 0x1c, wide, 'e_phoff');
  const shoff = view.word(wide ? 0x28 : 0x20, wide, 'e_shoff');
  const phentsize = view.u16(wide ? 0x36 : 0x2a, 'e_phentsize');
  let phnum = view.u16(wide ? 0x38 : 0x2c, 'e_phnum');
  const shentsize = view.u16(wide ? 0x3a : 0x2e, 'e_shentsize');
  let shnum = view.u16(wide ? 0x3c : 0x30, 'e_shnum');
  let shstrndx = view.u16(wide ? 0x3e : 0x32, 'e_shstrndx');

  // Extended numbering: the real counts live in section header 0.
  const shdrMin = wide ? 64 : 40;
  if (shoff !== 0 && (shnum === 0 || shstrndx === SHN_XINDEX || phnum === PN_XNUM)) {
    if (shentsize < shdrMin) throw corruptExecutable(`section header entry size ${shentsize}`);
    if (shnum === 0) shnum = view.word(shoff + (wide ? 32 : 20), wide, 'extended section count');
    if (shstrndx === SHN_XINDEX) shstrndx = view.u32(shoff + (wide ? 40 : 24), 'extended string table index');
    if (phnum === PN_XNUM) phnum = view.u32(shoff + (wide ? 44 : 28), 'extended program header count');
  }

  const segments: ExecutableSegment[] = [];
  checkTable(view, {
    offset: phoff,
    entrySize: phentsize,
    count: phnum,
    minEntrySize: wide ? 56 : 32,
    what: 'program header',
  });
  for (let i = 0; i < phnum; i += 1) {
    const at = phoff + i * phentsize;
    segments.push(
      wide
        ? {
            name: '',
            type: view.u32(at),
            flags: view.u32(at + 4),
            fileOffset: view.u64(at + 8),
            address: view.u64(at + 16),
            fileSize: view.u64(at + 32),
            memorySize: view.u64(at + 40),
          }
        : {
            name: '',
            type: view.u32(at),
            fileOffset: view.u32(at + 4),
            address: view.u32(at + 8),
            fileSize: view.u32(at + 16),
            memorySize: view.u32(at + 20),
            flags: view.u32(at + 24),
          },
    );
  }

  const sections: (ExecutableSection & { nameOffset: number })[] = [];
  if (shoff !== 0) {
    checkTable(view, {
      offset: shoff,
      entrySize: shentsize,
      count: shnum,
      minEntrySize: shdrMin,
      what: 'section header',
    });
    for (let i = 0; i < shnum; i += 1) {
      const at = shoff + i * shentsize;
      const type = view.u32(at + 4);
      const section = wide
        ? {
            nameOffset: view.u32(at),
            type,
            flags: view.u64(at + 8),
            address: view.u64(at + 16),
            fileOffset: view.u64(at + 24),
            size: view.u64(at + 32),
            link: view.u32(at + 40),
          }
        : {
            nameOffset: view.u32(at),
            type,
            flags: view.u32(at + 8),
            address: view.u32(at + 12),
            fileOffset: view.u32(at + 16),
            size: view.u32(at + 20),
            link: view.u32(at + 24),
          };
      sections.push({ ...section, name: '', fileSize: type === SHT_NOBITS ? 0 : section.size });
    }
    const names = sections[shstrndx];
    if (shstrndx !== 0 && names) {
      const table = view.bytes(names.fileOffset, names.fileSize, 'section name table');
      for (const section of sections) {
        if (section.nameOffset >= table.length) throw corruptExecutable('section name offset past its table');
        const nul = table.indexOf(0, section.nameOffset);
        section.name = table.toString('latin1', section.nameOffset, nul === -1 ? table.length : nul);
      }
    }
  }
  return {
    format: 'elf',
    data,
    sections: sections.map(({ nameOffset: _, ...section }) => section),
    segments,
    imageBase: 0,
    elf: { wide, littleEndian: view.littleEndian },
  };
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** Index of the section the symbol is defined in. */
  sectionIndex: number;
}

/** At most this many symbols are read; Go binaries have tens of thousands. */
const MAX_SYMBOLS = 2_000_000;

/**
 * The entries of the static symbol table (`.symtab`), without the initial null symbol, as Go's
 * debug/elf `Symbols()` lists them. Empty when the binary is stripped.
 */
export function elfSymbols(image: ExecutableImage): ElfSymbol[] {
  if (image.format !== 'elf' || !image.elf) return [];
  const { wide, littleEndian } = image.elf;
  const view = new ByteView(image.data, littleEndian);
  const table = image.sections.find((section) => section.type === SHT_SYMTAB);
  if (!table) return [];
  const strings = image.sections[table.link ?? 0];
  if (!strings) throw corruptExecutable('symbol table without a string table');
  const names = view.bytes(strings.fileOffset, strings.fileSize, 'symbol string table');
  const entrySize = wide ? 24 : 16;
  const count = Math.min(Math.floor(table.fileSize / entrySize), MAX_SYMBOLS);
  view.bytes(table.fileOffset, count * entrySize, 'symbol table');
  const symbols: ElfSymbol[] = [];
  for (let i = 1; i < count; i += 1) {
    const at = table.fileOffset + i * entrySize;
    const nameOffset = view.u32(at);
    const value = wide ? view.u64(at + 8) : view.u32(at + 4);
    const size = wide ? view.u64(at + 16) : view.u32(at + 8);
    const sectionIndex = view.u16(wide ? at + 6 : at + 14);
    let name = '';
    if (nameOffset < names.length) {
      const nul = names.indexOf(0, nameOffset);
      name = names.toString('utf8', nameOffset, nul === -1 ? names.length : nul);
    }
    symbols.push({ name, value, size, sectionIndex });
  }
  return symbols;
}
