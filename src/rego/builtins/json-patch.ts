import type { BuiltinDefinition } from '../compiled.ts';
import { equals, ObjectValue, SetValue, type Value } from '../value.ts';
import { arr, builtin } from './operands.ts';

/** Thrown inside a patch to make json.patch undefined, as OPA does for failed operations. */
class PatchFailure extends Error {}

function fail(): never {
  throw new PatchFailure();
}

/** A path as segments: JSON pointer text ("/a/0") or an array of keys. */
function segments(path: Value | undefined): Value[] {
  if (typeof path === 'string') {
    if (path === '') return [];
    if (!path.startsWith('/')) fail();
    return path
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(path)) return path as Value[];
  return fail();
}

function arrayIndex(seg: Value, length: number, allowEnd: boolean): number {
  if (seg === '-' && allowEnd) return length;
  let n: number;
  if (typeof seg === 'string') {
    if (!/^(0|[1-9]\d*)$/.test(seg)) fail();
    n = Number(seg);
  } else if (typeof seg === 'number' && Number.isSafeInteger(seg)) n = seg;
  else return fail();
  if (n < 0 || n > (allowEnd ? length : length - 1)) fail();
  return n;
}

function get(doc: Value, path: readonly Value[]): Value {
  let current = doc;
  for (const seg of path) {
    if (current instanceof ObjectValue) current = current.get(seg) ?? fail();
    else if (Array.isArray(current)) current = current[arrayIndex(seg, current.length, false)] as Value;
    else if (current instanceof SetValue) current = current.has(seg) ? seg : fail();
    else fail();
  }
  return current;
}

/** Rebuilds `doc` with `fn` applied to the parent of the last segment. */
function update(doc: Value, path: readonly Value[], fn: (parent: Value, last: Value) => Value): Value {
  if (path.length === 1) return fn(doc, path[0] as Value);
  const [head, ...rest] = path as [Value, ...Value[]];
  if (doc instanceof ObjectValue) {
    const child = doc.get(head) ?? fail();
    const out = doc.copy();
    out.set(head, update(child, rest, fn));
    return out;
  }
  if (Array.isArray(doc)) {
    const i = arrayIndex(head, doc.length, false);
    const out = [...doc];
    out[i] = update(doc[i] as Value, rest, fn);
    return out;
  }
  // Set members are values: changing inside one would change its identity.
  return fail();
}

function add(doc: Value | undefined, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  return update(doc ?? fail(), path, (parent, last) => {
    if (parent instanceof ObjectValue) {
      const out = parent.copy();
      out.set(last, value);
      return out;
    }
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, true);
      return [...parent.slice(0, i), value, ...parent.slice(i)];
    }
    if (parent instanceof SetValue) {
      if (!equals(last, value)) fail();
      const out = new SetValue(new Map(parent.members));
      out.add(value);
      return out;
    }
    return fail();
  });
}

function remove(doc: Value | undefined, path: readonly Value[]): Value | undefined {
  if (path.length === 0) return undefined;
  return update(doc ?? fail(), path, (parent, last) => {
    if (parent instanceof ObjectValue) {
      if (!parent.has(last)) fail();
      const out = new ObjectValue();
      for (const [k, v] of parent.sorted()) if (!equals(k, last)) out.set(k, v);
      return out;
    }
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, false);
      return parent.filter((_, j) => j !== i);
    }
    if (parent instanceof SetValue) {
      if (!parent.has(last)) fail();
      const out = new SetValue();
      for (const v of parent.sorted()) if (!equals(v, last)) out.add(v);
      return out;
    }
    return fail();
  });
}

function applyPatch(doc: Value | undefined, patch: Value): Value | undefined {
  if (!(patch instanceof ObjectValue)) fail();
  const op = patch.get('op');
  const path = segments(patch.get('path') ?? fail());
  switch (op) {
    case 'add':
      return add(doc, path, patch.get('value') ?? fail());
    case 'remove':
      return remove(doc, path);
    case 'replace': {
      const value = patch.get('value') ?? fail();
      if (path.length === 0) return value;
      const parentPath = path.slice(0, -1);
      const parent = get(doc ?? fail(), parentPath);
      if (parent instanceof SetValue) fail();
      return add(remove(doc, path), path, value);
    }
    case 'move': {
      const from = segments(patch.get('from') ?? fail());
      const value = get(doc ?? fail(), from);
      return add(remove(doc, from), path, value);
    }
    case 'copy': {
      const from = segments(patch.get('from') ?? fail());
      return add(doc, path, get(doc ?? fail(), from));
    }
    case 'test':
      if (!equals(get(doc ?? fail(), path), patch.get('value') ?? fail())) fail();
      return doc;
    default:
      return fail();
  }
}

export const jsonPatchBuiltins: BuiltinDefinition[] = [
  builtin('json.patch', 2, (args) => {
    const patches = arr(args, 1);
    let doc: Value | undefined = args[0] as Value;
    try {
      for (const p of patches) doc = applyPatch(doc, p);
    } catch (error) {
      if (error instanceof PatchFailure) return undefined;
      throw error;
    }
    return doc;
  }),
];
