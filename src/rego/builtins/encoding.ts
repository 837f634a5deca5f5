import { parseAllDocuments, parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { fromJS, parseJSON, toJS, toJSONText } from '../json.ts';
import { ObjectValue, SetValue, type Value } from '../value.ts';
import { builtin, obj, operandError, str } from './operands.ts';

/** Go's json.Marshal escapes <, > and & (HTML-safe output); OPA's json.marshal inherits that. */
function htmlEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function marshal(v: Value): string {
  return htmlEscape(toJSONText(v));
}

function yamlError(error: unknown): BuiltinError {
  const e = error as { message?: string; code?: string; linePos?: Array<{ line: number }> };
  const line = e.linePos?.[0]?.line ?? 1;
  let message = (e.message ?? String(error)).split('\n')[0] as string;
  message = message.replace(/ at line \d+, column \d+:?$/, '');
  if (e.code === 'MISSING_CHAR' && /Flow sequence/.test(message)) message = "did not find expected ',' or ']'";
  if (e.code === 'MISSING_CHAR' && /Flow map/.test(message)) message = "did not find expected ',' or '}'";
  return new BuiltinError(`yaml: line ${line}: ${message}`);
}

export function parseYamlValue(text: string): Value {
  const docs = parseAllDocuments(text, { intAsBigInt: true, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  if (first === undefined) return null;
  if (first.errors.length > 0) throw yamlError(first.errors[0]);
  return fromJS(first.toJS({ maxAliasCount: 100 }) as unknown);
}

function base64Decode(s: string, url: boolean): string {
  const normalized = url ? s.replace(/-/g, '+').replace(/_/g, '/') : s;
  const unpadded = normalized.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) || unpadded.length % 4 === 1) {
    throw new BuiltinError(`illegal base64 data at input byte ${Math.max(0, s.search(/[^A-Za-z0-9+/=_-]/))}`);
  }
  if (!url && normalized.length % 4 !== 0) throw new BuiltinError('illegal base64 data at input byte 0');
  return Buffer.from(unpadded, 'base64').toString('utf8');
}

/** Go's url.QueryEscape. */
function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function queryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new BuiltinError(`invalid URL escape ${JSON.stringify(s)}`);
  }
}

export const encodingBuiltins: BuiltinDefinition[] = [
  builtin('json.marshal', 1, ([x]) => marshal(x as Value)),
  builtin('json.marshal_with_options', 2, (args) => {
    const opts = obj(args, 1);
    let pretty = false;
    let indent = '\t';
    let prefix = '';
    for (const [k, v] of opts.sorted()) {
      if (k === 'pretty' && typeof v === 'boolean') pretty = v;
      else if (k === 'indent' && typeof v === 'string') {
        indent = v;
        pretty = pretty || opts.get('pretty') === undefined;
      } else if (k === 'prefix' && typeof v === 'string') {
        prefix = v;
        pretty = pretty || opts.get('pretty') === undefined;
      } else throw new BuiltinError(`object keys must be one of "pretty", "indent", "prefix"`, true);
    }
    const compact = marshal(args[0] as Value);
    if (!pretty) return compact;
    const text = JSON.stringify(JSON.parse(compact), null, indent);
    return text
      .split('\n')
      .map((line) => prefix + line)
      .join('\n');
  }),
  builtin('json.unmarshal', 1, (args) => {
    const s = str(args, 0);
    try {
      return parseJSON(s);
    } catch (error) {
      throw new BuiltinError((error as Error).message);
    }
  }),
  builtin('json.is_valid', 1, ([s]) => {
    if (typeof s !== 'string') return false;
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  }),
  builtin('yaml.marshal', 1, ([x]) =>
    stringifyYaml(toJS(x as Value), { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false }),
  ),
  builtin('yaml.unmarshal', 1, (args) => parseYamlValue(str(args, 0))),
  builtin('yaml.is_valid', 1, ([s]) => {
    if (typeof s !== 'string') return false;
    try {
      parseYaml(s);
      return true;
    } catch {
      return false;
    }
  }),
  builtin('base64.encode', 1, (args) => Buffer.from(str(args, 0), 'utf8').toString('base64')),
  builtin('base64.decode', 1, (args) => base64Decode(str(args, 0), false)),
  builtin('base64.is_valid', 1, ([s]) => {
    if (typeof s !== 'string') return false;
    try {
      base64Decode(s, false);
      return true;
    } catch {
      return false;
    }
  }),
  builtin('base64url.encode', 1, (args) =>
    Buffer.from(str(args, 0), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
  ),
  builtin('base64url.encode_no_pad', 1, (args) => Buffer.from(str(args, 0), 'utf8').toString('base64url')),
  builtin('base64url.decode', 1, (args) => base64Decode(str(args, 0), true)),
  builtin('hex.encode', 1, (args) => Buffer.from(str(args, 0), 'utf8').toString('hex')),
  builtin('hex.decode', 1, (args) => {
    const s = str(args, 0);
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new BuiltinError(`encoding/hex: invalid byte in ${JSON.stringify(s)}`);
    return Buffer.from(s, 'hex').toString('utf8');
  }),
  builtin('urlquery.encode', 1, (args) => queryEscape(str(args, 0))),
  builtin('urlquery.decode', 1, (args) => queryUnescape(str(args, 0))),
  builtin('urlquery.encode_object', 1, (args) => {
    const o = obj(args, 0);
    const parts: string[] = [];
    for (const [k, v] of o.sorted()) {
      if (typeof k !== 'string') throw operandError(1, o, 'object[string]');
      const values =
        typeof v === 'string' ? [v] : Array.isArray(v) ? v : v instanceof SetValue ? v.sorted() : undefined;
      if (values === undefined) throw operandError(1, o, 'object of strings, arrays or sets');
      for (const x of values) {
        if (typeof x !== 'string') throw operandError(1, o, 'object of strings');
        parts.push(`${queryEscape(k)}=${queryEscape(x)}`);
      }
    }
    return parts.join('&');
  }),
  builtin('urlquery.decode_object', 1, (args) => {
    const out = new Map<string, string[]>();
    for (const part of str(args, 0).split(/[&;]/)) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
      const v = eq < 0 ? '' : queryUnescape(part.slice(eq + 1));
      out.set(k, [...(out.get(k) ?? []), v]);
    }
    const result = new ObjectValue();
    for (const [k, v] of out) result.set(k, v);
    return result;
  }),
];
