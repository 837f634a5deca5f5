import type { CBody, CompiledRule, CTerm, RuleNode } from './compiled.ts';
import { type Location, RegoError } from './errors.ts';
import { type EvalContext, IN_PROGRESS } from './eval-context.ts';
import type { Evaluator } from './evaluator.ts';
import { canonical, equals, ObjectValue, SetValue, type Value } from './value.ts';

/** The node has rules that give it a value (rather than being a package or a prefix). */
export function nodeHasValue(node: RuleNode): boolean {
  return node.rules.length > 0 || node.defaultRule !== undefined;
}

/** The value of a rule node, computed once per context. */
export function nodeValue(ev: Evaluator, node: RuleNode, ctx: EvalContext): Value | undefined {
  const cached = ctx.cache.get(node);
  if (cached !== undefined) {
    if (cached === IN_PROGRESS) {
      const rule = node.rules[0] ?? node.defaultRule;
      throw new RegoError('rego_recursion_error', `rule data.${node.path.join('.')} is recursive`, rule?.loc);
    }
    return cached.value;
  }
  ctx.cache.set(node, IN_PROGRESS);
  let value: Value | undefined;
  try {
    value = computeNodeValue(ev, node, ctx);
  } catch (error) {
    ctx.cache.delete(node);
    throw error;
  }
  ctx.cache.set(node, { value });
  return value;
}

function computeNodeValue(ev: Evaluator, node: RuleNode, ctx: EvalContext): Value | undefined {
  const complete = node.rules.filter((r) => r.kind === 'complete');
  if (complete.length > 0 || (node.defaultRule !== undefined && node.rules.length === 0)) {
    let value: Value | undefined;
    for (const rule of complete) {
      const v = evalSingleValueRule(ev, rule, ctx, undefined);
      if (v === undefined) continue;
      if (value === undefined) value = v;
      else if (!equals(value, v)) {
        throw new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', rule.loc);
      }
    }
    if (value === undefined && node.defaultRule !== undefined) {
      value = evalSingleValueRule(ev, node.defaultRule, ctx, undefined);
    }
    return value;
  }
  const setRules = node.rules.filter((r) => r.kind === 'multi' && r.suffix.length === 0);
  if (setRules.length > 0) {
    const set = new SetValue();
    for (const rule of setRules) collectMulti(ev, rule, ctx, set, undefined);
    return set;
  }
  const obj = new ObjectValue();
  for (const rule of node.rules) {
    if (rule.kind === 'multi') collectMulti(ev, rule, ctx, undefined, obj);
    else if (!rule.isDefault) collectObject(ev, rule, ctx, obj, false);
  }
  // `default p[k] := v` fills only keys no other rule defined.
  for (const rule of node.rules) if (rule.isDefault && rule.kind === 'object') collectObject(ev, rule, ctx, obj, true);
  // Static children (`a.b[x] := …` beside `a.b.c := …`) join the same object.
  for (const [name, child] of node.children) {
    if (!child.hasDocument) continue;
    const v = materialize(ev, child, undefined, ctx);
    if (v === undefined) continue;
    const existing = obj.get(name);
    if (existing !== undefined && !equals(existing, v)) {
      throw new RegoError('eval_conflict_error', 'object keys must be unique', (node.rules[0] as CompiledRule).loc);
    }
    obj.set(name, v);
  }
  return obj;
}

/** A package or prefix node as an object of its documents, merged with base data. */
export function materialize(ev: Evaluator, node: RuleNode | undefined, base: Value | undefined, ctx: EvalContext) {
  if (node === undefined) return base;
  if (nodeHasValue(node)) return nodeValue(ev, node, ctx);
  const obj = base instanceof ObjectValue ? base.copy() : new ObjectValue();
  for (const [name, child] of node.children) {
    if (!child.hasDocument) continue;
    const v = materialize(ev, child, base instanceof ObjectValue ? base.get(name) : undefined, ctx);
    if (v !== undefined) obj.set(name, v);
  }
  return obj;
}

function withRule<T>(ev: Evaluator, rule: CompiledRule, fn: () => T): T {
  const previous = ev.bctx.rule;
  ev.bctx.rule = rule;
  try {
    return fn();
  } finally {
    ev.bctx.rule = previous;
  }
}

/**
 * Evaluates the bodies of a complete rule or function (main body, then each `else`) and returns
 * the value of the first body with a solution. Several different values are a conflict.
 */
function evalSingleValueRule(
  ev: Evaluator,
  rule: CompiledRule,
  ctx: EvalContext,
  args: readonly Value[] | undefined,
): Value | undefined {
  return withRule(ev, rule, () => {
    const frame: Value[] = new Array(rule.frameSize);
    let result: Value | undefined;
    const runBodies = (): boolean => {
      for (const body of rule.bodies) {
        result = evalBodyValue(ev, rule, body, frame, ctx);
        if (result !== undefined) return true;
      }
      return true;
    };
    if (args !== undefined && rule.params !== undefined) {
      bindParams(ev, rule.params, args, 0, frame, ctx, runBodies);
    } else {
      runBodies();
    }
    return result;
  });
}

function evalBodyValue(ev: Evaluator, rule: CompiledRule, body: CBody, frame: Value[], ctx: EvalContext) {
  let result: Value | undefined;
  const valueTerm: CTerm = body.value ?? TRUE_TERM;
  ev.evalBody(body.exprs, 0, frame, ctx, () =>
    ev.evalTerm(valueTerm, frame, ctx, (v) => {
      if (result === undefined) result = v;
      else if (!equals(result, v)) {
        throw new RegoError(
          'eval_conflict_error',
          rule.kind === 'function'
            ? 'functions must not produce multiple outputs for same inputs'
            : 'complete rules must not produce multiple outputs',
          rule.loc,
        );
      }
      return body.constantValue;
    }),
  );
  return result;
}

