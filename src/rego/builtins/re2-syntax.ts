import { BuiltinError } from '../errors.ts';

/**
 * Translates Go RE2 syntax into JavaScript RegExp source, in one of two forms:
 *  - `unicode`: the `u` flag, JS case folding and flag modifiers — exact for any text;
 *  - `linear`: no `u` and no `i` flag (ASCII case folding written out), so V8 can fall back to
 *    its linear-time engine on excessive backtracking; used for text without astral characters.
 * Patterns the linear form cannot express exactly raise NeedsUnicode. What JavaScript cannot
 * express at all is refused with Go's error text (RE2 has no backreferences or lookaround).
 */
export type Re2Mode = 'unicode' | 'linear';

export class NeedsUnicode extends Error {}

export interface Translated {
  readonly source: string;
  readonly flags: string;
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const GENERAL_CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn'.split(' '),
);

const GO_SPACE = '\\t\\n\\f\\r ';
const MAX_REPEAT = 1000;

function parseError(code: string, text: string): BuiltinError {
  return new BuiltinError(`error parsing regexp: ${code}: \`${text}\``);
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** Pattern text for one code point, valid inside and outside classes in both forms. */
function escapeCodePoint(cp: number): string {
  if ((cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95 || cp === 32) {
    return String.fromCharCode(cp);
  }
  if (cp <= 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\u{${hex(cp, 1)}}`;
}

/** Other members of an ASCII letter's case-folding orbit (Go folds k to the Kelvin sign, s to ſ). */
function foldAscii(cp: number): number[] {
  const lower = cp | 0x20;
  if (lower < 97 || lower > 122) return [cp];
  const out = [lower, lower - 32];
  if (lower === 107) out.push(0x212a);
  if (lower === 115) out.push(0x17f);
  return out;
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

interface Atom {
  readonly text: string;
  readonly quantifiable: boolean;
  /** The code point, for escapes that stand for exactly one. */
  readonly cp?: number;
}

export class Re2Translator {
  private i = 0;
  private readonly p: string;
  private readonly mode: Re2Mode;
  private ungreedy = false;
  private flags: Flags = { i: false, m: false, s: false };
  /** Unicode form: modifier groups to close at the end of each group level, for mid-pattern `(?i)`. */
  private pendingClose: number[] = [0];

  constructor(pattern: string, mode: Re2Mode) {
    this.p = pattern;
    this.mode = mode;
  }

  translate(): Translated {
    const leading = /^\(\?([imsU]+)\)/.exec(this.p);
    if (leading) {
      for (const f of leading[1] as string) {
        if (f === 'U') this.ungreedy = true;
        else this.flags[f as keyof Flags] = true;
      }
      this.i = leading[0].length;
    }
    const caseFlag = this.mode === 'unicode' && this.flags.i ? 'i' : '';
    const source = this.sequence();
    if (this.i < this.p.length) throw parseError('unexpected )', this.p);
    // Multi-line anchors are written out (Go's lines end only at \n), so JS's m flag is never used.
    const jsFlags = `${caseFlag}${this.mode === 'unicode' ? 'u' : ''}`;
    return { source: source + ')'.repeat(this.pendingClose[0] ?? 0), flags: jsFlags };
  }

  private peek(offset = 0): string {
    return this.p[this.i + offset] ?? '';
  }

  private sequence(): string {
    let out = '';
    let lastAtom = false;
    while (this.i < this.p.length) {
      const c = this.peek();
      if (c === ')') break;
      if (c === '|') {
        this.i++;
        out += '|';
        lastAtom = false;
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repeatAhead())) {
        if (!lastAtom) throw parseError('missing argument to repetition operator', c);
        out += this.quantifier();
        lastAtom = false;
        const next = this.peek();
        if (next === '*' || next === '+' || next === '?' || (next === '{' && this.repeatAhead())) {
          throw parseError('invalid nested repetition operator', this.p.slice(this.i - 1, this.i + 1));
        }
        continue;
      }
      const atom = this.atom();
      if (atom === null) continue;
      out += atom.text;
      lastAtom = atom.quantifiable;
    }
    return out;
  }

  private repeatAhead(): boolean {
    return /^\{\d+(,\d*)?\}/.test(this.p.slice(this.i));
  }

  private quantifier(): string {
    const c = this.peek();
    let q: string;
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i)) as RegExpExecArray;
      const min = Number(m[1]);
      const max = m[3] === undefined || m[3] === '' ? undefined : Number(m[3]);
      if (min > MAX_REPEAT || (max !== undefined && (max > MAX_REPEAT || max < min))) {
        throw parseError('invalid repeat count', m[0]);
      }
      this.i += m[0].length;
      q = m[0];
    } else {
      this.i++;
      q = c;
    }
    let lazy = false;
    if (this.peek() === '?') {
      this.i++;
      lazy = true;
    }
    if (this.ungreedy) lazy = !lazy;
    return lazy ? `${q}?` : q;
  }

  /** A literal code point, case-folded by hand in the linear form. */
  private literal(cp: number, inClass: boolean): string {
    if (this.mode === 'linear') {
      if (cp > 0xffff) throw new NeedsUnicode();
      if (this.flags.i) {
        const ch = String.fromCodePoint(cp);
        if (cp > 0x7f && ch.toLowerCase() !== ch.toUpperCase()) throw new NeedsUnicode();
        const orbit = foldAscii(cp);
        if (orbit.length > 1) {
          const body = orbit.map(escapeCodePoint).join('');
          return inClass ? body : `[${body}]`;
        }
      }
    }
    return escapeCodePoint(cp);
  }

  private atom(): Atom | null {
    const c = this.peek();
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return { text: this.charClass(), quantifiable: true };
      case '\\':
        return this.escape(false);
      case '.':
        this.i++;
        // Go's `.` excludes only \n (JS's also excludes \r, U+2028, U+2029).
        return { text: this.flags.s ? '[\\s\\S]' : '[^\\n]', quantifiable: true };
      case '^':
      case '$':
        this.i++;
        if (!this.flags.m) return { text: c, quantifiable: false };
        if (this.mode === 'linear') throw new NeedsUnicode();
        return { text: c === '^' ? '(?<=^|\\n)' : '(?=$|\\n)', quantifiable: false };
      default: {
        const cp = this.p.codePointAt(this.i) as number;
        this.i += cp > 0xffff ? 2 : 1;
        return { text: this.literal(cp, false), quantifiable: true };
      }
    }
  }

  private group(): Atom | null {
    const rest = this.p.slice(this.i);
    const saved = { ...this.flags };
    let open: string;
    if (rest.startsWith('(?P<') || rest.startsWith('(?<')) {
      const m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (!m) {
        if (/^\(\?<[=!]/.test(rest)) throw parseError('invalid or unsupported Perl syntax', rest.slice(0, 4));
        throw parseError('invalid named capture', rest.slice(0, rest.indexOf('>') + 1 || rest.length));
      }
      open = `(?<${m[1]}>`;
      this.i += m[0].length;
    } else if (rest.startsWith('(?')) {
      const m = /^\(\?(-?[imsU]+(?:-[imsU]*)?|[imsU]*-[imsU]+)?([:)])/.exec(rest);
      if (!m) throw parseError('invalid or unsupported Perl syntax', rest.slice(0, 3));
      this.i += m[0].length;
      const modifier = this.applyFlagSpec(m[1] ?? '');
      if (m[2] === ')') {
        // `(?i)` mid-pattern lasts to the end of the enclosing group (restored by its caller).
        if (modifier === '') return null;
        const level = this.pendingClose.length - 1;
        this.pendingClose[level] = (this.pendingClose[level] ?? 0) + 1;
        return { text: `(?${modifier}:`, quantifiable: false };
      }
      open = modifier === '' ? '(?:' : `(?${modifier}:`;
    } else {
      open = '(';
      this.i++;
    }
    this.pendingClose.push(0);
    const inner = this.sequence();
    if (this.peek() !== ')') throw parseError('missing closing )', this.p);
    this.i++;
    const extra = this.pendingClose.pop() ?? 0;
    this.flags = saved;
    return { text: `${open}${inner}${')'.repeat(extra)})`, quantifiable: true };
  }

  /** Applies `(?flags)`; returns the JS modifier text the unicode form needs (`i`, `-i`, `m` …). */
  private applyFlagSpec(spec: string): string {
    const [on = '', off = ''] = spec.split('-');
    if (on.includes('U')) this.ungreedy = true;
    let jsOn = '';
    let jsOff = '';
    for (const [letters, value] of [
      [on, true],
      [off, false],
    ] as const) {
      for (const f of letters) {
        if (f === 'U') continue;
        const flag = f as keyof Flags;
        if (this.flags[flag] === value) continue;
        this.flags[flag] = value;
        // s and m are written out where they matter (`.`, `^`, `$`); only i needs a JS modifier.
        if (flag !== 'i' || this.mode === 'linear') continue;
        if (value) jsOn += flag;
        else jsOff += flag;
      }
    }
    return jsOn + (jsOff ? `-${jsOff}` : '');
  }

  private escape(inClass: boolean): Atom {
    const start = this.i;
    this.i++;
    const c = this.peek();
    if (c === '') throw parseError('trailing backslash at end of expression', '');
    this.i++;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return { text: `\\${c}`, quantifiable: true };
      case 's':
        return { text: inClass ? GO_SPACE : `[${GO_SPACE}]`, quantifiable: true };
      case 'S':
        return { text: inClass ? '\\S' : `[^${GO_SPACE}]`, quantifiable: true };
      case 'b':
      case 'B':
        if (inClass) throw parseError('invalid escape sequence', `\\${c}`);
        return { text: `\\${c}`, quantifiable: false };
      case 'A':
      case 'z':
        if (inClass) throw parseError('invalid escape sequence', `\\${c}`);
        // Without JS's m flag (never used), ^ and $ are the ends of the text.
        return { text: c === 'A' ? '^' : '$', quantifiable: false };
      case 'a':
        return { text: '\\x07', quantifiable: true, cp: 7 };
      case 'f':
        return { text: '\\f', quantifiable: true, cp: 12 };
      case 't':
        return { text: '\\t', quantifiable: true, cp: 9 };
      case 'n':
        return { text: '\\n', quantifiable: true, cp: 10 };
      case 'r':
        return { text: '\\r', quantifiable: true, cp: 13 };
      case 'v':
        return { text: '\\v', quantifiable: true, cp: 11 };
      case 'p':
      case 'P':
        return { text: this.unicodeClass(c === 'P', start), quantifiable: true };
      case 'x': {
        let cp: number;
        if (this.peek() === '{') {
          const close = this.p.indexOf('}', this.i);
          const digits = close < 0 ? '' : this.p.slice(this.i + 1, close);
          cp = Number.parseInt(digits, 16);
          if (!/^[0-9A-Fa-f]{1,6}$/.test(digits) || cp > 0x10ffff) {
            throw parseError('invalid escape sequence', this.p.slice(start, close + 1));
          }
          this.i = close + 1;
        } else {
          const digits = this.p.slice(this.i, this.i + 2);
          if (!/^[0-9A-Fa-f]{2}$/.test(digits))
            throw parseError('invalid escape sequence', this.p.slice(start, this.i + 2));
          cp = Number.parseInt(digits, 16);
          this.i += 2;
        }
        return { text: this.literal(cp, inClass), quantifiable: true, cp };
      }
      case 'Q': {
        const end = this.p.indexOf('\\E', this.i);
        const text = end < 0 ? this.p.slice(this.i) : this.p.slice(this.i, end);
        this.i = end < 0 ? this.p.length : end + 2;
        const chars = Array.from(text).map((ch) => this.literal(ch.codePointAt(0) as number, inClass));
        return { text: chars.length === 1 || inClass ? chars.join('') : `(?:${chars.join('')})`, quantifiable: true };
      }
      default:
        break;
    }
    if (c >= '0' && c <= '7') {
      // Octal (\0, \012); a lone \1..\7 would be a backreference, which RE2 lacks.
      const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i)) as RegExpExecArray;
      if (c !== '0' && m[0].length === 0) throw parseError('invalid escape sequence', `\\${c}`);
      this.i += m[0].length;
      const cp = Number.parseInt(c + m[0], 8);
      return { text: this.literal(cp, inClass), quantifiable: true, cp };
    }
    if (/[!-/:-@[-`{-~]/.test(c)) {
      const cp = c.charCodeAt(0);
      return { text: this.literal(cp, inClass), quantifiable: true, cp };
    }
    throw parseError('invalid escape sequence', `\\${c}`);
  }

  private unicodeClass(negatedLetter: boolean, start: number): string {
    let name: string;
    if (this.peek() === '{') {
      const close = this.p.indexOf('}', this.i);
      if (close < 0) throw parseError('invalid character class range', this.p.slice(start));
      name = this.p.slice(this.i + 1, close);
      this.i = close + 1;
    } else {
      name = this.peek();
      this.i++;
    }
    let negated = negatedLetter;
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (name === 'Any') return negated ? '[^\\s\\S]' : '[\\s\\S]';
    let body: string;
    if (GENERAL_CATEGORIES.has(name)) body = name;
    else if (/^[A-Z][A-Za-z_]*$/.test(name)) body = `Script=${name}`;
    else throw parseError('invalid character class range', `\\p{${name}}`);
    const text = `\\${negated ? 'P' : 'p'}{${body}}`;
    try {
      new RegExp(text, 'u');
    } catch {
      throw parseError('invalid character class range', this.p.slice(start, this.i));
    }
    if (this.mode === 'linear') throw new NeedsUnicode();
    return text;
  }

  private charClass(): string {
    const start = this.i;
    this.i++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    let out = '';
    let items = 0;
    let negatedPosix: string | undefined;
    let first = true;
    while (true) {
      if (this.i >= this.p.length) throw parseError('missing closing ]', this.p.slice(start));
      const c = this.peek();
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      items++;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
      if (posix) {
        let body = POSIX[posix[2] as string];
        if (body === undefined) throw parseError('invalid character class range', posix[0]);
        if (this.flags.i && (posix[2] === 'upper' || posix[2] === 'lower')) body = 'A-Za-z';
        // Go folds k and s to the Kelvin sign and long s; the linear form spells them out.
        if (this.flags.i && this.mode === 'linear' && body.includes('A-Z')) body += '\\u212a\\u017f';
        this.i += posix[0].length;
        if (posix[1]) negatedPosix = body;
        else out += body;
        continue;
      }
      const lo = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        const hi = this.classAtom();
        if (lo.cp !== undefined && hi.cp !== undefined && hi.cp < lo.cp) {
          throw parseError('invalid character class range', this.p.slice(start, this.i));
        }
        out += this.range(lo, hi);
        continue;
      }
      out += lo.text;
    }
    if (negatedPosix !== undefined) {
      // `[[:^digit:]]` alone is `[^0-9]`; mixed with other items it needs set operations.
      if (items !== 1) {
        throw new BuiltinError('error parsing regexp: a negated POSIX class mixed with other items is not supported');
      }
      return `[${negated ? '' : '^'}${negatedPosix}]`;
    }
    return `[${negated ? '^' : ''}${out}]`;
  }

  /** A class range; the case-insensitive linear form adds the other-case ASCII ranges. */
  private range(lo: { cp: number | undefined }, hi: { cp: number | undefined }): string {
    if (lo.cp === undefined || hi.cp === undefined) throw parseError('invalid character class range', this.p);
    const from = lo.cp;
    const to = hi.cp;
    const base = `${escapeCodePoint(from)}-${escapeCodePoint(to)}`;
    if (this.mode === 'unicode') return base;
    if (to > 0xffff) throw new NeedsUnicode();
    if (!this.flags.i) return base;
    if (to > 0x7f) throw new NeedsUnicode();
    let out = base;
    for (const [first, last, shift] of [
      [97, 122, -32],
      [65, 90, 32],
    ] as const) {
      const a = Math.max(from, first);
      const b = Math.min(to, last);
      if (a <= b) out += `${escapeCodePoint(a + shift)}-${escapeCodePoint(b + shift)}`;
    }
    const has = (c: number) => from <= c && c <= to;
    if (has(107) || has(75)) out += '\\u212a';
    if (has(115) || has(83)) out += '\\u017f';
    return out;
  }

  private classAtom(): { text: string; cp: number | undefined } {
    if (this.peek() === '\\') {
      const e = this.escape(true);
      return { text: e.text, cp: e.cp };
    }
    const cp = this.p.codePointAt(this.i) as number;
    this.i += cp > 0xffff ? 2 : 1;
    return { text: this.literal(cp, true), cp };
  }
}
