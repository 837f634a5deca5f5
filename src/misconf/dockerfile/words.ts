/**
 * Word-level pieces of BuildKit's Dockerfile parser, which Trivy uses: instruction and flag
 * splitting, word lists with quotes kept, JSON (exec) form and heredoc markers. Quirks such as
 * quotes staying inside words are kept on purpose: checks read these strings as Trivy gives them.
 */

/** Go's unicode.IsSpace: ASCII white space plus NEL, NBSP and the Unicode space separators. */
export function isGoSpace(ch: string): boolean {
  switch (ch) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u00a0':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
      return true;
    default:
      return ch >= '\u2000' && ch <= '\u200a';
  }
}

export function trimLeftGoSpace(text: string): string {
  let start = 0;
  for (const ch of text) {
    if (!isGoSpace(ch)) break;
    start += ch.length;
  }
  return text.slice(start);
}

export function trimGoSpace(text: string): string {
  const left = trimLeftGoSpace(text);
  const chars = [...left];
  let end = chars.length;
  while (end > 0 && isGoSpace(chars[end - 1] as string)) end -= 1;
  return chars.slice(0, end).join('');
}

/** BuildKit's `[\t\v\f\r ]+`, the separator between an instruction and its arguments. */
const INSTRUCTION_SPACE = /[\t\v\f\r ]+/g;

/** Splits on BuildKit's whitespace class, at most `limit` parts (Go's regexp Split semantics). */
export function splitWhitespace(text: string, limit = -1): string[] {
  const parts: string[] = [];
  const pattern = new RegExp(INSTRUCTION_SPACE.source, 'g');
  let start = 0;
  while (limit < 0 || parts.length < limit - 1) {
    const match = pattern.exec(text);
    if (!match) break;
    parts.push(text.slice(start, match.index));
    start = match.index + match[0].length;
  }
  parts.push(text.slice(start));
  return parts;
}

export interface SplitCommand {
  /** The instruction as written (case kept). */
  readonly cmd: string;
  /** `--name=value` words before the arguments; null when the instruction has no arguments at all. */
  readonly flags: string[] | null;
  readonly args: string;
}

/** `RUN --mount=x echo hi` → cmd `RUN`, flags `["--mount=x"]`, args `echo hi`. */
export function splitCommand(line: string): SplitCommand {
  const parts = splitWhitespace(trimGoSpace(line), 2);
  const cmd = parts[0] ?? '';
  if (parts.length < 2) return { cmd, flags: null, args: '' };
  const { rest, flags } = extractBuilderFlags(parts[1] ?? '');
  return { cmd, flags, args: trimGoSpace(rest) };
}

/** Leading `--flag` words (quotes and backslashes resolved); stops at the first other word or `--`. */
export function extractBuilderFlags(line: string): { rest: string; flags: string[] } {
  const flags: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOk = false;
  for (let pos = 0; pos <= line.length; pos += 1) {
    const ch = pos < line.length ? (line[pos] as string) : '';
    if (phase === 'spaces') {
      if (pos === line.length) break;
      if (isGoSpace(ch)) continue;
      if (ch !== '-' || pos + 1 === line.length || line[pos + 1] !== '-') return { rest: line.slice(pos), flags };
      phase = 'word';
    }
    if (pos === line.length) {
      if (word !== '--' && (blankOk || word.length > 0)) flags.push(word);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (word === '--') return { rest: line.slice(pos), flags };
        if (blankOk || word.length > 0) flags.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
        continue;
      }
      let next = ch;
      if (ch === '\\') {
        if (pos + 1 === line.length) continue;
        pos += 1;
        next = line[pos] as string;
      }
      word += next;
      continue;
    }
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    let next = ch;
    if (ch === '\\') {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      pos += 1;
      next = line[pos] as string;
    }
    word += next;
  }
  return { rest: '', flags };
}

