import type { Location } from '../types.ts';

/**
 * A JSON reader that remembers where each object and array starts and ends (1-based lines of
 * its `{` and `}`), which is how Trivy reports the Locations of lock-file entries. `jsonc` also
 * accepts comments and trailing commas (bun.lock). Nesting is bounded so hostile input cannot
 * exhaust the stack; malformed input throws a SyntaxError naming the line.
 */
export interface LocatedJson {
  value: unknown;
  /** Where an object or array taken from `value` sits in the text. */
  locationOf(node: unknown): Location | undefined;
  /** The line on which each element of an array taken from `value` starts. */
  elementLines(array: unknown): readonly number[] | undefined;
}

export interface LocatedJsonOptions {
  jsonc?: boolean;
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 512;

export function parseLocatedJson(text: string, options: LocatedJsonOptions = {}): LocatedJson {
  const reader = new JsonReader(text, options.jsonc ?? false, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  reader.skipSpace();
  const value = reader.readValue(0);
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail('unexpected data after the top-level value');
  const { locations, elementLines } = reader;
  return {
    value,
    locationOf: (node) => (typeof node === 'object' && node ? locations.get(node) : undefined),
    elementLines: (array) => (Array.isArray(array) ? elementLines.get(array) : undefined),
  };
}

class JsonReader {
  pos = 0;
  line = 1;
  readonly locations = new WeakMap<object, Location>();
  readonly elementLines = new WeakMap<unknown[], number[]>();
  private readonly text: string;
  private readonly jsonc: boolean;
  private readonly maxDepth: number;

  constructor(text: string, jsonc: boolean, maxDepth: number) {
    // A byte-order mark is not JSON, but editors write it and Go's decoder tolerates none; Trivy
    // files with one fail there too, so only strip it when reading JSONC.
    this.text = jsonc && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    this.jsonc = jsonc;
    this.maxDepth = maxDepth;
  }

  fail(message: string): never {
    throw new SyntaxError(`${message} at line ${this.line}`);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x0a) {
        this.line += 1;
        this.pos += 1;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.pos += 1;
      } else if (this.jsonc && c === 0x2f && text.charCodeAt(this.pos + 1) === 0x2f) {
        while (this.pos < text.length && text.charCodeAt(this.pos) !== 0x0a) this.pos += 1;
      } else if (this.jsonc && c === 0x2f && text.charCodeAt(this.pos + 1) === 0x2a) {
        const end = text.indexOf('*/', this.pos + 2);
        if (end === -1) this.fail('unterminated comment');
        this.countLines(this.pos, end + 2);
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  private countLines(from: number, to: number): void {
    for (let i = from; i < to; i += 1) if (this.text.charCodeAt(i) === 0x0a) this.line += 1;
  }

  readValue(depth: number): unknown {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.readObject(depth + 1);
      case '[':
        return this.readArray(depth + 1);
      case '"':
        return this.readString();
      case 't':
        return this.readWord('true', true);
      case 'f':
        return this.readWord('false', false);
      case 'n':
        return this.readWord('null', null);
      case undefined:
        return this.fail('unexpected end of JSON');
      default:
        return this.readNumber();
    }
  }

  private readWord<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return value;
  }

  private readNumber(): number {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!match) this.fail(`unexpected character ${JSON.stringify(this.text[this.pos])}`);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private readString(): string {
    const text = this.text;
    const start = this.pos + 1;
    let end = start;
    let escaped = false;
    for (;;) {
      if (end >= text.length) this.fail('unterminated string');
      const c = text.charCodeAt(end);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        end += 2;
        continue;
      }
      if (c < 0x20) this.fail('control character in string');
      end += 1;
    }
    this.pos = end + 1;
    const raw = text.slice(start, end);
    if (!escaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return this.fail('invalid escape in string');
    }
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
  }

  private readObject(depth: number): Record<string, unknown> {
    this.enter(depth);
    const startLine = this.line;
    const object: Record<string, unknown> = {};
    this.pos += 1;
    this.skipSpace();
    let first = true;
    for (;;) {
      if (this.text[this.pos] === '}') break;
      if (!first) {
        if (this.text[this.pos] !== ',') this.fail("expected ',' or '}' in object");
        this.pos += 1;
        this.skipSpace();
        if (this.jsonc && this.text[this.pos] === '}') break;
      }
      first = false;
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.readString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':' after key");
      this.pos += 1;
      this.skipSpace();
      const value = this.readValue(depth);
      // `__proto__` must stay plain data; plain assignment keeps other objects fast.
      if (key === '__proto__') {
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        object[key] = value;
      }
      this.skipSpace();
    }
    this.pos += 1;
    this.locations.set(object, { StartLine: startLine, EndLine: this.line });
    return object;
  }

  private readArray(depth: number): unknown[] {
    this.enter(depth);
    const startLine = this.line;
    const array: unknown[] = [];
    const lines: number[] = [];
    this.pos += 1;
    this.skipSpace();
    let first = true;
    for (;;) {
      if (this.text[this.pos] === ']') break;
      if (!first) {
        if (this.text[this.pos] !== ',') this.fail("expected ',' or ']' in array");
        this.pos += 1;
        this.skipSpace();
        if (this.jsonc && this.text[this.pos] === ']') break;
      }
      first = false;
      lines.push(this.line);
      array.push(this.readValue(depth));
      this.skipSpace();
    }
    this.pos += 1;
    this.locations.set(array, { StartLine: startLine, EndLine: this.line });
    this.elementLines.set(array, lines);
    return array;
  }
}
