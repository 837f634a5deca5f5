import { ByteView, corruptExecutable } from './byte-view.ts';
import type { ExecutableImage, ExecutableSection, ExecutableSegment } from './image.ts';

const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
/** Mach-O section types whose contents are not stored in the file. */
const ZERO_FILL_TYPES = new Set([0x1, 0xc, 0x12]);
const MAX_LOAD_COMMANDS = 1 << 16;
const MAX_FAT_ARCHES = 64;

const MAGIC_32 = 0xfeedface;
const MAGIC_64 = 0xfeedfacf;
const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;

/** Thin Mach-O (either byte order) or a universal ("fat") file. */
export function isMachO(data: Buffer): boolean {
  if (data.length < 4) return false;
  const be = data.readUInt32BE(0);
  const le = data.readUInt32LE(0);
  return (
    be === MAGIC_32 || be === MAGIC_64 || le === MAGIC_32 || le === MAGIC_64 || be === FAT_MAGIC || be === FAT_MAGIC_64
  );
}

function fixedName(view: ByteView, offset: number): string {
  const raw = view.bytes(offset, 16);
  const nul = raw.indexOf(0);
  return raw.toString('latin1', 0, nul === -1 ? 16 : nul);
}

/** The first architecture of a universal file, as Go's debug/buildinfo picks it. */
function firstArchitecture(data: Buffer): Buffer {
  const view = new ByteView(data, false);
  const wide = view.u32(0) === FAT_MAGIC_64;
  const count = view.u32(4, 'nfat_arch');
  if (count < 1 || count > MAX_FAT_ARCHES) throw corruptExecutable(`universal file with ${count} architectures`);
  const offset = wide ? view.u64(8 + 8) : view.u32(8 + 8);
  const size = wide ? view.u64(8 + 16) : view.u32(8 + 12);
  return view.bytes(offset, size, 'universal file architecture');
}

/** Parses a Mach-O header and its segment load commands with their sections. */
export function parseMachO(input: Buffer): ExecutableImage {
  if (!isMachO(input)) throw corruptExecutable('not a Mach-O file');
  const magicBE = input.readUInt32BE(0);
  const data = magicBE === FAT_MAGIC || magicBE === FAT_MAGIC_64 ? firstArchitecture(input) : input;
  if (!isMachO(data) || data.readUInt32BE(0) === FAT_MAGIC) throw corruptExecutable('bad Mach-O architecture');
  const littleEndian = data.readUInt32LE(0) === MAGIC_32 || data.readUInt32LE(0) === MAGIC_64;
  const view = new ByteView(data, littleEndian);
  const wide = view.u32(0) === MAGIC_64;
  const commandCount = view.u32(16, 'ncmds');
  if (commandCount > MAX_LOAD_COMMANDS) throw corruptExecutable('implausible load command count');

  const segments: ExecutableSegment[] = [];
  const sections: ExecutableSection[] = [];
  let at = wide ? 32 : 28;
  for (let i = 0; i < commandCount; i += 1) {
    const command = view.u32(at, 'load command');
    const commandSize = view.u32(at + 4, 'load command size');
    if (commandSize < 8) throw corruptExecutable(`load command size ${commandSize}`);
    view.bytes(at, commandSize, 'load command');
    if (command === LC_SEGMENT_64 || command === LC_SEGMENT) {
      const is64 = command === LC_SEGMENT_64;
      const name = fixedName(view, at + 8);
      const segment: ExecutableSegment = is64
        ? {
            name,
            type: 0,
            address: view.u64(at + 24),
            memorySize: view.u64(at + 32),
            fileOffset: view.u64(at + 40),
            fileSize: view.u64(at + 48),
            maxProtection: view.u32(at + 56),
            flags: view.u32(at + 60),
          }
        : {
            name,
            type: 0,
            address: view.u32(at + 24),
            memorySize: view.u32(at + 28),
            fileOffset: view.u32(at + 32),
            fileSize: view.u32(at + 36),
            maxProtection: view.u32(at + 40),
            flags: view.u32(at + 44),
          };
      segments.push(segment);
      const sectionCount = view.u32(at + (is64 ? 64 : 48));
      const headerSize = is64 ? 72 : 56;
      const sectionSize = is64 ? 80 : 68;
      if (headerSize + sectionCount * sectionSize > commandSize) throw corruptExecutable('sections overflow segment');
      for (let s = 0; s < sectionCount; s += 1) {
        const sat = at + headerSize + s * sectionSize;
        const flags = view.u32(sat + (is64 ? 64 : 56));
        const size = is64 ? view.u64(sat + 40) : view.u32(sat + 36);
        const fileOffset = view.u32(sat + (is64 ? 48 : 40));
        const type = flags & 0xff;
        sections.push({
          name: fixedName(view, sat),
          segmentName: fixedName(view, sat + 16),
          address: is64 ? view.u64(sat + 32) : view.u32(sat + 32),
          size,
          fileOffset,
          fileSize: ZERO_FILL_TYPES.has(type) || fileOffset === 0 ? 0 : size,
          flags,
          type,
        });
      }
    }
    at += commandSize;
  }
  return { format: 'macho', data, sections, segments, imageBase: 0 };
}
