import type { BuiltinContext, BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { isInteger, type Num, toSafeInteger } from '../number.ts';
import { type ArrayValue, ObjectValue, SetValue, typeName, type Value } from '../value.ts';

/** OPA's operand type error: `operand 1 must be string but got number`. */
export function operandError(pos: number, got: Value, ...expected: string[]): BuiltinError {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  return new BuiltinError(`operand ${pos} must be ${want} but got ${typeName(got)}`, true);
}

export function str(args: readonly Value[], i: number): string {
  const v = args[i] as Value;
  if (typeof v !== 'string') throw operandError(i + 1, v, 'string');
  return v;
}

export function num(args: readonly Value[], i: number): Num {
  const v = args[i] as Value;
  if (typeof v !== 'number' && typeof v !== 'bigint') throw operandError(i + 1, v, 'number');
  return v;
}

/** An integer operand that fits a JS number (indexes, counts). */
export function int(args: readonly Value[], i: number): number {
  const n = num(args, i);
  if (!isInteger(n))
    throw new BuiltinError(`operand ${i + 1} must be integer number but got floating-point number`, true);
  const safe = toSafeInteger(n);
  if (safe === undefined) throw new BuiltinError(`operand ${i + 1} out of range`, true);
  return safe;
}

export function bool(args: readonly Value[], i: number): boolean {
  const v = args[i] as Value;
  if (typeof v !== 'boolean') throw operandError(i + 1, v, 'boolean');
  return v;
}

export function arr(args: readonly Value[], i: number): ArrayValue {
  const v = args[i] as Value;
  if (!Array.isArray(v)) throw operandError(i + 1, v, 'array');
  return v;
}

export function obj(args: readonly Value[], i: number): ObjectValue {
  const v = args[i] as Value;
  if (!(v instanceof ObjectValue)) throw operandError(i + 1, v, 'object');
  return v;
}

export function set(args: readonly Value[], i: number): SetValue {
  const v = args[i] as Value;
  if (!(v instanceof SetValue)) throw operandError(i + 1, v, 'set');
  return v;
}

/** Elements of an array or set operand. */
export function collection(args: readonly Value[], i: number, ...kinds: Array<'array' | 'set' | 'object'>): Value[] {
  const v = args[i] as Value;
  if (Array.isArray(v) && kinds.includes('array')) return v as Value[];
  if (v instanceof SetValue && kinds.includes('set')) return v.sorted();
  if (v instanceof ObjectValue && kinds.includes('object')) return v.sorted().map((e) => e[1]);
  throw operandError(i + 1, v, ...kinds);
}

/** Strings of an array or set of strings. */
export function stringCollection(args: readonly Value[], i: number): string[] {
  const items = collection(args, i, 'array', 'set');
  return items.map((x) => {
    if (typeof x !== 'string') {
      throw new BuiltinError(`operand ${i + 1} must be array of strings but got array containing ${typeName(x)}`, true);
    }
    return x;
  });
}

type Fn = (args: readonly Value[], bctx: BuiltinContext) => Value | undefined;

export function builtin(
  name: string,
  arity: number,
  fn: Fn,
  extra: Partial<BuiltinDefinition> = {},
): BuiltinDefinition {
  return { name, arity, fn, ...extra };
}
