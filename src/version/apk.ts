import { osConstraintPredicate } from './os-constraint.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, ok } from './types.ts';

/**
 * Alpine, Wolfi and Chainguard package versions (`1.2.3b_rc1_p2-r4`), tokenised and ordered as
 * apk-tools 2 does (`src/version.c`), which knqyf263/go-apk-version ports and Trivy uses: digits,
 * one letter, `_alpha`/`_beta`/`_pre`/`_rc` (older than no suffix) and `_cvs`/`_svn`/`_git`/`_hg`/
 * `_p` (newer), then `-rN`. Leading zeros in a dot component count as a negative run.
 * Constraints add apk's fuzzy operators to Trivy's: `~V` matches versions that start with V's
 * components, `<~V` and `>~V` combine that with less and greater.
 *
 * Kept from go-apk-version rather than apk-tools 3: `8.2.0015` > `8.2.002`, `6.0_pre1` > `6.0`
 * and `~` build suffixes are invalid. Refused although go-apk-version accepts it: the empty string.
 * Digit runs compare exactly at any length (Go wraps them at 2^63).
 */

const TokenType = {
  Invalid: -1,
  DigitOrZero: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  RevisionNumber: 5,
  End: 6,
} as const;
type TokenType = (typeof TokenType)[keyof typeof TokenType];

type TokenValue = number | bigint;

/** A version as its token values; `types[k]` is the kind of token k, `types[values.length]` what follows. */
export interface ApkVersion {
  readonly text: string;
  readonly values: readonly TokenValue[];
  readonly types: readonly TokenType[];
}

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

function isLowerAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 97 && code <= 122;
}

/** What kind of token starts at `index`, after a token of kind `current`; returns it and the new index. */
function nextTokenType(text: string, index: number, current: TokenType): [TokenType, number] {
  let next: TokenType = TokenType.Invalid;
  let position = index;
  if (position >= text.length) {
    next = TokenType.End;
  } else if ((current === TokenType.Digit || current === TokenType.DigitOrZero) && isLowerAt(text, position)) {
    next = TokenType.Letter;
  } else if (current === TokenType.Letter && isDigitAt(text, position)) {
    next = TokenType.Digit;
  } else if (current === TokenType.Suffix && isDigitAt(text, position)) {
    next = TokenType.SuffixNumber;
  } else {
    const character = text[position];
    if (character === '.') {
      next = TokenType.DigitOrZero;
      position += 1;
    } else if (character === '_') {
      next = TokenType.Suffix;
      position += 1;
    } else if (character === '-') {
      // go-apk-version takes any character after `-` as the revision marker (apk-tools wants `r`).
      next = position + 1 < text.length ? TokenType.RevisionNumber : TokenType.Invalid;
      position += 2;
    }
  }
  if (next < current) {
    const allowed =
      (next === TokenType.DigitOrZero && current === TokenType.Digit) ||
      (next === TokenType.Suffix && current === TokenType.SuffixNumber) ||
      (next === TokenType.Digit && current === TokenType.Letter);
    if (!allowed) next = TokenType.Invalid;
  }
  return [next, position];
}

function readNumber(text: string, start: number): [TokenValue, number] {
  let end = start;
  while (end < text.length && isDigitAt(text, end)) end++;
  // Equal values must share a type for `===`: only runs beyond 15 significant digits become bigints.
  const digits = text.slice(start, end).replace(/^0+/, '');
  if (digits === '') return [0, end];
  return [digits.length > 15 ? BigInt(digits) : Number(digits), end];
}

