import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { parseNumber } from '../number.ts';
import { ObjectValue, SetValue, typeName, type Value } from '../value.ts';
import { builtin, operandError } from './operands.ts';

/** Go's strconv.ParseFloat syntax (decimal, hex floats aside), as to_number accepts it. */
function parseGoFloat(s: string): number | bigint | undefined {
  const exact = parseNumber(s.replace(/^\+/, ''));
  if (exact !== undefined) return exact;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  return undefined;
}

export const typeBuiltins: BuiltinDefinition[] = [
  builtin('is_number', 1, ([x]) => typeof x === 'number' || typeof x === 'bigint'),
  builtin('is_string', 1, ([x]) => typeof x === 'string'),
  builtin('is_boolean', 1, ([x]) => typeof x === 'boolean'),
  builtin('is_array', 1, ([x]) => Array.isArray(x)),
  builtin('is_set', 1, ([x]) => x instanceof SetValue),
  builtin('is_object', 1, ([x]) => x instanceof ObjectValue),
  builtin('is_null', 1, ([x]) => x === null),
  builtin('type_name', 1, ([x]) => typeName(x as Value)),
  builtin('to_number', 1, ([x]) => {
    if (x === null) return 0;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (typeof x === 'number' || typeof x === 'bigint') return x;
    if (typeof x === 'string') {
      const n = parseGoFloat(x);
      if (n === undefined || (typeof n === 'number' && !Number.isFinite(n))) {
        throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(x)}: invalid syntax`);
      }
      return n;
    }
    throw operandError(1, x as Value, 'null', 'boolean', 'number', 'string');
  }),
];
