/**
 * The parts of an executable that package analyzers read, whatever the container format:
 * named sections (Rust's `.dep-v0`, Go's `.go.buildinfo`) and the loadable segments that map
 * virtual addresses to file offsets (Go's pre-1.18 build info is reached through pointers).
 */
export type ExecutableFormat = 'elf' | 'pe' | 'macho';

export interface ExecutableSection {
  name: string;
  /** Mach-O only: the segment the section belongs to (`__DATA`). */
  segmentName?: string;
  /** Virtual address; for PE the image base is included. */
  address: number;
  /** Size in memory. */
  size: number;
  fileOffset: number;
  /** Bytes present in the file: 0 for ELF NOBITS and Mach-O zero-fill sections. */
  fileSize: number;
  /** ELF sh_flags, PE Characteristics, Mach-O section flags. */
  flags: number;
  /** ELF sh_type, Mach-O section type (low byte of the flags); 0 for PE. */
  type: number;
  /** ELF only: sh_link (the string table of a symbol table). */
  link?: number;
}

export interface ExecutableSegment {
  /** Mach-O segment name; empty for ELF. */
  name: string;
  /** ELF p_type; 0 for Mach-O. */
  type: number;
  /** ELF p_flags; Mach-O initial protection. */
  flags: number;
  /** Mach-O maximum protection. */
  maxProtection?: number;
  address: number;
  memorySize: number;
  fileOffset: number;
  fileSize: number;
}

export interface ElfIdentity {
  wide: boolean;
  littleEndian: boolean;
}

export interface ExecutableImage {
  readonly format: ExecutableFormat;
  /** The image's bytes; for a universal Mach-O file, those of its first architecture. */
  readonly data: Buffer;
  readonly sections: readonly ExecutableSection[];
  /** ELF program headers and Mach-O segments; empty for PE. */
  readonly segments: readonly ExecutableSegment[];
  /** PE ImageBase; 0 for the other formats. */
  readonly imageBase: number;
  /** ELF class and byte order, for reading symbol tables. */
  readonly elf?: ElfIdentity;
}

/** The first section called `name` (in any segment). */
export function findSection(image: ExecutableImage, name: string): ExecutableSection | undefined {
  return image.sections.find((section) => section.name === name);
}

/** A section's bytes as stored in the file (a view, no copy); empty for zero-fill sections. */
export function sectionBytes(image: ExecutableImage, section: ExecutableSection): Buffer {
  if (section.fileSize === 0) return Buffer.alloc(0);
  const end = section.fileOffset + section.fileSize;
  if (section.fileOffset < 0 || end > image.data.length) {
    throw new RangeError(`section ${section.name} runs past the end of the file`);
  }
  return image.data.subarray(section.fileOffset, end);
}

/**
 * Up to `size` bytes stored at virtual address `address`, as Go's debug/buildinfo reads them:
 * through ELF program headers, Mach-O segments (never `__PAGEZERO`) or PE sections. The result
 * stops at the end of the mapping that holds the address; undefined when none holds it.
 */
export function readVirtual(image: ExecutableImage, address: number, size: number): Buffer | undefined {
  const ranges =
    image.format === 'pe'
      ? image.sections.map((s) => ({ start: s.address, fileSize: s.fileSize, fileOffset: s.fileOffset }))
      : image.segments
          .filter((s) => s.name !== '__PAGEZERO')
          .map((s) => ({ start: s.address, fileSize: s.fileSize, fileOffset: s.fileOffset }));
  for (const range of ranges) {
    if (range.fileSize <= 0 || address < range.start || address >= range.start + range.fileSize) continue;
    const available = range.start + range.fileSize - address;
    const from = range.fileOffset + (address - range.start);
    const to = Math.min(from + Math.min(size, available), image.data.length);
    if (from >= image.data.length) return Buffer.alloc(0);
    return image.data.subarray(from, to);
  }
  return undefined;
}
