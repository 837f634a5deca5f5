import type { BuiltinDefinition } from '../compiled.ts';
import { add, divide, multiply, remainder, subtract } from '../number.ts';
import { compare, equals, ObjectValue, SetValue, type Value } from '../value.ts';
import { builtin, num, operandError } from './operands.ts';

function setOperand(args: readonly Value[], i: number): SetValue {
  const v = args[i] as Value;
  if (!(v instanceof SetValue)) throw operandError(i + 1, v, 'set');
  return v;
}

export function memberOf(x: Value, coll: Value): boolean {
  if (Array.isArray(coll)) return coll.some((v) => equals(v, x));
  if (coll instanceof SetValue) return coll.has(x);
  if (coll instanceof ObjectValue) {
    for (const v of coll.values.values()) if (equals(v, x)) return true;
  }
  return false;
}

export const operatorBuiltins: BuiltinDefinition[] = [
  builtin('equal', 2, ([a, b]) => equals(a as Value, b as Value)),
  builtin('neq', 2, ([a, b]) => !equals(a as Value, b as Value)),
  builtin('lt', 2, ([a, b]) => compare(a as Value, b as Value) < 0),
  builtin('gt', 2, ([a, b]) => compare(a as Value, b as Value) > 0),
  builtin('lte', 2, ([a, b]) => compare(a as Value, b as Value) <= 0),
  builtin('gte', 2, ([a, b]) => compare(a as Value, b as Value) >= 0),
  builtin('plus', 2, (args) => add(num(args, 0), num(args, 1))),
  builtin('minus', 2, (args) => {
    const [a, b] = args as [Value, Value];
    if (a instanceof SetValue && b instanceof SetValue) {
      const out = new SetValue();
      for (const [k, v] of a.members) if (!b.members.has(k)) out.add(v);
      return out;
    }
    if (a instanceof SetValue || b instanceof SetValue) {
      if (!(a instanceof SetValue)) throw operandError(1, a, 'number', 'set');
      throw operandError(2, b, 'set');
    }
    return subtract(num(args, 0), num(args, 1));
  }),
  builtin('mul', 2, (args) => multiply(num(args, 0), num(args, 1))),
  builtin('div', 2, (args) => divide(num(args, 0), num(args, 1))),
  builtin('rem', 2, (args) => remainder(num(args, 0), num(args, 1))),
  builtin('and', 2, (args) => {
    const a = setOperand(args, 0);
    const b = setOperand(args, 1);
    const out = new SetValue();
    for (const [k, v] of a.members) if (b.members.has(k)) out.add(v);
    return out;
  }),
  builtin('or', 2, (args) => {
    const a = setOperand(args, 0);
    const b = setOperand(args, 1);
    const out = new SetValue(new Map(a.members));
    for (const v of b.members.values()) out.add(v);
    return out;
  }),
  builtin('internal.member_2', 2, ([x, coll]) => memberOf(x as Value, coll as Value)),
  builtin('internal.member_3', 3, ([k, v, coll]) => {
    const key = k as Value;
    const value = v as Value;
    if (Array.isArray(coll)) {
      return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < coll.length
        ? equals(coll[key] as Value, value)
        : false;
    }
    if (coll instanceof ObjectValue) {
      const found = coll.get(key);
      return found !== undefined && equals(found, value);
    }
    if (coll instanceof SetValue) return equals(key, value) && coll.has(key);
    return false;
  }),
];
