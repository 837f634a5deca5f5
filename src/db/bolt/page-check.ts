import type { VigilError } from '../../errors/index.ts';
import { BRANCH_PAGE_FLAG, LEAF_PAGE_FLAG, PAGE_HEADER_SIZE, readSafeU64 } from './format.ts';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface CorruptionReporter {
  corrupt(detail: string): VigilError;
}

/** A read-ahead page worth caching: a sound branch or leaf page that is where it says it is. */
export function isTreePage(page: Buffer, pgid: number, reporter: CorruptionReporter): boolean {
  try {
    checkPageHeader(page, pgid, reporter);
    return true;
  } catch {
    // Free pages and pages of other kinds are simply not cached; asked for later, they fail then.
    return false;
  }
}

/**
 * Checks a branch/leaf page's header and that every element, key and value lies inside it,
 * so later reads never go out of bounds. `pgid` is undefined for inline bucket pages.
 */
export function checkPageHeader(page: Buffer, pgid: number | undefined, reporter: CorruptionReporter): void {
  const where = pgid === undefined ? 'inline bucket page' : `page ${pgid}`;
  if (page.length < PAGE_HEADER_SIZE) throw reporter.corrupt(`${where} is truncated`);
  if (pgid !== undefined) {
    const storedId = readSafeU64(page, 0);
    if (storedId !== pgid) throw reporter.corrupt(`${where} claims to be page ${storedId}`);
  }
  const flags = page.readUInt16LE(8);
  const isBranch = flags === BRANCH_PAGE_FLAG;
  if (!isBranch && flags !== LEAF_PAGE_FLAG) {
    throw reporter.corrupt(`${where} has flags 0x${flags.toString(16)}, expected a branch or leaf page`);
  }
  const count = page.readUInt16LE(10);
  if (isBranch && count === 0) throw reporter.corrupt(`${where} is an empty branch page`);
  const elementsEnd = PAGE_HEADER_SIZE + count * 16;
  if (elementsEnd > page.length) throw reporter.corrupt(`${where} has ${count} elements, more than fit`);
  // The element table as 32-bit words when it is aligned (always, for pages in cache slots): one
  // typed-array read per field instead of a readUInt32LE call, which matters before the JIT warms up.
  const aligned = LITTLE_ENDIAN && ((page.byteOffset + PAGE_HEADER_SIZE) & 3) === 0;
  const words = aligned ? new Uint32Array(page.buffer, page.byteOffset + PAGE_HEADER_SIZE, count * 4) : undefined;
  for (let i = 0; i < count; i++) {
    const at = PAGE_HEADER_SIZE + i * 16;
    let pos: number;
    let ksize: number;
    let vsize: number;
    if (words !== undefined) {
      const w = i * 4;
      pos = (isBranch ? words[w] : words[w + 1]) as number;
      ksize = (isBranch ? words[w + 1] : words[w + 2]) as number;
      vsize = isBranch ? 0 : (words[w + 3] as number);
    } else {
      pos = isBranch ? page.readUInt32LE(at) : page.readUInt32LE(at + 4);
      ksize = isBranch ? page.readUInt32LE(at + 4) : page.readUInt32LE(at + 8);
      vsize = isBranch ? 0 : page.readUInt32LE(at + 12);
    }
    const end = at + pos + ksize + vsize;
    if (at + pos < elementsEnd || end > page.length) {
      throw reporter.corrupt(`${where} element ${i} points outside the page`);
    }
  }
}
