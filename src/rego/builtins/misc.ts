import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { formatValue, fromJS } from '../json.ts';
import { normalize } from '../number.ts';
import { ObjectValue, SetValue, type Value } from '../value.ts';
import { builtin, obj, str } from './operands.ts';

function hash(algorithm: string) {
  return (args: readonly Value[]) => createHash(algorithm).update(str(args, 0), 'utf8').digest('hex');
}

function hmac(algorithm: string) {
  return (args: readonly Value[]) => createHmac(algorithm, str(args, 1)).update(str(args, 0), 'utf8').digest('hex');
}

/** print's text for one operand: strings raw, undefined as `<undefined>`, the rest as Rego text. */
function printText(v: Value | undefined): string {
  if (v === undefined) return '<undefined>';
  return typeof v === 'string' ? v : formatValue(v);
}

function uuidV4(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const VARIANTS = ['Reserved', 'Reserved', 'RFC4122', 'Microsoft', 'Future'];
const DOMAINS = ['Person', 'Group', 'Org'];
/** 100-ns intervals between the Gregorian reform (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = 0x01b21dd213814000n;

/** uuid.parse: version, variant, and for versions 1 and 2 the time, clock and node fields. */
function parseUuid(text: string): Value | undefined {
  const m = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i.exec(text);
  if (!m) return undefined;
  const bytes = Buffer.from(m.slice(1).join(''), 'hex');
  const version = (bytes[6] as number) >> 4;
  const v8 = bytes[8] as number;
  const variant = VARIANTS[v8 >> 7 === 0 ? 0 : v8 >> 6 === 2 ? 2 : v8 >> 5 === 6 ? 3 : 4] as string;
  const out = new ObjectValue();
  out.set('version', version);
  out.set('variant', variant);
  if (version === 1 || version === 2) {
    const ticks =
      BigInt(bytes.readUInt32BE(0)) |
      (BigInt(bytes.readUInt16BE(4)) << 32n) |
      (BigInt(bytes.readUInt16BE(6) & 0xfff) << 48n);
    const ns = (ticks - GREGORIAN_OFFSET) * 100n;
    out.set('time', normalize(ns));
    out.set('clocksequence', bytes.readUInt16BE(8) & 0x3fff);
    const node = [...bytes.subarray(10)].map((b) => b.toString(16).padStart(2, '0'));
    out.set('nodeid', node.join('-'));
    const first = bytes[10] as number;
    out.set('macvariables', `${first & 2 ? 'local' : 'global'}:${first & 1 ? 'multicast' : 'unicast'}`);
    if (version === 2) {
      out.set('id', bytes.readUInt32BE(0));
      const domain = bytes[9] as number;
      out.set('domain', DOMAINS[domain] ?? `Domain${domain}`);
    }
  }
  return out;
}

function reachable(graph: ObjectValue, initial: readonly Value[]): SetValue {
  const seen = new SetValue();
  const queue = [...initial];
  while (queue.length > 0) {
    const node = queue.shift() as Value;
    if (seen.has(node)) continue;
    const edges = graph.get(node);
    if (edges === undefined) continue;
    seen.add(node);
    const next = Array.isArray(edges) ? edges : edges instanceof SetValue ? edges.sorted() : [];
    for (const n of next) if (!seen.has(n)) queue.push(n);
  }
  return seen;
}

export const miscBuiltins: BuiltinDefinition[] = [
  builtin('crypto.md5', 1, hash('md5')),
  builtin('crypto.sha1', 1, hash('sha1')),
  builtin('crypto.sha256', 1, hash('sha256')),
  builtin('crypto.hmac.md5', 2, hmac('md5')),
  builtin('crypto.hmac.sha1', 2, hmac('sha1')),
  builtin('crypto.hmac.sha256', 2, hmac('sha256')),
  builtin('crypto.hmac.sha512', 2, hmac('sha512')),
  builtin('crypto.hmac.equal', 2, (args) => {
    const a = Buffer.from(str(args, 0));
    const b = Buffer.from(str(args, 1));
    return a.length === b.length && timingSafeEqual(a, b);
  }),
  builtin(
    'print',
    0,
    (args, bctx) => {
      bctx.print(args.map((a) => printText(a as Value | undefined)).join(' '));
      return true;
    },
    { acceptsUndefined: true },
  ),
  builtin('trace', 1, (args) => {
    str(args, 0);
    return true;
  }),
  builtin('opa.runtime', 0, (_args, bctx) => {
    const env = new ObjectValue();
    for (const [k, v] of Object.entries(bctx.env)) if (v !== undefined) env.set(k, v);
    return fromJS({ env, version: 'vigil', commit: '' });
  }),
  builtin('uuid.rfc4122', 1, (args, bctx) => {
    const key = `uuid\u0000${str(args, 0)}`;
    const hit = bctx.memo.get(key);
    if (hit !== undefined) return hit;
    const id = uuidV4(bctx.random);
    bctx.memo.set(key, id);
    return id;
  }),
  builtin('uuid.parse', 1, (args) => parseUuid(str(args, 0))),
  builtin('rego.metadata.chain', 0, (_args, bctx) => bctx.metadataChain(bctx.rule)),
  builtin('rego.metadata.rule', 0, (_args, bctx) => bctx.metadataRule(bctx.rule)),
  builtin('graph.reachable', 2, (args) => {
    const graph = obj(args, 0);
    const initial = args[1] as Value;
    const start = Array.isArray(initial) ? initial : initial instanceof SetValue ? initial.sorted() : undefined;
    if (start === undefined) throw new BuiltinError('operand 2 must be one of {set, array}', true);
    return reachable(graph, start);
  }),
];
