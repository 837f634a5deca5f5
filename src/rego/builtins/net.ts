import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { SetValue, type Value } from '../value.ts';
import { builtin, collection, operandError, str } from './operands.ts';

/** An IPv4 or IPv6 address as a number; IPv4-mapped IPv6 addresses count as IPv4, as in Go. */
export interface IpAddress {
  readonly v6: boolean;
  readonly value: bigint;
}

export interface Cidr {
  readonly v6: boolean;
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
}

export function parseIp(text: string): IpAddress | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    let value = 0n;
    for (const part of text.split('.')) {
      if (part.length > 1 && part.startsWith('0')) return undefined;
      const n = Number(part);
      if (n > 255) return undefined;
      value = (value << 8n) | BigInt(n);
    }
    return { v6: false, value };
  }
  if (!text.includes(':') || /[^0-9a-fA-F:.]/.test(text)) return undefined;
  let head = text;
  let v4tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIp(text.slice(lastColon + 1));
    if (v4 === undefined || v4.v6) return undefined;
    v4tail = v4.value;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parse(halves[0] as string);
  const right = halves.length === 2 ? parse(halves[1] as string) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (v4tail !== undefined) value = (value & ~0xffffffffn) | v4tail;
  if (value >> 32n === 0xffffn) return { v6: false, value: value & 0xffffffffn };
  return { v6: true, value };
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const bits = ip.v6 ? 128 : 32;
  let prefix = Number(prefixText);
  // An IPv4-mapped IPv6 CIDR (::ffff:a.b.c.d/n) counts its prefix over 128 bits.
  if (!ip.v6 && text.slice(0, slash).includes(':')) prefix -= 96;
  if (prefix < 0 || prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const first = (ip.value >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { v6: ip.v6, first, last, prefix };
}

function formatIp(ip: IpAddress): string {
  if (!ip.v6) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 255n)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  // Compress the longest run of zero groups (length ≥ 2), as Go does.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function cidrOperand(args: readonly Value[], i: number): Cidr {
  const text = str(args, i);
  const c = parseCidr(text);
  if (c === undefined) throw new BuiltinError(`invalid CIDR address: ${text}`);
  return c;
}

/** A CIDR or a single address as a range. */
function cidrOrIp(text: string): Cidr | undefined {
  const c = parseCidr(text);
  if (c !== undefined) return c;
  const ip = parseIp(text);
  if (ip === undefined) return undefined;
  return { v6: ip.v6, first: ip.value, last: ip.value, prefix: ip.v6 ? 128 : 32 };
}

function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.v6 === inner.v6 && inner.first >= outer.first && inner.last <= outer.last;
}

/** Guards net.cidr_expand against huge ranges. */
const MAX_EXPAND = 65536n;

function namedCidrs(args: readonly Value[], i: number): Array<[Value, string]> {
  const v = args[i] as Value;
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) {
    return v.map((x, idx) => {
      const text = Array.isArray(x) ? x[0] : x;
      if (typeof text !== 'string') throw operandError(i + 1, v, 'string', 'array', 'set', 'object');
      return [idx, text];
    });
  }
  return collection(args, i, 'set', 'object').map((x) => {
    const text = Array.isArray(x) ? x[0] : x;
    if (typeof text !== 'string') throw operandError(i + 1, v, 'string', 'array', 'set', 'object');
    return [x, text];
  });
}

export const netBuiltins: BuiltinDefinition[] = [
  builtin('net.cidr_contains', 2, (args) => {
    const outer = cidrOperand(args, 0);
    const text = str(args, 1);
    const inner = cidrOrIp(text);
    if (inner === undefined) throw new BuiltinError(`invalid CIDR address: ${text}`);
    return contains(outer, inner);
  }),
  builtin('net.cidr_intersects', 2, (args) => {
    const a = cidrOperand(args, 0);
    const b = cidrOperand(args, 1);
    return a.v6 === b.v6 && a.first <= b.last && b.first <= a.last;
  }),
  builtin('net.cidr_is_valid', 1, ([x]) => typeof x === 'string' && parseCidr(x) !== undefined),
  builtin('net.cidr_expand', 1, (args) => {
    const c = cidrOperand(args, 0);
    if (c.last - c.first + 1n > MAX_EXPAND) throw new BuiltinError('CIDR too large to expand');
    const out = new SetValue();
    for (let v = c.first; v <= c.last; v++) out.add(formatIp({ v6: c.v6, value: v }));
    return out;
  }),
  builtin('net.cidr_contains_matches', 2, (args) => {
    const out = new SetValue();
    const outers = namedCidrs(args, 0);
    const inners = namedCidrs(args, 1);
    for (const [ok, otext] of outers) {
      const outer = parseCidr(otext);
      if (outer === undefined) throw new BuiltinError(`invalid CIDR address: ${otext}`);
      for (const [ik, itext] of inners) {
        const inner = cidrOrIp(itext);
        if (inner === undefined) throw new BuiltinError(`invalid CIDR address: ${itext}`);
        if (contains(outer, inner)) out.add([ok, ik]);
      }
    }
    return out;
  }),
];

export { formatIp };