const TRUE_TERM: CTerm = { k: 'const', v: true };

function bindParams(
  ev: Evaluator,
  params: readonly CTerm[],
  args: readonly Value[],
  i: number,
  frame: Value[],
  ctx: EvalContext,
  k: () => boolean,
): boolean {
  if (i === params.length) return k();
  return ev.unifyValue(params[i] as CTerm, args[i] as Value, frame, ctx, () =>
    bindParams(ev, params, args, i + 1, frame, ctx, k),
  );
}

function collectMulti(
  ev: Evaluator,
  rule: CompiledRule,
  ctx: EvalContext,
  set: SetValue | undefined,
  obj: ObjectValue | undefined,
): void {
  withRule(ev, rule, () => {
    const frame: Value[] = new Array(rule.frameSize);
    const body = rule.bodies[0] as CBody;
    const member = rule.member as CTerm;
    const once = constantHead(rule, member);
    ev.evalBody(body.exprs, 0, frame, ctx, () =>
      ev.evalTerms(rule.suffix, 0, [], frame, ctx, (keys) =>
        ev.evalTerm(member, frame, ctx, (v) => {
          if (set !== undefined) set.add(v);
          else insertMember(obj as ObjectValue, keys, v, rule.loc);
          return once;
        }),
      ),
    );
  });
}

function constantHead(rule: CompiledRule, value: CTerm | undefined): boolean {
  return (value === undefined || value.k === 'const') && rule.suffix.every((t) => t.k === 'const');
}

function collectObject(ev: Evaluator, rule: CompiledRule, ctx: EvalContext, obj: ObjectValue, onlyMissing: boolean) {
  withRule(ev, rule, () => {
    const frame: Value[] = new Array(rule.frameSize);
    const body = rule.bodies[0] as CBody;
    const valueTerm = body.value ?? TRUE_TERM;
    // With a constant key and value, the first solution is enough (as OPA's early exit).
    const once = constantHead(rule, body.value);
    ev.evalBody(body.exprs, 0, frame, ctx, () =>
      ev.evalTerms(rule.suffix, 0, [], frame, ctx, (keys) =>
        ev.evalTerm(valueTerm, frame, ctx, (v) => {
          if (onlyMissing && hasPath(obj, keys)) return once;
          insertValue(obj, keys, v, rule.loc);
          return once;
        }),
      ),
    );
  });
}

function hasPath(obj: ObjectValue, keys: readonly Value[]): boolean {
  let current: Value | undefined = obj;
  for (const k of keys) {
    if (!(current instanceof ObjectValue)) return false;
    current = current.get(k);
    if (current === undefined) return false;
  }
  return true;
}

function descend(obj: ObjectValue, keys: readonly Value[], loc: Location): ObjectValue {
  let current = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as Value;
    const next = current.get(key);
    if (next === undefined) {
      const created = new ObjectValue();
      current.set(key, created);
      current = created;
    } else if (next instanceof ObjectValue) {
      current = next;
    } else {
      throw new RegoError('eval_conflict_error', 'object keys must be unique', loc);
    }
  }
  return current;
}

function insertValue(obj: ObjectValue, keys: readonly Value[], v: Value, loc: Location): void {
  const parent = descend(obj, keys, loc);
  const last = keys[keys.length - 1] as Value;
  const existing = parent.get(last);
  if (existing !== undefined && !equals(existing, v)) {
    throw new RegoError('eval_conflict_error', 'object keys must be unique', loc);
  }
  parent.set(last, v);
}

function insertMember(obj: ObjectValue, keys: readonly Value[], v: Value, loc: Location): void {
  const parent = descend(obj, keys, loc);
  const last = keys[keys.length - 1] as Value;
  let set = parent.get(last);
  if (set === undefined) {
    set = new SetValue();
    parent.set(last, set);
  } else if (!(set instanceof SetValue)) {
    throw new RegoError('eval_conflict_error', 'object keys must be unique', loc);
  }
  set.add(v);
}

function isScalar(v: Value): boolean {
  return v === null || typeof v !== 'object';
}

/** Calls a user function: every definition is tried; different results are a conflict. */
export function callUserFunction(
  ev: Evaluator,
  node: RuleNode,
  args: Value[],
  ctx: EvalContext,
  loc: Location,
): Value | undefined {
  // Calls with scalar arguments are memoized per context; composite arguments would cost more to
  // key than most function bodies cost to run.
  let perNode = ctx.functionCache.get(node);
  let cacheKey: string | undefined;
  if (args.length <= 4 && args.every(isScalar)) {
    cacheKey = args.map(canonical).join('\u0000');
    const hit = perNode?.get(cacheKey);
    if (hit !== undefined) return hit.value;
  }
  let result: Value | undefined;
  for (const rule of node.functions) {
    const v = evalSingleValueRule(ev, rule, ctx, args);
    if (v === undefined) continue;
    if (result === undefined) result = v;
    else if (!equals(result, v)) {
      throw new RegoError('eval_conflict_error', 'functions must not produce multiple outputs for same inputs', loc);
    }
  }
  if (result === undefined && node.defaultFunction !== undefined) {
    result = evalSingleValueRule(ev, node.defaultFunction, ctx, args);
  }
  if (cacheKey !== undefined) {
    if (perNode === undefined) {
      perNode = new Map();
      ctx.functionCache.set(node, perNode);
    }
    perNode.set(cacheKey, { value: result });
  }
  return result;
}
