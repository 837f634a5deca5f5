import type { FunctionTarget, RuleNode } from './compiled.ts';
import { keyOf, ObjectValue, type Value } from './value.ts';

/** A `with data.x.y as v` replacement, as a tree keyed like the data document. */
export interface OverrideNode {
  value: Value | undefined;
  readonly children: Map<string, OverrideNode>;
}

/** A `with f as …` replacement: a value, or another function to call. */
export interface FunctionMock {
  readonly value: Value;
  readonly replacement: FunctionTarget | undefined;
}

export const IN_PROGRESS: unique symbol = Symbol('in progress');

export interface CacheEntry {
  readonly value: Value | undefined;
}

/**
 * What an expression is evaluated against. `with` makes a new context (and a new rule cache),
 * so cached rule values never leak between different inputs.
 */
export interface EvalContext {
  readonly root: RuleNode;
  readonly input: Value | undefined;
  readonly data: Value;
  readonly overrides: OverrideNode | undefined;
  readonly mocks: ReadonlyMap<string, FunctionMock> | undefined;
  readonly cache: Map<RuleNode, CacheEntry | typeof IN_PROGRESS>;
  /** Function results keyed by node and canonical arguments. */
  readonly functionCache: Map<RuleNode, Map<string, CacheEntry>>;
}

export function addOverride(root: OverrideNode | undefined, path: readonly Value[], value: Value): OverrideNode {
  const copy = cloneOverride(root);
  let node = copy;
  for (const key of path) {
    const k = keyOf(key);
    let child = node.children.get(k);
    child = child ? cloneOverride(child) : { value: undefined, children: new Map() };
    node.children.set(k, child);
    node = child;
  }
  node.value = value;
  node.children.clear();
  return copy;
}

function cloneOverride(node: OverrideNode | undefined): OverrideNode {
  return node ? { value: node.value, children: new Map(node.children) } : { value: undefined, children: new Map() };
}

/** Applies overrides found below a value (the value of a rule or a base document). */
export function applyOverrides(value: Value | undefined, node: OverrideNode): Value | undefined {
  if (node.value !== undefined) return node.value;
  if (node.children.size === 0) return value;
  const obj = value instanceof ObjectValue ? value.copy() : new ObjectValue();
  for (const [k, child] of node.children) {
    const key = obj.keyFor(k);
    const patched = applyOverrides(obj.values.get(k), child);
    if (patched !== undefined) obj.set(key, patched);
  }
  return obj;
}

/** Copy-on-write `set(value, path, replacement)` for `with input.a.b as v`. */
export function setPath(base: Value | undefined, path: readonly Value[], replacement: Value): Value {
  if (path.length === 0) return replacement;
  const obj = base instanceof ObjectValue ? base.copy() : new ObjectValue();
  const [first, ...rest] = path as [Value, ...Value[]];
  obj.set(first, setPath(obj.get(first), rest, replacement));
  return obj;
}
