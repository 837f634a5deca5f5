import { VigilError } from '../../../errors/index.ts';

/** One module line of Go build info (`mod`, `dep`, or a `=>` replacement). */
export interface GoModule {
  path: string;
  version: string;
  sum: string;
  replace?: GoModule;
}

export interface GoBuildSetting {
  key: string;
  value: string;
}

/** Go's runtime/debug.BuildInfo. */
export interface GoBuildInfo {
  goVersion: string;
  path: string;
  main: GoModule;
  deps: GoModule[];
  settings: GoBuildSetting[];
}

function modinfoError(message: string): VigilError {
  return new VigilError('GO_MODINFO', `could not parse Go build info: ${message}`);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * The length of the Go string literal (`"…"` with escapes, or a raw `` `…` `` string) at the
 * start of `text`, and its value; undefined when there is none (strconv.QuotedPrefix/Unquote).
 */
export function goQuotedPrefix(text: string): { raw: string; value: string } | undefined {
  const quote = text[0];
  if (quote === '`') {
    const end = text.indexOf('`', 1);
    return end === -1 ? undefined : { raw: text.slice(0, end + 1), value: text.slice(1, end).replaceAll('\r', '') };
  }
  if (quote !== '"') return undefined;
  const bytes: number[] = [];
  const pushText = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
  for (let i = 1; i < text.length; ) {
    const c = text[i] ?? '';
    if (c === '"') return { raw: text.slice(0, i + 1), value: Buffer.from(bytes).toString('utf8') };
    if (c === '\n') return undefined;
    if (c !== '\\') {
      const codePoint = text.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(codePoint);
      pushText(char);
      i += char.length;
      continue;
    }
    const e = text[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined && e !== "'") {
      pushText(simple);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
      const value = Number.parseInt(hex, 16);
      if (e === 'x') bytes.push(value);
      else if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) return undefined;
      else pushText(String.fromCodePoint(value));
      i += 2 + digits;
    } else if (e >= '0' && e <= '7') {
      const octal = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(octal)) return undefined;
      const value = Number.parseInt(octal, 8);
      if (value > 255) return undefined;
      bytes.push(value);
      i += 4;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** Go quotes build-setting keys with these characters, and values with these or a leading quote. */
const needsQuotedKey = (key: string): boolean => key.length === 0 || /[= \t\r\n"`]/.test(key);
const needsQuotedValue = (value: string): boolean => /[ \t\r\n"`]/.test(value);

function moduleLine(fields: string[]): GoModule {
  if (fields.length !== 2 && fields.length !== 3) {
    throw modinfoError(`expected 2 or 3 columns; got ${fields.length}`);
  }
  return { path: fields[0] ?? '', version: fields[1] ?? '', sum: fields[2] ?? '' };
}

function buildSetting(kv: string): GoBuildSetting {
  if (kv.length < 1) throw modinfoError("build line missing '='");
  let key: string;
  let rawValue: string;
  if (kv[0] === '=') throw modinfoError('build line with missing key');
  if (kv[0] === '`' || kv[0] === '"') {
    const quoted = goQuotedPrefix(kv);
    if (!quoted) throw modinfoError('invalid quoted key in build line');
    if (kv.length === quoted.raw.length) throw modinfoError("build line missing '=' after quoted key");
    if (kv[quoted.raw.length] !== '=') throw modinfoError('unexpected character after quoted key');
    key = quoted.value;
    rawValue = kv.slice(quoted.raw.length + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq === -1) throw modinfoError("build line missing '=' after key");
    key = kv.slice(0, eq);
    rawValue = kv.slice(eq + 1);
    if (needsQuotedKey(key)) throw modinfoError(`unquoted key ${JSON.stringify(key)} must be quoted`);
  }
  let value = rawValue;
  if (rawValue[0] === '`' || rawValue[0] === '"') {
    const quoted = goQuotedPrefix(rawValue);
    if (!quoted || quoted.raw.length !== rawValue.length) throw modinfoError('invalid quoted value in build line');
    value = quoted.value;
  } else if (needsQuotedValue(value)) {
    throw modinfoError(`unquoted value ${JSON.stringify(value)} must be quoted`);
  }
  return { key, value };
}

/** Parses the modinfo text (Go's runtime/debug.ParseBuildInfo); the Go version comes separately. */
export function parseModInfo(goVersion: string, text: string): GoBuildInfo {
  const info: GoBuildInfo = {
    goVersion,
    path: '',
    main: { path: '', version: '', sum: '' },
    deps: [],
    settings: [],
  };
  let last: GoModule | undefined;
  let rest = text;
  for (;;) {
    const newline = rest.indexOf('\n');
    if (newline === -1) break;
    const line = rest.slice(0, newline);
    rest = rest.slice(newline + 1);
    if (line.startsWith('go\t')) {
      info.goVersion = line.slice(3);
    } else if (line.startsWith('path\t')) {
      info.path = line.slice(5);
    } else if (line.startsWith('mod\t')) {
      info.main = moduleLine(line.slice(4).split('\t'));
      last = info.main;
    } else if (line.startsWith('dep\t')) {
      last = moduleLine(line.slice(4).split('\t'));
      info.deps.push(last);
    } else if (line.startsWith('=>\t')) {
      const fields = line.slice(3).split('\t');
      if (fields.length !== 3) throw modinfoError(`expected 3 columns for replacement; got ${fields.length}`);
      if (!last) throw modinfoError('replacement with no module on previous line');
      last.replace = { path: fields[0] ?? '', version: fields[1] ?? '', sum: fields[2] ?? '' };
      last = undefined;
    } else if (line.startsWith('build\t')) {
      info.settings.push(buildSetting(line.slice(6)));
    }
  }
  return info;
}
