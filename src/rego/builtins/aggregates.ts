import type { BuiltinDefinition } from '../compiled.ts';
import { add, multiply, type Num } from '../number.ts';
import { compare, ObjectValue, SetValue, type Value } from '../value.ts';
import { builtin, collection, operandError } from './operands.ts';

function numbersOf(args: readonly Value[], i: number): Num[] {
  const items = collection(args, i, 'array', 'set');
  return items.map((x) => {
    if (typeof x !== 'number' && typeof x !== 'bigint') throw operandError(i + 1, args[i] as Value, 'set', 'array');
    return x;
  });
}

export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export const aggregateBuiltins: BuiltinDefinition[] = [
  builtin('count', 1, ([x]) => {
    if (Array.isArray(x)) return x.length;
    if (x instanceof SetValue || x instanceof ObjectValue) return x.size;
    if (typeof x === 'string') return codePointLength(x);
    throw operandError(1, x as Value, 'array', 'object', 'set', 'string');
  }),
  builtin('sum', 1, (args) => numbersOf(args, 0).reduce<Num>((a, b) => add(a, b), 0)),
  builtin('product', 1, (args) => numbersOf(args, 0).reduce<Num>((a, b) => multiply(a, b), 1)),
  builtin('max', 1, (args) => {
    const items = collection(args, 0, 'array', 'set');
    if (items.length === 0) return undefined;
    return items.reduce((a, b) => (compare(b, a) > 0 ? b : a));
  }),
  builtin('min', 1, (args) => {
    const items = collection(args, 0, 'array', 'set');
    if (items.length === 0) return undefined;
    return items.reduce((a, b) => (compare(b, a) < 0 ? b : a));
  }),
  builtin('sort', 1, (args) => [...collection(args, 0, 'array', 'set')].sort(compare)),
  builtin('all', 1, (args) => collection(args, 0, 'array', 'set').every((x) => x === true)),
  builtin('any', 1, (args) => collection(args, 0, 'array', 'set').some((x) => x === true)),
];
