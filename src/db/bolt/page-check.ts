import type { VigilError } from '../../errors/index.ts';
import { BRANCH_PAGE_FLAG, LEAF_PAGE_FLAG, PAGE_HEADER_SIZE, readSafeU64, u16, u32 } from './format.ts';

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

/** How a page is named in errors: only built when one is thrown. */
function pageName(pgid: number | undefined): string {
  return pgid === undefined ? 'inline bucket page' : `page ${pgid}`;
}

/**
 * Checks a branch/leaf page's header and that every element, key and value lies inside it,
 * so later reads never go out of bounds. `pgid` is undefined for inline bucket pages. It runs
 * on every page read, mostly before the JIT has warmed up (a scan's single pass), so it
 * allocates nothing and reads the element fields with few calls.
 */
export function checkPageHeader(page: Buffer, pgid: number | undefined, reporter: CorruptionReporter): void {
  const length = page.length;
  if (length < PAGE_HEADER_SIZE) throw reporter.corrupt(`${pageName(pgid)} is truncated`);
  if (pgid !== undefined) {
    const storedId = readSafeU64(page, 0);
    if (storedId !== pgid) throw reporter.corrupt(`${pageName(pgid)} claims to be page ${storedId}`);
  }
  const flags = u16(page, 8);
  const isBranch = flags === BRANCH_PAGE_FLAG;
  if (!isBranch && flags !== LEAF_PAGE_FLAG) {
    throw reporter.corrupt(`${pageName(pgid)} has flags 0x${flags.toString(16)}, expected a branch or leaf page`);
  }
  const count = u16(page, 10);
  if (isBranch && count === 0) throw reporter.corrupt(`${pageName(pgid)} is an empty branch page`);
  const elementsEnd = PAGE_HEADER_SIZE + count * 16;
  if (elementsEnd > length) throw reporter.corrupt(`${pageName(pgid)} has ${count} elements, more than fit`);
  // Branch elements are {pos, ksize, pgid}, leaf elements {flags, pos, ksize, vsize}.
  const field = isBranch ? 0 : 4;
  for (let at = PAGE_HEADER_SIZE; at < elementsEnd; at += 16) {
    const keyStart = at + u32(page, at + field);
    const end = keyStart + u32(page, at + field + 4) + (isBranch ? 0 : u32(page, at + 12));
    if (keyStart < elementsEnd || end > length) {
      throw reporter.corrupt(`${pageName(pgid)} element ${(at - PAGE_HEADER_SIZE) / 16} points outside the page`);
    }
  }
}
