/**
 * Whether Trivy's apk analyzer accepts a version (go-apk-version `Valid`, a port of apk-tools'
 * legacy tokenizer). Packages with other versions keep no version and are dropped. It is more
 * lenient than apk-tools 3 (`a`, `.1` and the empty string pass), and is reproduced as it is.
 */

// Token kinds in the order the tokenizer compares them.
const INVALID = -1;
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const REVISION_NO = 5;
const END = 6;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

const isDigit = (ch: string | undefined) => ch !== undefined && /^\p{Nd}$/u.test(ch);
const isLower = (ch: string | undefined) => ch !== undefined && /^\p{Ll}$/u.test(ch);

/** A rune reader with Go bufio's rules: one rune can be unread, and only right after it was read. */
class RuneReader {
  private readonly runes: string[];
  private position = 0;
  private canUnread = false;

  constructor(text: string) {
    this.runes = [...text];
  }

  read(): string | undefined {
    const rune = this.runes[this.position];
    this.canUnread = rune !== undefined;
    if (rune !== undefined) this.position += 1;
    return rune;
  }

  unread(): void {
    if (this.canUnread) this.position -= 1;
    this.canUnread = false;
  }

  atEnd(): boolean {
    this.canUnread = false;
    return this.position >= this.runes.length;
  }

  consume(word: string): boolean {
    this.canUnread = false;
    const length = [...word].length;
    if (this.runes.slice(this.position, this.position + length).join('') !== word) return false;
    this.position += length;
    return true;
  }
}

function nextToken(reader: RuneReader, kind: number): number {
  let next = INVALID;
  const rune = reader.read();
  if (rune === undefined) next = END;
  if ((kind === DIGIT || kind === DIGIT_OR_ZERO) && isLower(rune)) next = LETTER;
  else if (kind === LETTER && isDigit(rune)) next = DIGIT;
  else if (kind === SUFFIX && isDigit(rune)) next = SUFFIX_NO;
  else if (rune === '.') next = DIGIT_OR_ZERO;
  else if (rune === '_') next = SUFFIX;
  // The rune after '-' is taken as the revision marker, whatever it is.
  else if (rune === '-') next = reader.read() === undefined ? INVALID : REVISION_NO;
  if (next === END || next === LETTER || next === DIGIT || next === SUFFIX_NO) reader.unread();
  if (next < kind) {
    const allowed =
      (next === DIGIT_OR_ZERO && kind === DIGIT) ||
      (next === SUFFIX && kind === SUFFIX_NO) ||
      (next === DIGIT && kind === LETTER);
    return allowed ? next : INVALID;
  }
  return next;
}

function skipToken(reader: RuneReader, kind: number): number {
  let rune = reader.read();
  let following = INVALID;
  switch (kind) {
    case DIGIT_OR_ZERO:
      if (rune === '0') {
        // Leading zeros form their own token.
        for (;;) {
          rune = reader.read();
          if (rune === undefined) break;
          if (rune !== '0') {
            reader.unread();
            break;
          }
        }
        following = DIGIT;
        break;
      }
      while (isDigit(rune)) rune = reader.read();
      reader.unread();
      break;
    case DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      while (isDigit(rune)) rune = reader.read();
      reader.unread();
      break;
    case LETTER:
      break;
    case SUFFIX: {
      reader.unread();
      const known = [...PRE_SUFFIXES, ...POST_SUFFIXES].some((suffix) => reader.consume(suffix));
      if (!known) return INVALID;
      break;
    }
    default:
      return INVALID;
  }
  if (reader.atEnd()) return END;
  if (following !== INVALID) return following;
  return nextToken(reader, kind);
}

export function isApkVersion(version: string): boolean {
  const reader = new RuneReader(version);
  let kind = DIGIT;
  // Every two steps consume at least one rune; the bound only guards against a porting mistake.
  for (let steps = 0; kind !== END && kind !== INVALID; steps++) {
    if (steps > 4 * version.length + 8) return false;
    kind = skipToken(reader, kind);
  }
  return kind === END;
}
