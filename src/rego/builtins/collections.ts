import type { BuiltinDefinition } from '../compiled.ts';
import { isInteger, toFloat } from '../number.ts';
import { ObjectValue, SetValue, type Value } from '../value.ts';
import { arr, builtin, num, operandError, set } from './operands.ts';

function clampIndex(n: number | bigint, length: number): number {
  const x = isInteger(n) ? Number(n) : Math.floor(toFloat(n));
  return Math.max(0, Math.min(length, x));
}

function flatten(items: readonly Value[], out: Value[]): Value[] {
  for (const x of items) {
    if (Array.isArray(x)) flatten(x, out);
    else out.push(x);
  }
  return out;
}

/** `walk(x)`: every [path, value] pair of a document, the document itself first. */
function walkValue(v: Value, path: Value[], out: Value[]): void {
  out.push([path.slice(), v]);
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      path.push(i);
      walkValue(x, path, out);
      path.pop();
    });
  } else if (v instanceof ObjectValue) {
    for (const [k, x] of v.sorted()) {
      path.push(k);
      walkValue(x, path, out);
      path.pop();
    }
  } else if (v instanceof SetValue) {
    for (const x of v.sorted()) {
      path.push(x);
      walkValue(x, path, out);
      path.pop();
    }
  }
}

export const collectionBuiltins: BuiltinDefinition[] = [
  builtin('array.concat', 2, (args) => [...arr(args, 0), ...arr(args, 1)]),
  builtin('array.slice', 3, (args) => {
    const a = arr(args, 0);
    const start = clampIndex(num(args, 1), a.length);
    const stop = clampIndex(num(args, 2), a.length);
    return start >= stop ? [] : a.slice(start, stop);
  }),
  builtin('array.reverse', 1, (args) => [...arr(args, 0)].reverse()),
  builtin('array.flatten', 1, (args) => flatten(arr(args, 0), [])),
  builtin('intersection', 1, (args) => {
    const sets = set(args, 0).sorted();
    if (sets.length === 0) return new SetValue();
    let out: SetValue | undefined;
    for (const s of sets) {
      if (!(s instanceof SetValue)) throw operandError(1, args[0] as Value, 'set of sets');
      if (out === undefined) out = new SetValue(new Map(s.members));
      else {
        const next = new SetValue();
        for (const [k, v] of out.members) if (s.members.has(k)) next.add(v);
        out = next;
      }
    }
    return out as SetValue;
  }),
  builtin('union', 1, (args) => {
    const out = new SetValue();
    for (const s of set(args, 0).sorted()) {
      if (!(s instanceof SetValue)) throw operandError(1, args[0] as Value, 'set of sets');
      for (const v of s.members.values()) out.add(v);
    }
    return out;
  }),
  builtin(
    'walk',
    1,
    ([x]) => {
      const out: Value[] = [];
      walkValue(x as Value, [], out);
      return out;
    },
    { relation: true },
  ),
];
