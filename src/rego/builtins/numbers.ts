import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { absolute, isInteger, type Num, normalize, toBigInt, toFloat } from '../number.ts';
import type { Value } from '../value.ts';
import { builtin, num, str } from './operands.ts';

/** Guards numbers.range against building absurdly large arrays. */
const MAX_RANGE = 10_000_000;

function integer(args: readonly Value[], i: number, name: string): bigint {
  const n = num(args, i);
  if (!isInteger(n))
    throw new BuiltinError(`operand ${i + 1} must be integer number but got floating-point number`, true);
  void name;
  return toBigInt(n);
}

function range(from: bigint, to: bigint, step: bigint): Value[] {
  const count = (from <= to ? to - from : from - to) / step + 1n;
  if (count > BigInt(MAX_RANGE)) throw new BuiltinError('range too large');
  const out: Value[] = [];
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  if (from <= safe && from >= -safe && to <= safe && to >= -safe) {
    const a = Number(from);
    const b = Number(to);
    const d = Number(step);
    if (a <= b) for (let x = a; x <= b; x += d) out.push(x);
    else for (let x = a; x >= b; x -= d) out.push(x);
    return out;
  }
  if (from <= to) for (let x = from; x <= to; x += step) out.push(normalize(x));
  else for (let x = from; x >= to; x -= step) out.push(normalize(x));
  return out;
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function unaryFloat(fn: (x: number) => number) {
  return (args: readonly Value[]) => {
    const n: Num = num(args, 0);
    if (isInteger(n)) return n;
    return normalize(fn(toFloat(n)));
  };
}

function bits(args: readonly Value[], fn: (a: bigint, b: bigint) => bigint): Value {
  return normalize(fn(integer(args, 0, ''), integer(args, 1, '')));
}

export const numberBuiltins: BuiltinDefinition[] = [
  builtin('abs', 1, (args) => absolute(num(args, 0))),
  builtin('ceil', 1, unaryFloat(Math.ceil)),
  builtin('floor', 1, unaryFloat(Math.floor)),
  builtin('round', 1, unaryFloat(roundHalfAway)),
  builtin('numbers.range', 2, (args) =>
    range(integer(args, 0, 'numbers.range'), integer(args, 1, 'numbers.range'), 1n),
  ),
  builtin('numbers.range_step', 3, (args) => {
    const step = integer(args, 2, 'numbers.range_step');
    if (step <= 0n) throw new BuiltinError('numbers.range_step: step must be a positive integer');
    return range(integer(args, 0, ''), integer(args, 1, ''), step);
  }),
  builtin('rand.intn', 2, (args, bctx) => {
    const seed = str(args, 0);
    const n = integer(args, 1, 'rand.intn');
    if (n === 0n) return 0;
    const bound = n < 0n ? -n : n;
    const key = `rand.intn\u0000${seed}\u0000${bound}`;
    const memo = bctx.memo.get(key);
    if (memo !== undefined) return memo;
    const value = normalize(BigInt(Math.floor(bctx.random() * Number(bound))));
    bctx.memo.set(key, value);
    return value;
  }),
  builtin('bits.and', 2, (args) => bits(args, (a, b) => a & b)),
  builtin('bits.or', 2, (args) => bits(args, (a, b) => a | b)),
  builtin('bits.xor', 2, (args) => bits(args, (a, b) => a ^ b)),
  builtin('bits.negate', 1, (args) => normalize(~integer(args, 0, ''))),
  builtin('bits.lsh', 2, (args) => {
    const shift = integer(args, 1, '');
    if (shift < 0n) throw new BuiltinError('bits.lsh: shift must be non-negative', true);
    if (shift > 4096n) throw new BuiltinError('bits.lsh: shift too large');
    return bits(args, (a, b) => a << b);
  }),
  builtin('bits.rsh', 2, (args) => {
    if (integer(args, 1, '') < 0n) throw new BuiltinError('bits.rsh: shift must be non-negative', true);
    return bits(args, (a, b) => a >> b);
  }),
];
