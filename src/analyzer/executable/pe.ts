import { ByteView, corruptExecutable } from './byte-view.ts';
import type { ExecutableImage, ExecutableSection } from './image.ts';

/** PE section characteristics Go's build-info reader matches on. */
export const IMAGE_SCN_CNT_INITIALIZED_DATA = 0x40;
export const IMAGE_SCN_MEM_READ = 0x40000000;
export const IMAGE_SCN_MEM_WRITE = 0x80000000;
export const IMAGE_SCN_ALIGN_32BYTES = 0x600000;

const MAX_SECTIONS = 1 << 16;

export function isPe(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x4d && data[1] === 0x5a;
}

/** Parses the DOS stub pointer, COFF header, optional header image base and section table. */
export function parsePe(data: Buffer): ExecutableImage {
  if (!isPe(data)) throw corruptExecutable('not a PE file');
  const view = new ByteView(data, true);
  const peOffset = view.u32(0x3c, 'e_lfanew');
  if (view.u32(peOffset, 'PE signature') !== 0x00004550) throw corruptExecutable('missing PE signature');
  const coff = peOffset + 4;
  const sectionCount = view.u16(coff + 2, 'NumberOfSections');
  const symbolTable = view.u32(coff + 8, 'PointerToSymbolTable');
  const symbolCount = view.u32(coff + 12, 'NumberOfSymbols');
  const optionalSize = view.u16(coff + 16, 'SizeOfOptionalHeader');
  const optional = coff + 20;

  let imageBase = 0;
  if (optionalSize >= 2) {
    const magic = view.u16(optional, 'optional header magic');
    if (magic === 0x10b) imageBase = view.u32(optional + 28, 'ImageBase');
    else if (magic === 0x20b) imageBase = view.u64(optional + 24, 'ImageBase');
    else throw corruptExecutable(`unknown PE optional header magic 0x${magic.toString(16)}`);
  }

  if (sectionCount > MAX_SECTIONS) throw corruptExecutable('implausible PE section count');
  const table = optional + optionalSize;
  view.bytes(table, sectionCount * 40, 'PE section table');
  // Long section names ("/123") point into the COFF string table after the symbols.
  const stringTable = symbolTable === 0 ? -1 : symbolTable + symbolCount * 18;

  const sections: ExecutableSection[] = [];
  for (let i = 0; i < sectionCount; i += 1) {
    const at = table + i * 40;
    const raw = view.bytes(at, 8);
    const nul = raw.indexOf(0);
    let name = raw.toString('latin1', 0, nul === -1 ? 8 : nul);
    if (name.startsWith('/') && stringTable >= 0) {
      const offset = Number.parseInt(name.slice(1), 10);
      if (Number.isSafeInteger(offset)) name = view.cString(stringTable + offset, 256);
    }
    const virtualSize = view.u32(at + 8);
    const virtualAddress = view.u32(at + 12);
    const rawSize = view.u32(at + 16);
    const rawOffset = view.u32(at + 20);
    sections.push({
      name,
      address: virtualAddress + imageBase,
      size: virtualSize,
      fileOffset: rawOffset,
      fileSize: rawOffset === 0 ? 0 : rawSize,
      flags: view.u32(at + 36),
      type: 0,
    });
  }
  return { format: 'pe', data, sections, segments: [], imageBase };
}
