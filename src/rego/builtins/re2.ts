import { BuiltinError } from '../errors.ts';

/**
 * Translates Go RE2 syntax into an equivalent JavaScript RegExp (always with the `u` flag, so
 * matching works on code points as Go does). What JavaScript cannot express the same way is
 * refused with Go's error text; RE2 itself has no backreferences or lookaround.
 */
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

const GO_SPACE_CLASS = '\\t\\n\\f\\r ';
const MAX_REPEAT = 1000;

function parseError(code: string, text: string): BuiltinError {
  return new BuiltinError(`error parsing regexp: ${code}: \`${text}\``);
}

/** A literal code point as JS pattern text that is safe inside and outside classes. */
function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (/[0-9A-Za-z_ ]/.test(ch) || cp > 0x7f) return ch;
  return `\\u{${cp.toString(16)}}`;
}

function unicodeClass(name: string, negated: boolean, pattern: string): string {
  let body: string;
  if (name === 'Any') return negated ? '[^\\s\\S]' : '[\\s\\S]';
  if (GENERAL_CATEGORIES.has(name)) body = name;
  else if (/^[A-Z][A-Za-z_]*$/.test(name)) body = `Script=${name}`;
  else throw parseError('invalid character class range', `\\p{${name}}`);
  const text = `\\${negated ? 'P' : 'p'}{${body}}`;
  try {
    new RegExp(text, 'u');
  } catch {
    throw parseError('invalid character class range', pattern);
  }
  return text;
}

interface Translated {
  readonly source: string;
  readonly flags: string;
}

class Translator {
  private i = 0;
  private readonly p: string;
  private ungreedy = false;
  /** Extra `)` to close at the end of each group level, for mid-pattern `(?i)`. */
  private pendingClose: number[] = [0];

  constructor(pattern: string) {
    this.p = pattern;
  }

  translate(): Translated {
    let flags = '';
    const leading = /^\(\?([imsU]+)\)/.exec(this.p);
    if (leading) {
      for (const f of leading[1] as string) {
        if (f === 'U') this.ungreedy = true;
        else if (!flags.includes(f)) flags += f;
      }
      this.i = leading[0].length;
    }
    const source = this.sequence();
    if (this.i < this.p.length) throw parseError('unexpected )', this.p);
    return { source: source + ')'.repeat(this.pendingClose[0] ?? 0), flags: `${flags}u` };
  }

  private peek(offset = 0): string {
    return this.p[this.i + offset] ?? '';
  }

  private cp(): number {
    return this.p.codePointAt(this.i) as number;
  }

  /** Alternatives and concatenations up to `)` or the end. */
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

