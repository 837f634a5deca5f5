import { RegoError } from './errors.ts';

export type TokenKind = 'ident' | 'string' | 'rawstring' | 'number' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for strings: the decoded value). */
  readonly text: string;
  readonly offset: number;
  readonly end: number;
  readonly row: number;
  readonly col: number;
  /** Whitespace or a comment separates this token from the previous one. */
  readonly spaceBefore: boolean;
  /** A line break separates this token from the previous one. */
  readonly newlineBefore: boolean;
}

export interface Comment {
  readonly row: number;
  readonly col: number;
  /** Text after `#`. */
  readonly text: string;
  readonly offset: number;
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: Comment[];
}

const PUNCT2 = new Set([':=', '==', '!=', '<=', '>=']);
const PUNCT1 = new Set([
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '.',
  ',',
  ';',
  ':',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '|',
  '&',
]);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** Splits Rego source into tokens and comments. Throws rego_parse_error on invalid input. */
export function tokenize(source: string, file = ''): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = 0;
  let row = 1;
  let lineStart = 0;
  let spaceBefore = false;
  let newlineBefore = false;
  const n = source.length;
  const fail = (message: string, at: number): never => {
    throw new RegoError('rego_parse_error', message, { file, row, col: at - lineStart + 1 });
  };
  const push = (kind: TokenKind, text: string, start: number, startRow: number, startCol: number) => {
    tokens.push({ kind, text, offset: start, end: i, row: startRow, col: startCol, spaceBefore, newlineBefore });
    spaceBefore = false;
    newlineBefore = false;
  };

  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 10) {
      i++;
      row++;
      lineStart = i;
      spaceBefore = true;
      newlineBefore = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      spaceBefore = true;
      continue;
    }
    if (c === 35) {
      const start = i;
      while (i < n && source.charCodeAt(i) !== 10) i++;
      comments.push({
        row,
        col: start - lineStart + 1,
        text: source.slice(start + 1, i).replace(/\r$/, ''),
        offset: start,
      });
      spaceBefore = true;
      continue;
    }
    const start = i;
    const startRow = row;
    const col = i - lineStart + 1;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(source.charCodeAt(i))) i++;
      push('ident', source.slice(start, i), start, startRow, col);
      continue;
    }
    if (isDigit(c)) {
      i = scanNumber(source, i, fail);
      push('number', source.slice(start, i), start, startRow, col);
      continue;
    }
    if (c === 34) {
      const [value, next] = scanString(source, i, fail);
      i = next;
      push('string', value, start, startRow, col);
      continue;
    }
    if (c === 96) {
      const close = source.indexOf('`', i + 1);
      if (close < 0) fail('unterminated raw string', start);
      const value = source.slice(i + 1, close);
      for (let j = i + 1; j < close; j++) {
        if (source.charCodeAt(j) === 10) {
          row++;
          lineStart = j + 1;
        }
      }
      i = close + 1;
      push('rawstring', value, start, startRow, col);
      continue;
    }
    const two = source.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      i += 2;
      push('punct', two, start, startRow, col);
      continue;
    }
    const one = source[i] as string;
    if (PUNCT1.has(one)) {
      if (one === '.' && i + 1 < n && isDigit(source.charCodeAt(i + 1)) && (tokens.length === 0 || spaceBefore)) {
        fail('invalid number', start);
      }
      i++;
      push('punct', one, start, startRow, col);
      continue;
    }
    fail(`invalid character ${JSON.stringify(one)}`, start);
  }
  tokens.push({ kind: 'eof', text: '', offset: n, end: n, row, col: n - lineStart + 1, spaceBefore, newlineBefore });
  return { tokens, comments };
}

function scanNumber(source: string, start: number, fail: (m: string, at: number) => never): number {
  let i = start;
  const n = source.length;
  const digits = () => {
    const s = i;
    while (i < n && isDigit(source.charCodeAt(i))) i++;
    return i - s;
  };
  if (source.charCodeAt(i) === 48 && i + 1 < n && isDigit(source.charCodeAt(i + 1))) fail('invalid number', start);
  digits();
  if (source.charCodeAt(i) === 46) {
    i++;
    if (digits() === 0) fail('invalid number', start);
  }
  const e = source.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = source.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    if (digits() === 0) fail('invalid number', start);
  }
  const after = source.charCodeAt(i);
  if (i < n && (isIdentPart(after) || after === 46)) fail('invalid number', start);
  return i;
}

function scanString(source: string, start: number, fail: (m: string, at: number) => never): [string, number] {
  let i = start + 1;
  const n = source.length;
  let out = '';
  let chunk = i;
  while (true) {
    if (i >= n) fail('unterminated string', start);
    const c = source.charCodeAt(i);
    if (c === 34) break;
    if (c === 10) fail('unterminated string', start);
    // String literals are JSON strings: raw control characters are not allowed.
    if (c < 0x20) fail('invalid control character in string', i);
    if (c === 92) {
      out += source.slice(chunk, i);
      const e = source[i + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          i += 2;
          break;
        case 'b':
          out += '\b';
          i += 2;
          break;
        case 'f':
          out += '\f';
          i += 2;
          break;
        case 'n':
          out += '\n';
          i += 2;
          break;
        case 'r':
          out += '\r';
          i += 2;
          break;
        case 't':
          out += '\t';
          i += 2;
          break;
        case 'u': {
          const hex = source.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid escape sequence in string', i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
          break;
        }
        default:
          fail('invalid escape sequence in string', i);
      }
      chunk = i;
      continue;
    }
    i++;
  }
  out += source.slice(chunk, i);
  return [out, i + 1];
}
