import { VigilError } from '../../errors/index.ts';
import { isElf, parseElf } from './elf.ts';
import type { ExecutableFormat, ExecutableImage } from './image.ts';
import { isMachO, parseMachO } from './macho.ts';
import { isPe, parsePe } from './pe.ts';

export { ByteView, corruptExecutable } from './byte-view.ts';
export { type ElfSymbol, elfSymbols, PF_W, PF_X, PT_LOAD } from './elf.ts';
export {
  type ElfIdentity,
  type ExecutableFormat,
  type ExecutableImage,
  type ExecutableSection,
  type ExecutableSegment,
  findSection,
  readVirtual,
  sectionBytes,
} from './image.ts';
export {
  IMAGE_SCN_ALIGN_32BYTES,
  IMAGE_SCN_CNT_INITIALIZED_DATA,
  IMAGE_SCN_MEM_READ,
  IMAGE_SCN_MEM_WRITE,
} from './pe.ts';

/** The container format by magic bytes, or undefined for anything else (scripts, data files). */
export function detectExecutableFormat(data: Buffer): ExecutableFormat | undefined {
  if (isElf(data)) return 'elf';
  if (isPe(data)) return 'pe';
  if (isMachO(data)) return 'macho';
  return undefined;
}

/**
 * Parses an ELF, PE or Mach-O executable. Unknown magic throws `EXECUTABLE_FORMAT`; a known
 * magic with corrupt or truncated headers throws `EXECUTABLE_CORRUPT`.
 */
export function openExecutable(data: Buffer): ExecutableImage {
  switch (detectExecutableFormat(data)) {
    case 'elf':
      return parseElf(data);
    case 'pe':
      return parsePe(data);
    case 'macho':
      return parseMachO(data);
    default:
      throw new VigilError('EXECUTABLE_FORMAT', 'unrecognized executable format');
  }
}

/**
 * Trivy's test for files that may be binaries: a `.exe` name, or a regular file with an
 * executable bit. Symlinks, directories and devices never are (mode type bits, when given).
 */
export function isExecutableFile(path: string, mode: number): boolean {
  if (path.endsWith('.exe')) return true;
  const type = mode & 0o170000;
  if (type !== 0 && type !== 0o100000) return false;
  return (mode & 0o111) !== 0;
}
