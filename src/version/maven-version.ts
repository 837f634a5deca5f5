import type { Comparison } from './types.ts';

/**
 * Maven versions ordered by ComparableVersion as masahiro331/go-mvn-version (Trivy's Maven
 * comparer) orders them, which is Maven's order before 3.8.7: components split at `.`, `-` and
 * digit/letter changes; a `-`, and a change between digits and letters, opens a nested list;
 * numbers compare numerically at any length; qualifiers order `alpha` < `beta` < `milestone` <
 * `rc` = `cr` < `snapshot` < `` = `ga` = `final` = `release` < `sp` < anything else
 * (alphabetically); `a1`/`b1`/`m1` abbreviate alpha/beta/milestone; null items (0, empty
 * qualifiers, empty lists) at the end of a list are ignored.
 *
 * Maven 3.8.7 and later (MNG-6420, MNG-7559, MNG-7714) put a qualifier after a dot in a list of its own
 * (`2.0.abc` = `2-abc`, `1.0.0.rc1` < `1.0.0-rc2`) and reorder `sp` against `final-…`; Trivy does
 * not, and neither does this (`1.foo` < `1-foo`).
 */
export type MavenItem =
  | { readonly kind: 'number'; readonly value: bigint }
  | { readonly kind: 'qualifier'; readonly value: string }
  | { readonly kind: 'list'; readonly items: MavenItem[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
/** Single letters that abbreviate a qualifier when digits follow (`1.0a1`). */
const ABBREVIATIONS: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };

function qualifier(text: string, followedByDigit: boolean): MavenItem {
  const value = followedByDigit ? (ABBREVIATIONS[text] ?? text) : text;
  return { kind: 'qualifier', value: ALIASES[value] ?? value };
}

/** A known qualifier's rank as a string, or `7-<name>` so unknown ones sort after, alphabetically. */
function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

function compareStrings(a: string, b: string): Comparison {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNullItem(item: MavenItem): boolean {
  switch (item.kind) {
    case 'number':
      return item.value === 0n;
    case 'qualifier':
      return comparableQualifier(item.value) === RELEASE_INDEX;
    case 'list':
      return item.items.length === 0;
  }
}

/** Drops trailing null items; a non-null nested list does not stop the trimming. */
function normalize(list: MavenItem[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i] as MavenItem;
    if (isNullItem(last)) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

function isDigit(character: string): boolean {
  return character >= '0' && character <= '9';
}

function numberItem(digits: string): MavenItem {
  return { kind: 'number', value: BigInt(digits) };
}

/** Parses a version into its nested list. Every string is a Maven version. */
export function parseMavenVersion(input: string): MavenItem {
  const version = input.toLowerCase();
  const root: MavenItem[] = [];
  const lists: MavenItem[][] = [root];
  let list = root;
  let digits = false;
  let start = 0;
  const item = (text: string): MavenItem => (digits ? numberItem(text) : qualifier(text, false));
  const openList = () => {
    const nested: MavenItem[] = [];
    list.push({ kind: 'list', items: nested });
    list = nested;
    lists.push(nested);
  };
  for (let i = 0; i < version.length; i++) {
    const character = version[i] as string;
    if (character === '.' || character === '-') {
      list.push(i === start ? numberItem('0') : item(version.slice(start, i)));
      start = i + 1;
      if (character === '-') openList();
    } else if (isDigit(character)) {
      if (!digits && i > start) {
        // The digits after a qualifier (`rc1`) form a nested list.
        list.push(qualifier(version.slice(start, i), true));
        start = i;
        openList();
      }
      digits = true;
    } else {
      if (digits && i > start) {
        list.push(numberItem(version.slice(start, i)));
        start = i;
        openList();
      }
      digits = false;
    }
  }
  if (version.length > start) list.push(item(version.slice(start)));
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i] as MavenItem[]);
  return { kind: 'list', items: root };
}

function negate(order: Comparison): Comparison {
  return order === 0 ? 0 : order === 1 ? -1 : 1;
}

/** ComparableVersion's Item.compareTo; `b` undefined stands for a missing item. */
export function compareMavenItems(a: MavenItem, b: MavenItem | undefined): Comparison {
  switch (a.kind) {
    case 'number':
      if (b === undefined) return a.value === 0n ? 0 : 1;
      if (b.kind === 'number') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
      return 1;
    case 'qualifier':
      if (b === undefined) return compareStrings(comparableQualifier(a.value), RELEASE_INDEX);
      if (b.kind === 'qualifier') return compareStrings(comparableQualifier(a.value), comparableQualifier(b.value));
      return -1;
    case 'list': {
      if (b === undefined) {
        for (const entry of a.items) {
          const result = compareMavenItems(entry, undefined);
          if (result !== 0) return result;
        }
        return 0;
      }
      if (b.kind === 'number') return -1;
      if (b.kind === 'qualifier') return 1;
      const length = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < length; i++) {
        const left = a.items[i];
        const right = b.items[i];
        let result: Comparison = 0;
        if (left !== undefined) result = compareMavenItems(left, right);
        else if (right !== undefined) result = negate(compareMavenItems(right, undefined));
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

export function compareMavenVersions(a: MavenItem, b: MavenItem): Comparison {
  return compareMavenItems(a, b);
}

/** Whether two versions are the same Maven version (`1.1` = `1.1.0` = `1.1-ga`); any string is one, the empty one included. */
export function mavenVersionsEqual(a: string, b: string): boolean {
  return a === b || compareMavenVersions(parseMavenVersion(a), parseMavenVersion(b)) === 0;
}
