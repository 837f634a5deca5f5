import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { isInteger, type Num, toBigInt, toFloat } from '../number.ts';
import { SetValue, type Value } from '../value.ts';
import { codePointLength } from './aggregates.ts';
import { builtin, int, num, obj, operandError, str, stringCollection } from './operands.ts';
import { sprintf } from './sprintf.ts';

/** Code-point index of `sub` in `s` (Rego counts characters, not UTF-16 units). */
function codePointIndex(s: string, unitIndex: number): number {
  return codePointLength(s.slice(0, unitIndex));
}

/** Go's strings.Split: an empty separator splits into characters. */
export function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

/** Go's strings.Replace with n = -1: an empty `old` inserts between characters. */
function goReplaceAll(s: string, old: string, replacement: string): string {
  if (old === '') {
    const chars = Array.from(s);
    return replacement + chars.map((c) => c + replacement).join('');
  }
  return s.split(old).join(replacement);
}

/** Go's unicode.IsSpace set, used by strings.TrimSpace. */
const GO_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function trimChars(s: string, cutset: string, left: boolean, right: boolean): string {
  const cut = new Set(Array.from(cutset));
  const chars = Array.from(s);
  let start = 0;
  let end = chars.length;
  if (left) while (start < end && cut.has(chars[start] as string)) start++;
  if (right) while (end > start && cut.has(chars[end - 1] as string)) end--;
  return chars.slice(start, end).join('');
}

/** Go's strings.NewReplacer(old1, new1, …).Replace: leftmost match, earlier pairs win ties. */
function replaceMany(s: string, pairs: Array<[string, string]>): string {
  let out = '';
  let i = 0;
  while (i <= s.length) {
    let matched: [string, string] | undefined;
    for (const pair of pairs) {
      if (pair[0] === '' ? true : s.startsWith(pair[0], i)) {
        matched = pair;
        break;
      }
    }
    if (matched !== undefined && matched[0] !== '') {
      out += matched[1];
      i += matched[0].length;
      continue;
    }
    if (matched !== undefined) out += matched[1];
    if (i < s.length) {
      const cp = s.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      out += ch;
      i += ch.length;
    } else break;
  }
  return out;
}

function affixOperand(args: readonly Value[], i: number): string[] {
  const v = args[i] as Value;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof SetValue) return stringCollection(args, i);
  throw operandError(i + 1, v, 'string', 'set', 'array');
}

function formatInt(n: Num, base: number): string {
  let whole: bigint;
  if (isInteger(n)) whole = toBigInt(n);
  else whole = BigInt(Math.trunc(toFloat(n)));
  return whole.toString(base);
}

export const stringBuiltins: BuiltinDefinition[] = [
  builtin('concat', 2, (args) => {
    const sep = str(args, 0);
    const v = args[1] as Value;
    if (!Array.isArray(v) && !(v instanceof SetValue)) throw operandError(2, v, 'set', 'array');
    return stringCollection(args, 1).join(sep);
  }),
  builtin('contains', 2, (args) => str(args, 0).includes(str(args, 1))),
  builtin('startswith', 2, (args) => str(args, 0).startsWith(str(args, 1))),
  builtin('endswith', 2, (args) => str(args, 0).endsWith(str(args, 1))),
  builtin('format_int', 2, (args) => {
    const n = num(args, 0);
    const base = int(args, 1);
    if (![2, 8, 10, 16].includes(base)) throw new BuiltinError('operand 2 must be one of {2, 8, 10, 16}', true);
    return formatInt(n, base);
  }),
  builtin('indexof', 2, (args) => {
    const s = str(args, 0);
    const sub = str(args, 1);
    const at = s.indexOf(sub);
    return at < 0 ? -1 : codePointIndex(s, at);
  }),
  builtin('indexof_n', 2, (args) => {
    const s = str(args, 0);
    const sub = str(args, 1);
    const out: Value[] = [];
    if (sub === '') return out;
    for (let at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + 1)) out.push(codePointIndex(s, at));
    return out;
  }),
  builtin('lower', 1, (args) => str(args, 0).toLowerCase()),
  builtin('upper', 1, (args) => str(args, 0).toUpperCase()),
  builtin('split', 2, (args) => goSplit(str(args, 0), str(args, 1))),
  builtin('replace', 3, (args) => goReplaceAll(str(args, 0), str(args, 1), str(args, 2))),
  builtin('strings.replace_n', 2, (args) => {
    const patterns = obj(args, 0);
    const s = str(args, 1);
    const pairs: Array<[string, string]> = [];
    for (const [k, v] of patterns.sorted()) {
      if (typeof k !== 'string') throw new BuiltinError('operand 1 keys must be strings', true);
      if (typeof v !== 'string') throw new BuiltinError('operand 1 values must be strings', true);
      pairs.push([k, v]);
    }
    return replaceMany(s, pairs);
  }),
  builtin('substring', 3, (args) => {
    const s = str(args, 0);
    const start = int(args, 1);
    const length = int(args, 2);
    if (start < 0) throw new BuiltinError('negative offset');
    const chars = Array.from(s);
    if (start >= chars.length) return '';
    return (length < 0 ? chars.slice(start) : chars.slice(start, start + length)).join('');
  }),
  builtin('trim', 2, (args) => trimChars(str(args, 0), str(args, 1), true, true)),
  builtin('trim_left', 2, (args) => trimChars(str(args, 0), str(args, 1), true, false)),
  builtin('trim_right', 2, (args) => trimChars(str(args, 0), str(args, 1), false, true)),
  builtin('trim_prefix', 2, (args) => {
    const s = str(args, 0);
    const p = str(args, 1);
    return s.startsWith(p) ? s.slice(p.length) : s;
  }),
  builtin('trim_suffix', 2, (args) => {
    const s = str(args, 0);
    const p = str(args, 1);
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  }),
  builtin('trim_space', 1, (args) => str(args, 0).replace(GO_SPACE, '')),
  builtin('strings.reverse', 1, (args) => Array.from(str(args, 0)).reverse().join('')),
  builtin('strings.count', 2, (args) => {
    const s = str(args, 0);
    const sub = str(args, 1);
    if (sub === '') return codePointLength(s) + 1;
    return s.split(sub).length - 1;
  }),
  builtin('strings.any_prefix_match', 2, (args) => {
    const search = affixOperand(args, 0);
    const bases = affixOperand(args, 1);
    return search.some((s) => bases.some((b) => s.startsWith(b)));
  }),
  builtin('strings.any_suffix_match', 2, (args) => {
    const search = affixOperand(args, 0);
    const bases = affixOperand(args, 1);
    return search.some((s) => bases.some((b) => s.endsWith(b)));
  }),
  builtin('sprintf', 2, (args) => {
    const format = str(args, 0);
    const values = args[1] as Value;
    if (!Array.isArray(values)) throw operandError(2, values, 'array');
    return sprintf(format, values as Value[]);
  }),
  builtin('strings.render_template', 2, (args) => {
    const template = str(args, 0);
    const vars = obj(args, 1);
    return template.replace(/\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
      const v = vars.get(name);
      return v === undefined ? '<no value>' : typeof v === 'string' ? v : sprintf('%v', [v]);
    });
  }),
];