/** Reads the token of kind `type` at `index`: its value, the kind of the following token and its index. */
function readToken(text: string, index: number, type: TokenType): [TokenValue, TokenType, number] {
  let value: TokenValue = 0;
  let position = index;
  let forced: TokenType = TokenType.Invalid;
  if (type === TokenType.DigitOrZero && text[position] === '0') {
    let zeros = 0;
    while (text[position] === '0') {
      zeros++;
      position++;
    }
    value = -zeros;
    forced = TokenType.Digit;
  } else if (
    type === TokenType.DigitOrZero ||
    type === TokenType.Digit ||
    type === TokenType.SuffixNumber ||
    type === TokenType.RevisionNumber
  ) {
    [value, position] = readNumber(text, position);
  } else if (type === TokenType.Letter) {
    value = text.charCodeAt(position);
    position += 1;
  } else if (type === TokenType.Suffix) {
    const pre = PRE_SUFFIXES.findIndex((suffix) => text.startsWith(suffix, position));
    const post = pre >= 0 ? -1 : POST_SUFFIXES.findIndex((suffix) => text.startsWith(suffix, position));
    if (pre >= 0) {
      value = pre - PRE_SUFFIXES.length;
      position += (PRE_SUFFIXES[pre] as string).length;
    } else if (post >= 0) {
      value = post;
      position += (POST_SUFFIXES[post] as string).length;
    } else {
      return [-1, TokenType.Invalid, position];
    }
  } else {
    return [-1, TokenType.Invalid, position];
  }
  if (position >= text.length) return [value, TokenType.End, position];
  if (forced !== TokenType.Invalid) return [value, forced, position];
  const [next, after] = nextTokenType(text, position, type);
  return [value, next, after];
}

function tokenize(text: string): ApkVersion {
  const values: TokenValue[] = [];
  const types: TokenType[] = [TokenType.Digit];
  let type: TokenType = TokenType.Digit;
  let position = 0;
  while (type !== TokenType.End && type !== TokenType.Invalid) {
    const [value, next, after] = readToken(text, position, type);
    values.push(value);
    types.push(next);
    type = next;
    position = after;
  }
  return { text, values, types };
}

export function parseApkVersion(text: string): Checked<ApkVersion> {
  if (text === '') return failure('version string is empty');
  const version = tokenize(text);
  if (version.types[version.types.length - 1] !== TokenType.End) return failure(`invalid apk version '${text}'`);
  return ok(version);
}

/** apk's comparison; with `fuzzy`, `b` running out of components first counts as equal (prefix match). */
export function compareApkVersions(a: ApkVersion, b: ApkVersion, fuzzy = false): Comparison {
  let index = 0;
  let aType: TokenType = TokenType.Digit;
  let bType: TokenType = TokenType.Digit;
  let aValue: TokenValue = 0;
  let bValue: TokenValue = 0;
  while (aType === bType && aType !== TokenType.End && aType !== TokenType.Invalid && aValue === bValue) {
    aValue = a.values[index] ?? -1;
    bValue = b.values[index] ?? -1;
    aType = a.types[index + 1] ?? TokenType.Invalid;
    bType = b.types[index + 1] ?? TokenType.Invalid;
    index++;
  }
  if (aValue < bValue) return -1;
  if (aValue > bValue) return 1;
  if (aType === bType) return 0;
  if (fuzzy && bType === TokenType.End) return 0;
  // Equal so far: the longer version is newer, unless what it has next is a pre-release suffix.
  if (aType === TokenType.Suffix && (a.values[index] ?? 0) < 0) return -1;
  if (bType === TokenType.Suffix && (b.values[index] ?? 0) < 0) return 1;
  if (aType > bType) return -1;
  if (aType < bType) return 1;
  return 0;
}

const FUZZY_OPERATORS: Readonly<Record<string, readonly Comparison[]>> = {
  '~': [0],
  '<~': [-1, 0],
  '>~': [0, 1],
};

export class ApkScheme extends ParsedVersionScheme<ApkVersion> {
  readonly name = 'apk';

  protected parseVersion(version: string): Checked<ApkVersion> {
    return parseApkVersion(version);
  }

  protected compareParsed(a: ApkVersion, b: ApkVersion): Comparison {
    return compareApkVersions(a, b);
  }

  protected parseConstraint(constraint: string): Checked<VersionPredicate<ApkVersion>> {
    return osConstraintPredicate(
      constraint,
      (v) => this.parse(v),
      compareApkVersions,
      Object.keys(FUZZY_OPERATORS),
      (operator, version, bound) => {
        const accepted = FUZZY_OPERATORS[operator];
        return accepted === undefined ? undefined : accepted.includes(compareApkVersions(version, bound, true));
      },
    );
  }
}
