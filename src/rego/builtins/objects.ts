import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { equals, ObjectValue, SetValue, type Value } from '../value.ts';
import { builtin, collection, obj, operandError } from './operands.ts';

function keysOperand(args: readonly Value[], i: number): Value[] {
  const v = args[i] as Value;
  if (v instanceof ObjectValue) return v.keys();
  return collection(args, i, 'array', 'set');
}

export function objectUnion(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out = a.copy();
  for (const [k, v] of b.sorted()) {
    const existing = out.get(k);
    out.set(k, existing instanceof ObjectValue && v instanceof ObjectValue ? objectUnion(existing, v) : v);
  }
  return out;
}

function isSubset(sup: Value, sub: Value): boolean {
  if (sup instanceof ObjectValue && sub instanceof ObjectValue) {
    for (const [k, v] of sub.sorted()) {
      const w = sup.get(k);
      if (w === undefined) return false;
      if (!isSubset(w, v)) return false;
    }
    return true;
  }
  if (sup instanceof SetValue && sub instanceof SetValue) {
    for (const k of sub.members.keys()) if (!sup.members.has(k)) return false;
    return true;
  }
  if (Array.isArray(sup) && Array.isArray(sub)) {
    if (sub.length === 0) return true;
    for (let start = 0; start + sub.length <= sup.length; start++) {
      if (sub.every((x, i) => equals(sup[start + i] as Value, x))) return true;
    }
    return false;
  }
  if (Array.isArray(sup) && sub instanceof SetValue) {
    return sub.sorted().every((x) => sup.some((y) => equals(x, y)));
  }
  return equals(sup, sub);
}