  private atom(): { text: string; quantifiable: boolean } | null {
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
        return { text: '.', quantifiable: true };
      case '^':
        this.i++;
        return { text: '^', quantifiable: false };
      case '$':
        this.i++;
        return { text: '$', quantifiable: false };
      default: {
        const cp = this.cp();
        this.i += cp > 0xffff ? 2 : 1;
        return { text: literal(cp), quantifiable: true };
      }
    }
  }

  private group(): { text: string; quantifiable: boolean } | null {
    const rest = this.p.slice(this.i);
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
      const spec = m[1] ?? '';
      this.i += m[0].length;
      const jsSpec = spec.replace(/U/g, '');
      if (/^[^-]*U/.test(spec)) this.ungreedy = true;
      if (m[2] === ')') {
        // `(?i)` in the middle: applies to the rest of the enclosing group.
        if (jsSpec === '' || jsSpec === '-') return null;
        const level = this.pendingClose.length - 1;
        this.pendingClose[level] = (this.pendingClose[level] ?? 0) + 1;
        return { text: `(?${jsSpec}:`, quantifiable: false };
      }
      open = jsSpec === '' || jsSpec === '-' ? '(?:' : `(?${jsSpec}:`;
    } else {
      open = '(';
      this.i++;
    }
    this.pendingClose.push(0);
    const inner = this.sequence();
    if (this.peek() !== ')') throw parseError('missing closing )', this.p);
    this.i++;
    const extra = this.pendingClose.pop() ?? 0;
    return { text: `${open}${inner}${')'.repeat(extra)})`, quantifiable: true };
  }

  /** `\x` outside (inClass false) or inside a class. */
  private escape(inClass: boolean): { text: string; quantifiable: boolean } {
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
        return { text: inClass ? GO_SPACE_CLASS : `[${GO_SPACE_CLASS}]`, quantifiable: true };
      case 'S':
        return { text: inClass ? '\\S' : `[^${GO_SPACE_CLASS}]`, quantifiable: true };
      case 'b':
      case 'B':
        if (inClass) throw parseError('invalid escape sequence', `\\${c}`);
        return { text: `\\${c}`, quantifiable: false };
      case 'A':
        if (inClass) throw parseError('invalid escape sequence', '\\A');
        return { text: '(?<![\\s\\S])', quantifiable: false };
      case 'z':
        if (inClass) throw parseError('invalid escape sequence', '\\z');
        return { text: '(?![\\s\\S])', quantifiable: false };
      case 'a':
        return { text: '\\x07', quantifiable: true };
      case 'f':
        return { text: '\\f', quantifiable: true };
      case 't':
        return { text: '\\t', quantifiable: true };
      case 'n':
        return { text: '\\n', quantifiable: true };
      case 'r':
        return { text: '\\r', quantifiable: true };
      case 'v':
        return { text: '\\v', quantifiable: true };
      case 'p':
      case 'P': {
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
        let negated = c === 'P';
        if (name.startsWith('^')) {
          negated = !negated;
          name = name.slice(1);
        }
        return { text: unicodeClass(name, negated, this.p.slice(start, this.i)), quantifiable: true };
      }
      case 'x': {
        if (this.peek() === '{') {
          const close = this.p.indexOf('}', this.i);
          const hex = close < 0 ? '' : this.p.slice(this.i + 1, close);
          if (!/^[0-9A-Fa-f]{1,6}$/.test(hex) || Number.parseInt(hex, 16) > 0x10ffff) {
            throw parseError('invalid escape sequence', this.p.slice(start, close + 1));
          }
          this.i = close + 1;
          return { text: literal(Number.parseInt(hex, 16)), quantifiable: true };
        }
        const hex = this.p.slice(this.i, this.i + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw parseError('invalid escape sequence', this.p.slice(start, this.i + 2));
        this.i += 2;
        return { text: literal(Number.parseInt(hex, 16)), quantifiable: true };
      }
      case 'Q': {
        const end = this.p.indexOf('\\E', this.i);
        const text = end < 0 ? this.p.slice(this.i) : this.p.slice(this.i, end);
        this.i = end < 0 ? this.p.length : end + 2;
        const chars = Array.from(text).map((ch) => literal(ch.codePointAt(0) as number));
        return { text: chars.length === 1 ? (chars[0] as string) : `(?:${chars.join('')})`, quantifiable: true };
      }
      default:
        break;
    }
    if (c >= '0' && c <= '7') {
      // Octal (\0, \012); a lone \1..\7 would be a backreference, which RE2 lacks.
      const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i)) as RegExpExecArray;
      if (c !== '0' && m[0].length === 0) throw parseError('invalid escape sequence', `\\${c}`);
      this.i += m[0].length;
      return { text: literal(Number.parseInt(c + m[0], 8)), quantifiable: true };
    }
    if (/[!-/:-@[-`{-~]/.test(c)) return { text: literal(c.charCodeAt(0)), quantifiable: true };
    throw parseError('invalid escape sequence', `\\${c}`);
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
        const body = POSIX[posix[2] as string];
        if (body === undefined) throw parseError('invalid character class range', posix[0]);
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
        out += `${lo.text}-${hi.text}`;
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

  private classAtom(): { text: string; cp: number | undefined } {
    const c = this.peek();
    if (c === '\\') {
      const save = this.i;
      const e = this.escape(true);
      const raw = this.p.slice(save, this.i);
      const single = /^\\[^dDwWsSpP]/.test(raw) ? e.text : undefined;
      let cp: number | undefined;
      if (single !== undefined) {
        const m = /^\\u\{([0-9a-f]+)\}$/.exec(single);
        cp = m
          ? Number.parseInt(m[1] as string, 16)
          : Array.from(single).length === 1
            ? single.codePointAt(0)
            : undefined;
      }
      return { text: e.text, cp };
    }
    const cp = this.cp();
    this.i += cp > 0xffff ? 2 : 1;
    return { text: literal(cp), cp };
  }
}

const cache = new Map<string, RegExp | BuiltinError>();
const CACHE_LIMIT = 2000;

/** A JS RegExp for a Go pattern (cached); `global` adds the `g` flag for iteration. */
export function compileRe2(pattern: string, global = false): RegExp {
  const key = `${global ? 'g' : '-'}${pattern}`;
  const hit = cache.get(key);
  if (hit instanceof BuiltinError) throw hit;
  if (hit !== undefined) {
    hit.lastIndex = 0;
    return hit;
  }
  let result: RegExp | BuiltinError;
  try {
    const t = new Translator(pattern).translate();
    result = new RegExp(t.source, t.flags + (global ? 'g' : ''));
  } catch (error) {
    result =
      error instanceof BuiltinError ? error : new BuiltinError(`error parsing regexp: ${(error as Error).message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  if (result instanceof BuiltinError) throw result;
  return result;
}
