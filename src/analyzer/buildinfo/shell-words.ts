/**
 * Dockerfile word processing as BuildKit's shell lexer does it for `ENV` and `LABEL`: quotes are
 * removed, the escape character escapes, and `$NAME`, `${NAME}` and `${NAME:-word}`-style
 * substitutions read variables. The word is never split on spaces.
 */

/** A word Docker itself would reject: unterminated quotes, a bad substitution. */
export class ShellWordError extends Error {
  override name = 'ShellWordError';
}

/** A word whose substitutions produce more than MAX_EXPANDED_WORD characters. */
export class WordLimitError extends Error {
  override name = 'WordLimitError';
}

/** Longest word a substitution may produce: values are names and versions, not payloads. */
export const MAX_EXPANDED_WORD = 64 * 1024;
/** Deepest `${A:-${B:-…}}` nesting followed. */
const MAX_NESTING = 32;

/** Characters that name a shell special parameter (`$@`, `$#`, …), which Dockerfiles leave empty. */
const SPECIAL_PARAMETERS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

const isNameCharacter = (ch: string) => /^[\p{L}\p{Nd}_]$/u.test(ch);
const isDigit = (ch: string) => /^\p{Nd}$/u.test(ch);

class WordScanner {
  private readonly chars: string[];
  private position = 0;

  constructor(text: string) {
    this.chars = [...text];
  }

  peek(): string | undefined {
    return this.chars[this.position];
  }

  next(): string | undefined {
    const ch = this.chars[this.position];
    if (ch !== undefined) this.position += 1;
    return ch;
  }
}

/**
 * Processes one word with `variables` (unset names expand to nothing). `escapeChar` is the
 * Dockerfile's escape character (`\` unless the `escape` directive says `` ` ``).
 */
export function expandShellWord(word: string, variables: ReadonlyMap<string, string>, escapeChar = '\\'): string {
  const scanner = new WordScanner(word);
  return new WordProcessor(scanner, variables, escapeChar).until(undefined);
}

/** Substituted values may repeat each other (`ENV a=$a$a`): words stay bounded however often. */
function bounded(text: string): string {
  if (text.length > MAX_EXPANDED_WORD)
    throw new WordLimitError(`a word expands to more than ${MAX_EXPANDED_WORD} characters`);
  return text;
}

class WordProcessor {
  private readonly scanner: WordScanner;
  private readonly variables: ReadonlyMap<string, string>;
  private readonly escapeChar: string;
  private depth = 0;

  constructor(scanner: WordScanner, variables: ReadonlyMap<string, string>, escapeChar: string) {
    this.scanner = scanner;
    this.variables = variables;
    this.escapeChar = escapeChar;
  }

  /** Reads up to the unquoted `stop` character (consumed), or to the end when `stop` is undefined. */
  until(stop: string | undefined): string {
    this.depth += 1;
    if (this.depth > MAX_NESTING) throw new ShellWordError(`substitutions nested deeper than ${MAX_NESTING}`);
    let out = '';
    for (;;) {
      const ch = this.scanner.next();
      if (ch === undefined) {
        if (stop !== undefined) throw new ShellWordError(`unexpected end of word while looking for matching ${stop}`);
        break;
      }
      if (ch === stop) break;
      if (ch === "'") out += this.singleQuoted();
      else if (ch === '"') out += this.doubleQuoted();
      else if (ch === '$') out += this.dollar();
      else if (ch === this.escapeChar) out += this.scanner.next() ?? '';
      else out += ch;
      bounded(out);
    }
    this.depth -= 1;
    return out;
  }

  private singleQuoted(): string {
    let out = '';
    for (;;) {
      const ch = this.scanner.next();
      if (ch === undefined) throw new ShellWordError('unexpected end of word while looking for matching single-quote');
      if (ch === "'") return out;
      out += ch;
    }
  }

  private doubleQuoted(): string {
    let out = '';
    for (;;) {
      const ch = this.scanner.next();
      if (ch === undefined) throw new ShellWordError('unexpected end of word while looking for matching double-quote');
      if (ch === '"') return out;
      if (ch === '$') {
        out += this.dollar();
        bounded(out);
        continue;
      }
      if (ch === this.escapeChar) {
        const following = this.scanner.peek();
        // Only `"`, `$` and the escape character itself can be escaped; other escapes stay as written.
        if (following === '"' || following === '$' || following === this.escapeChar) {
          out += this.scanner.next();
          continue;
        }
        if (following === undefined) continue;
      }
      out += ch;
    }
  }

  /** After a `$`: a substitution, or a literal `$` when no name follows. */
  private dollar(): string {
    if (this.scanner.peek() !== '{') {
      const name = this.name();
      return name === '' ? '$' : (this.variables.get(name) ?? '');
    }
    this.scanner.next();
    const name = this.name();
    if (name === '') throw new ShellWordError('bad substitution: a substitution without a name');
    const operator = this.scanner.next();
    if (operator === undefined) throw new ShellWordError(`missing } after \${${name}`);
    if (operator === '}') return this.variables.get(name) ?? '';
    let colon = false;
    let kind = operator;
    if (operator === ':') {
      colon = true;
      kind = this.scanner.next() ?? '';
    }
    if (kind !== '-' && kind !== '+' && kind !== '?') {
      throw new ShellWordError(`unsupported substitution \${${name}${colon ? ':' : ''}${kind}…}`);
    }
    const word = this.until('}');
    const value = this.variables.get(name);
    // With a colon an empty value counts as unset, as in the shell.
    const set = value !== undefined && (!colon || value !== '');
    if (kind === '-') return set ? (value as string) : word;
    if (kind === '+') return set ? word : '';
    if (!set) throw new ShellWordError(`${name}: ${word === '' ? 'is not allowed to be unset' : word}`);
    return value as string;
  }

  /** A variable name: letters, digits and `_`; or all leading digits; or one special parameter. */
  private name(): string {
    const first = this.scanner.peek();
    if (first === undefined) return '';
    if (isDigit(first)) {
      let digits = '';
      while (this.scanner.peek() !== undefined && isDigit(this.scanner.peek() as string)) digits += this.scanner.next();
      return digits;
    }
    if (SPECIAL_PARAMETERS.has(first)) return this.scanner.next() as string;
    let name = '';
    while (this.scanner.peek() !== undefined && isNameCharacter(this.scanner.peek() as string)) {
      name += this.scanner.next();
    }
    return name;
  }
}