/** Splits a json.filter/json.remove path: "a/b/c" or ["a", "b", "c"]. */
function parsePaths(args: readonly Value[], i: number): Value[][] {
  return collection(args, i, 'array', 'set').map((p) => {
    if (typeof p === 'string') {
      return p
        .replace(/^\//, '')
        .split('/')
        .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
    }
    if (Array.isArray(p)) return p as Value[];
    throw new BuiltinError(
      `operand ${i + 1} must be one of {set, array} containing string paths or array of path segments but got ${JSON.stringify(p)}`,
      true,
    );
  });
}

/** Array elements are addressed by index text ("0"); other keys as they are. */
function pathKey(value: Value, seg: Value): Value {
  if (Array.isArray(value)) return typeof seg === 'string' && /^\d+$/.test(seg) ? Number(seg) : -1;
  return seg;
}

/** Keeps only the given paths of a document (json.filter). */
function filterPaths(value: Value, paths: Value[][]): Value | undefined {
  if (paths.some((p) => p.length === 0)) return value;
  const groups = new Map<string, { key: Value; rest: Value[][] }>();
  for (const p of paths) {
    const key = pathKey(value, p[0] as Value);
    const id = JSON.stringify([typeof key, key]);
    const g = groups.get(id) ?? { key, rest: [] };
    g.rest.push(p.slice(1));
    groups.set(id, g);
  }
  if (value instanceof ObjectValue) {
    const out = new ObjectValue();
    for (const { key, rest } of groups.values()) {
      const child = value.get(key);
      if (child === undefined) continue;
      const filtered = filterPaths(child, rest);
      if (filtered !== undefined) out.set(key, filtered);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: Value[] = [];
    for (let i = 0; i < value.length; i++) {
      for (const { key, rest } of groups.values()) {
        if (key === i) {
          const filtered = filterPaths(value[i] as Value, rest);
          if (filtered !== undefined) out.push(filtered);
        }
      }
    }
    return out;
  }
  if (value instanceof SetValue) {
    const out = new SetValue();
    for (const { key, rest } of groups.values()) {
      if (value.has(key)) {
        const filtered = filterPaths(key, rest);
        if (filtered !== undefined) out.add(filtered);
      }
    }
    return out;
  }
  return undefined;
}

function removePath(value: Value, path: Value[]): Value {
  if (path.length === 0) return value;
  const key = pathKey(value, path[0] as Value);
  const rest = path.slice(1);
  if (value instanceof ObjectValue) {
    const child = value.get(key);
    if (child === undefined) return value;
    const out = new ObjectValue();
    for (const [k, v] of value.sorted()) {
      if (equals(k, key)) {
        if (rest.length > 0) out.set(k, removePath(v, rest));
      } else out.set(k, v);
    }
    return out;
  }
  if (Array.isArray(value) && typeof key === 'number') {
    if (key < 0 || key >= value.length) return value;
    if (rest.length === 0) return value.filter((_, i) => i !== key);
    return value.map((v, i) => (i === key ? removePath(v, rest) : v));
  }
  if (value instanceof SetValue && value.has(key)) {
    const out = new SetValue();
    for (const v of value.sorted()) {
      if (equals(v, key)) {
        if (rest.length > 0) out.add(removePath(v, rest));
      } else out.add(v);
    }
    return out;
  }
  return value;
}

export const objectBuiltins: BuiltinDefinition[] = [
  builtin('object.get', 3, (args) => {
    const o = obj(args, 0);
    const key = args[1] as Value;
    const fallback = args[2] as Value;
    if (!Array.isArray(key)) return o.get(key) ?? fallback;
    let current: Value = o;
    for (const seg of key) {
      let next: Value | undefined;
      if (current instanceof ObjectValue) next = current.get(seg);
      else if (Array.isArray(current) && typeof seg === 'number' && Number.isInteger(seg)) next = current[seg];
      else if (current instanceof SetValue) next = current.has(seg) ? seg : undefined;
      if (next === undefined) return fallback;
      current = next;
    }
    return current;
  }),
  builtin('object.remove', 2, (args) => {
    const o = obj(args, 0);
    const v = args[1] as Value;
    if (!(v instanceof ObjectValue || v instanceof SetValue || Array.isArray(v))) {
      throw operandError(2, v, 'object', 'set', 'array');
    }
    const drop = new SetValue();
    for (const k of keysOperand(args, 1)) drop.add(k);
    const out = new ObjectValue();
    for (const [k, val] of o.sorted()) if (!drop.has(k)) out.set(k, val);
    return out;
  }),
  builtin('object.union', 2, (args) => objectUnion(obj(args, 0), obj(args, 1))),
  builtin('object.union_n', 1, (args) => {
    const v = args[0] as Value;
    if (!Array.isArray(v)) throw operandError(1, v, 'array');
    let out = new ObjectValue();
    for (const item of v) {
      if (!(item instanceof ObjectValue)) throw operandError(1, v, 'array of objects');
      out = objectUnion(out, item);
    }
    return out;
  }),
  builtin('object.filter', 2, (args) => {
    const o = obj(args, 0);
    const v = args[1] as Value;
    if (!(v instanceof ObjectValue || v instanceof SetValue || Array.isArray(v))) {
      throw operandError(2, v, 'object', 'set', 'array');
    }
    const out = new ObjectValue();
    for (const k of keysOperand(args, 1)) {
      const val = o.get(k);
      if (val !== undefined) out.set(k, val);
    }
    return out;
  }),
  builtin('object.keys', 1, (args) => SetValue.of(obj(args, 0).keys())),
  builtin('object.subset', 2, (args) => {
    const [sup, sub] = args as [Value, Value];
    const ok = (v: Value) => v instanceof ObjectValue || v instanceof SetValue || Array.isArray(v);
    if (!ok(sup)) throw operandError(1, sup, 'object', 'set', 'array');
    if (!ok(sub)) throw operandError(2, sub, 'object', 'set', 'array');
    if (sup instanceof ObjectValue && !(sub instanceof ObjectValue)) throw operandError(2, sub, 'object');
    if (sup instanceof SetValue && !(sub instanceof SetValue)) throw operandError(2, sub, 'set');
    return isSubset(sup, sub);
  }),
  builtin('json.filter', 2, (args) => {
    const o = obj(args, 0);
    return filterPaths(o, parsePaths(args, 1)) ?? new ObjectValue();
  }),
  builtin('json.remove', 2, (args) => {
    let out: Value = obj(args, 0);
    for (const p of parsePaths(args, 1)) out = removePath(out, p);
    return out;
  }),
];