/**
 * Space-separated words with quotes and escape tokens kept in the word (ENV, LABEL, ARG); BuildKit
 * strips them later, Trivy never does.
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  const words: string[] = [];
  const chars = [...rest];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOk = false;
  let word = '';
  for (let pos = 0; pos <= chars.length; pos += 1) {
    const atEnd = pos === chars.length;
    let ch = atEnd ? '' : (chars[pos] as string);
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isGoSpace(ch)) continue;
      phase = 'word';
    }
    if (atEnd) {
      if (blankOk || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue;
        word += ch;
        pos += 1;
        ch = chars[pos] as string;
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      pos += 1;
      word += ch;
      ch = chars[pos] as string;
    }
    word += ch;
  }
  return words;
}

export class NotStringArrayError extends Error {
  constructor() {
    super('when using JSON array syntax, arrays must be comprised of strings only');
  }
}

/** The exec form `["a", "b"]`: the strings, or undefined when the text is not a JSON array. */
export function parseJsonArray(rest: string): string[] | undefined {
  const text = trimLeftGoSpace(rest);
  if (!text.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (!parsed.every((item) => typeof item === 'string')) throw new NotStringArrayError();
  return parsed as string[];
}

/**
 * Shell-like words as BuildKit's lexer returns them with raw quotes and escapes (used to find
 * heredoc markers in an instruction line): quotes and backslashes stay, white space separates.
 */
export function rawShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let pos = 0; pos < line.length; pos += 1) {
    const ch = line[pos] as string;
    if (ch === "'" || ch === '"') {
      const close = findClosingQuote(line, pos);
      word += line.slice(pos, close + 1);
      pos = close;
      inWord = true;
      continue;
    }
    if (ch === '\\' && pos + 1 < line.length) {
      word += line.slice(pos, pos + 2);
      pos += 1;
      inWord = true;
      continue;
    }
    if (isGoSpace(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += ch;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words;
}

function findClosingQuote(line: string, open: number): number {
  const quote = line[open];
  for (let pos = open + 1; pos < line.length; pos += 1) {
    if (quote === '"' && line[pos] === '\\') {
      pos += 1;
      continue;
    }
    if (line[pos] === quote) return pos;
  }
  return line.length - 1;
}

/** One shell word with its quotes and escapes resolved, or undefined if the text is not exactly one word. */
export function singleShellWord(text: string): string | undefined {
  const raw = rawShellWords(text);
  if (raw.length !== 1) return undefined;
  const source = raw[0] as string;
  let out = '';
  for (let pos = 0; pos < source.length; pos += 1) {
    const ch = source[pos] as string;
    if (ch === "'") {
      const close = source.indexOf("'", pos + 1);
      const end = close < 0 ? source.length : close;
      out += source.slice(pos + 1, end);
      pos = end;
    } else if (ch === '"') {
      for (pos += 1; pos < source.length && source[pos] !== '"'; pos += 1) {
        if (source[pos] === '\\' && pos + 1 < source.length) pos += 1;
        out += source[pos];
      }
    } else if (ch === '\\' && pos + 1 < source.length) {
      pos += 1;
      out += source[pos];
    } else {
      out += ch;
    }
  }
  return out;
}

export interface HeredocMarker {
  readonly name: string;
  /** `<<-`: leading tabs are removed from the body and the terminator. */
  readonly chomp: boolean;
}

const HEREDOC_MARKER = /^(\d*)<<(-?)([^<]*)$/;

/** `<<EOF`, `<<-"END"`, `2<<EOF` → the marker; anything else → undefined. */
export function parseHeredocMarker(word: string): HeredocMarker | undefined {
  const match = HEREDOC_MARKER.exec(word);
  if (!match) return undefined;
  const rest = match[3] ?? '';
  if (rest === '') return undefined;
  const name = singleShellWord(rest);
  if (name === undefined) return undefined;
  return { name, chomp: match[2] === '-' };
}
