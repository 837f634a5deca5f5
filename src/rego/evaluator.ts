import type { BuiltinContext, CExpr, CompiledRule, CTerm, CWith, FunctionTarget, RuleNode } from './compiled.ts';
import { BuiltinError, HaltError, type Location, RegoError } from './errors.ts';
import {
  addOverride,
  applyOverrides,
  type EvalContext,
  type FunctionMock,
  type OverrideNode,
  setPath,
} from './eval-context.ts';
import { callUserFunction, materialize, nodeHasValue, nodeValue } from './eval-documents.ts';
import { equals, isTruthy, keyOf, ObjectValue, SetValue, type Value } from './value.ts';

export type Cont = () => boolean;

/** Marks a term that needs general (possibly iterating) evaluation. */
const NOT_SINGLE: unique symbol = Symbol('not single');
export type ValueCont = (v: Value) => boolean;

export interface EvaluatorOptions {
  readonly strict: boolean;
  readonly builtinContext: BuiltinContext & { location: Location; rule: CompiledRule | undefined };
  readonly signal?: AbortSignal;
}

/**
 * Top-down evaluation in continuation-passing style: each step calls its continuation once per
 * solution, with variables bound in the frame; a continuation returning true stops the search
 * (used for `not`, early exit and first-solution queries). Bindings are undone on the way back.
 */
export class Evaluator {
  readonly strict: boolean;
  readonly bctx: BuiltinContext & { location: Location; rule: CompiledRule | undefined };
  private readonly signal: AbortSignal | undefined;
  private steps = 0;
  /** Values of captured query expressions for the solution being built. */
  captured: Value[] = [];

  constructor(options: EvaluatorOptions) {
    this.strict = options.strict;
    this.bctx = options.builtinContext;
    this.signal = options.signal;
  }

  // ---- bodies and expressions ----------------------------------------------------------------

  evalBody(exprs: readonly CExpr[], i: number, frame: Value[], ctx: EvalContext, k: Cont): boolean {
    if (i === exprs.length) return k();
    const e = exprs[i] as CExpr;
    if ((++this.steps & 0xfff) === 0 && this.signal?.aborted) {
      throw new RegoError('eval_cancel_error', 'evaluation cancelled', e.loc);
    }
    if (i + 1 === exprs.length) return this.evalExpr(e, frame, ctx, k);
    return this.evalExpr(e, frame, ctx, () => this.evalBody(exprs, i + 1, frame, ctx, k));
  }

  evalExpr(e: CExpr, frame: Value[], ctx: EvalContext, k: Cont): boolean {
    if (e.withs !== undefined) return this.evalWith(e, e.withs, 0, frame, ctx, ctx, k);
    return this.evalCore(e, frame, ctx, k);
  }

  private evalCore(e: CExpr, frame: Value[], ctx: EvalContext, k: Cont): boolean {
    switch (e.op) {
      case 'term':
        if (e.capture !== undefined) {
          const index = e.capture;
          const check = e.captureCheck === true;
          return this.evalTerm(e.term, frame, ctx, (v) => {
            if (check && v === false) return false;
            this.captured[index] = v;
            return k();
          });
        }
        {
          const v = this.single(e.term, frame, ctx);
          if (v !== NOT_SINGLE) return v === undefined || v === false ? false : k();
        }
        return this.evalTerm(e.term, frame, ctx, (v) => (v === false ? false : k()));
      case 'unify': {
        // `x := term` with x unbound and a single-valued term: bind directly.
        const a = e.a;
        if (a.k === 'var' && frame[a.slot] === undefined) {
          const v = this.single(e.b, frame, ctx);
          if (v !== NOT_SINGLE) {
            if (v === undefined) return false;
            frame[a.slot] = v;
            const stop = k();
            frame[a.slot] = undefined as unknown as Value;
            return stop;
          }
        }
        return this.unify(e.a, e.b, frame, ctx, k);
      }
      case 'not': {
        const found = this.evalExpr(e.inner, frame, ctx, () => true);
        return found ? false : k();
      }
      case 'somein':
        return this.evalTerm(e.collection, frame, ctx, (coll) =>
          this.iterate(coll, (key, value) => {
            if (e.key === undefined) return this.unifyValue(e.value, value, frame, ctx, k);
            return this.unifyValue(e.key, key, frame, ctx, () => this.unifyValue(e.value, value, frame, ctx, k));
          }),
        );
      case 'every':
        return this.evalTerm(e.domain, frame, ctx, (domain) => {
          if (!(Array.isArray(domain) || domain instanceof ObjectValue || domain instanceof SetValue)) return false;
          let all = true;
          this.iterate(domain, (key, value) => {
            const ok =
              e.key === undefined
                ? this.unifyValue(e.value, value, frame, ctx, () => this.evalBody(e.body, 0, frame, ctx, () => true))
                : this.unifyValue(e.key, key, frame, ctx, () =>
                    this.unifyValue(e.value, value, frame, ctx, () => this.evalBody(e.body, 0, frame, ctx, () => true)),
                  );
            if (!ok) all = false;
            return !ok;
          });
          return all ? k() : false;
        });
    }
  }

  /** Calls `fn(key, value)` for each element in OPA order; stops when fn returns true. */
  iterate(coll: Value, fn: (key: Value, value: Value) => boolean): boolean {
    if (Array.isArray(coll)) {
      for (let i = 0; i < coll.length; i++) if (fn(i, coll[i] as Value)) return true;
      return false;
    }
    if (coll instanceof ObjectValue) {
      for (const [key, value] of coll.sorted()) if (fn(key, value)) return true;
      return false;
    }
    if (coll instanceof SetValue) {
      for (const v of coll.sorted()) if (fn(v, v)) return true;
      return false;
    }
    return false;
  }

  private evalWith(
    e: CExpr,
    withs: readonly CWith[],
    i: number,
    frame: Value[],
    outer: EvalContext,
    ctx: EvalContext,
    k: Cont,
  ): boolean {
    if (i === withs.length) {
      const inner = { ...ctx, cache: new Map(), functionCache: new Map() };
      return this.evalCore(e, frame, inner, k);
    }
    const w = withs[i] as CWith;
    return this.evalTerm(w.value, frame, outer, (value) => {
      let next: EvalContext;
      if (w.target === 'input') {
        next = { ...ctx, input: setPath(ctx.input, w.path, value) };
      } else if (w.target === 'data') {
        next = { ...ctx, overrides: addOverride(ctx.overrides, w.path, value) };
      } else {
        const mocks = new Map(ctx.mocks ?? []);
        const mock: FunctionMock = { value, replacement: w.replacement };
        mocks.set(w.functionName as string, mock);
        next = { ...ctx, mocks };
      }
      return this.evalWith(e, withs, i + 1, frame, outer, next, k);
    });
  }

  // ---- terms ---------------------------------------------------------------------------------

  evalTerm(t: CTerm, frame: Value[], ctx: EvalContext, k: ValueCont): boolean {
    switch (t.k) {
      case 'const':
        return k(t.v);
      case 'var': {
        const v = frame[t.slot];
        if (v === undefined) throw new RegoError('rego_unsafe_var_error', `var ${t.name} is unsafe`);
        return k(v);
      }
      case 'input':
        return ctx.input === undefined ? false : k(ctx.input);
      case 'data':
        return this.evalDataPath([], 0, ctx.overrides, frame, ctx, k);
      case 'ref':
        return this.evalRef(t, frame, ctx, k);
      case 'array':
        return this.evalTerms(t.items, 0, [], frame, ctx, (items) => k(items));
      case 'set':
        return this.evalTerms(t.items, 0, [], frame, ctx, (items) => k(SetValue.of(items)));
      case 'object':
        return this.evalObject(t.entries, 0, new ObjectValue(), frame, ctx, k);
      case 'acompr': {
        const out: Value[] = [];
        this.evalBody(t.body, 0, frame, ctx, () =>
          this.evalTerm(t.term, frame, ctx, (v) => {
            out.push(v);
            return false;
          }),
        );
        return k(out);
      }
      case 'scompr': {
        const out = new SetValue();
        this.evalBody(t.body, 0, frame, ctx, () =>
          this.evalTerm(t.term, frame, ctx, (v) => {
            out.add(v);
            return false;
          }),
        );
        return k(out);
      }
      case 'ocompr': {
        const out = new ObjectValue();
        this.evalBody(t.body, 0, frame, ctx, () =>
          this.evalTerm(t.key, frame, ctx, (key) =>
            this.evalTerm(t.value, frame, ctx, (value) => {
              const existing = out.get(key);
              if (existing !== undefined && !equals(existing, value)) {
                throw new RegoError('eval_conflict_error', 'object keys must be unique');
              }
              out.set(key, value);
              return false;
            }),
          ),
        );
        return k(out);
      }
      case 'call':
        return this.evalCall(t, frame, ctx, k);
    }
  }

  /** The single value of a term that cannot iterate, or undefined. */
  valueOf(t: CTerm, frame: Value[], ctx: EvalContext): Value | undefined {
    let out: Value | undefined;
    this.evalTerm(t, frame, ctx, (v) => {
      out = v;
      return true;
    });
    return out;
  }

  evalTerms(
    terms: readonly CTerm[],
    i: number,
    out: Value[],
    frame: Value[],
    ctx: EvalContext,
    k: (values: Value[]) => boolean,
  ): boolean {
    if (i === terms.length) return k(out.slice());
    const t = terms[i] as CTerm;
    if (t.k === 'const') {
      out[i] = t.v;
      return this.evalTerms(terms, i + 1, out, frame, ctx, k);
    }
    return this.evalTerm(t, frame, ctx, (v) => {
      out[i] = v;
      return this.evalTerms(terms, i + 1, out, frame, ctx, k);
    });
  }

  private evalObject(
    entries: ReadonlyArray<readonly [CTerm, CTerm]>,
    i: number,
    acc: ObjectValue,
    frame: Value[],
    ctx: EvalContext,
    k: ValueCont,
  ): boolean {
    if (i === entries.length) return k(acc.copy());
    const [kt, vt] = entries[i] as readonly [CTerm, CTerm];
    return this.evalTerm(kt, frame, ctx, (key) =>
      this.evalTerm(vt, frame, ctx, (value) => {
        const next = acc.copy();
        next.set(key, value);
        return this.evalObject(entries, i + 1, next, frame, ctx, k);
      }),
    );
  }

  // ---- references ----------------------------------------------------------------------------

  private evalRef(t: Extract<CTerm, { k: 'ref' }>, frame: Value[], ctx: EvalContext, k: ValueCont): boolean {
    const head = t.head;
    if (head.k === 'data') {
      if (ctx.overrides === undefined && t.node !== undefined && t.nodeDepth !== undefined) {
        const node = t.node;
        const depth = t.nodeDepth;
        if (nodeHasValue(node)) {
          const value = nodeValue(this, node, ctx);
          return value === undefined ? false : this.walkValue(value, t.path, depth, frame, ctx, k);
        }
        return this.walkData(t.path, depth, node, baseAt(ctx.data, node.path), undefined, frame, ctx, k);
      }
      return this.evalDataPath(t.path, 0, ctx.overrides, frame, ctx, k);
    }
    if (head.k === 'input') {
      return ctx.input === undefined ? false : this.walkValue(ctx.input, t.path, 0, frame, ctx, k);
    }
    if (head.k === 'var') {
      const v = frame[head.slot];
      if (v === undefined) throw new RegoError('rego_unsafe_var_error', `var ${head.name} is unsafe`);
      return this.walkValue(v, t.path, 0, frame, ctx, k);
    }
    return this.evalTerm(head, frame, ctx, (v) => this.walkValue(v, t.path, 0, frame, ctx, k));
  }

  private evalDataPath(
    path: readonly CTerm[],
    i: number,
    overrides: OverrideNode | undefined,
    frame: Value[],
    ctx: EvalContext,
    k: ValueCont,
  ): boolean {
    return this.walkData(path, i, ctx.root, ctx.data, overrides, frame, ctx, k);
  }

  /** Follows a path through the rule tree and the base document at the same time. */
  walkData(
    path: readonly CTerm[],
    i: number,
    node: RuleNode | undefined,
    base: Value | undefined,
    ov: OverrideNode | undefined,
    frame: Value[],
    ctx: EvalContext,
    k: ValueCont,
  ): boolean {
    if (ov?.value !== undefined) return this.walkValue(ov.value, path, i, frame, ctx, k);
    if (node === undefined) {
      const value = ov ? applyOverrides(base, ov) : base;
      return value === undefined ? false : this.walkValue(value, path, i, frame, ctx, k);
    }
    if (nodeHasValue(node)) {
      let value = nodeValue(this, node, ctx);
      if (ov) value = applyOverrides(value, ov);
      return value === undefined ? false : this.walkValue(value, path, i, frame, ctx, k);
    }
    if (i === path.length) {
      let value = materialize(this, node, base, ctx);
      if (ov) value = applyOverrides(value, ov);
      return value === undefined ? false : k(value);
    }
    const p = path[i] as CTerm;
    const step = (key: Value): boolean => {
      const child = typeof key === 'string' ? node.children.get(key) : undefined;
      const childBase = lookup(base, key);
      const childOv = ov?.children.get(keyOf(key));
      if (child === undefined && childBase === undefined && childOv === undefined) return false;
      return this.walkData(path, i + 1, child, childBase, childOv, frame, ctx, k);
    };
    if (p.k === 'var' && frame[p.slot] === undefined) {
      const keys = new SetValue();
      for (const [name, child] of node.children) if (child.hasDocument) keys.add(name);
      if (base instanceof ObjectValue) for (const key of base.keys()) keys.add(key);
      if (ov) for (const k2 of ov.children.keys()) keys.add(k2);
      for (const key of keys.sorted()) {
        frame[p.slot] = key;
        const stop = step(key);
        frame[p.slot] = undefined as unknown as Value;
        if (stop) return true;
      }
      return false;
    }
    return this.evalTerm(p, frame, ctx, step);
  }

  walkValue(v: Value, path: readonly CTerm[], i: number, frame: Value[], ctx: EvalContext, k: ValueCont): boolean {
    let current: Value | undefined = v;
    for (; i < path.length; i++) {
      const p = path[i] as CTerm;
      let key: Value | undefined;
      if (p.k === 'const') key = p.v;
      else if (p.k === 'var') {
        key = frame[p.slot];
        if (key === undefined) return this.iterateVar(current as Value, p.slot, path, i, frame, ctx, k);
      } else if (p.k === 'array' || p.k === 'object' || p.k === 'set') {
        const base: Value = current as Value;
        const index = i;
        return this.iterate(base, (key2, value) =>
          this.unifyValue(p, key2, frame, ctx, () => this.walkValue(value, path, index + 1, frame, ctx, k)),
        );
      } else {
        const base: Value = current as Value;
        const index = i;
        return this.evalTerm(p, frame, ctx, (key2) => {
          const next = lookup(base, key2);
          return next === undefined ? false : this.walkValue(next, path, index + 1, frame, ctx, k);
        });
      }
      current = lookup(current as Value, key);
      if (current === undefined) return false;
    }
    return k(current as Value);
  }

  private iterateVar(
    coll: Value,
    slot: number,
    path: readonly CTerm[],
    i: number,
    frame: Value[],
    ctx: EvalContext,
    k: ValueCont,
  ): boolean {
    return this.iterate(coll, (key, value) => {
      frame[slot] = key;
      const stop = this.walkValue(value, path, i + 1, frame, ctx, k);
      frame[slot] = undefined as unknown as Value;
      return stop;
    });
  }

  // ---- unification ---------------------------------------------------------------------------

  unify(a: CTerm, b: CTerm, frame: Value[], ctx: EvalContext, k: Cont): boolean {
    const aOpen = hasUnboundVar(a, frame);
    const bOpen = hasUnboundVar(b, frame);
    if (!aOpen && !bOpen) {
      return this.evalTerm(a, frame, ctx, (va) => this.evalTerm(b, frame, ctx, (vb) => (equals(va, vb) ? k() : false)));
    }
    if (aOpen && !bOpen) return this.evalTerm(b, frame, ctx, (vb) => this.unifyValue(a, vb, frame, ctx, k));
    if (!aOpen && bOpen) return this.evalTerm(a, frame, ctx, (va) => this.unifyValue(b, va, frame, ctx, k));
    if (a.k === 'array' && b.k === 'array') {
      if (a.items.length !== b.items.length) return false;
      return this.unifyPairs(a.items, b.items, 0, frame, ctx, k);
    }
    if (a.k === 'object' && b.k === 'object') {
      if (a.entries.length !== b.entries.length) return false;
      const left = a.entries.map((e) => e[1]);
      const right: CTerm[] = [];
      for (const [ka] of a.entries) {
        const kav = this.valueOf(ka, frame, ctx);
        const match = b.entries.find(([kb]) => {
          const kbv = this.valueOf(kb, frame, ctx);
          return kav !== undefined && kbv !== undefined && equals(kav, kbv);
        });
        if (match === undefined) return false;
        right.push(match[1]);
      }
      return this.unifyPairs(left, right, 0, frame, ctx, k);
    }
    const name = firstUnboundVar(a, frame) ?? firstUnboundVar(b, frame) ?? '?';
    throw new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`);
  }

  private unifyPairs(
    left: readonly CTerm[],
    right: readonly CTerm[],
    i: number,
    frame: Value[],
    ctx: EvalContext,
    k: Cont,
  ): boolean {
    if (i === left.length) return k();
    return this.unify(left[i] as CTerm, right[i] as CTerm, frame, ctx, () =>
      this.unifyPairs(left, right, i + 1, frame, ctx, k),
    );
  }

  /** Matches a pattern term against a value, binding its unbound variables. */
  unifyValue(p: CTerm, v: Value, frame: Value[], ctx: EvalContext, k: Cont): boolean {
    switch (p.k) {
      case 'var': {
        const current = frame[p.slot];
        if (current === undefined) {
          frame[p.slot] = v;
          const stop = k();
          frame[p.slot] = undefined as unknown as Value;
          return stop;
        }
        return equals(current, v) ? k() : false;
      }
      case 'const':
        return equals(p.v, v) ? k() : false;
      case 'array':
        if (!Array.isArray(v) || v.length !== p.items.length) return false;
        return this.unifyItems(p.items, v, 0, frame, ctx, k);
      case 'object': {
        if (!(v instanceof ObjectValue) || v.size !== p.entries.length) return false;
        return this.unifyEntries(p.entries, v, 0, frame, ctx, k);
      }
      default:
        return this.evalTerm(p, frame, ctx, (pv) => (equals(pv, v) ? k() : false));
    }
  }

  private unifyItems(
    items: readonly CTerm[],
    values: readonly Value[],
    i: number,
    frame: Value[],
    ctx: EvalContext,
    k: Cont,
  ): boolean {
    if (i === items.length) return k();
    return this.unifyValue(items[i] as CTerm, values[i] as Value, frame, ctx, () =>
      this.unifyItems(items, values, i + 1, frame, ctx, k),
    );
  }

  private unifyEntries(
    entries: ReadonlyArray<readonly [CTerm, CTerm]>,
    obj: ObjectValue,
    i: number,
    frame: Value[],
    ctx: EvalContext,
    k: Cont,
  ): boolean {
    if (i === entries.length) return k();
    const [kt, vt] = entries[i] as readonly [CTerm, CTerm];
    return this.evalTerm(kt, frame, ctx, (key) => {
      const value = obj.get(key);
      if (value === undefined) return false;
      return this.unifyValue(vt, value, frame, ctx, () => this.unifyEntries(entries, obj, i + 1, frame, ctx, k));
    });
  }

  // ---- calls ---------------------------------------------------------------------------------

  private evalCall(t: Extract<CTerm, { k: 'call' }>, frame: Value[], ctx: EvalContext, k: ValueCont): boolean {
    if (t.fn.kind === 'builtin' && t.fn.builtin.acceptsUndefined) {
      const args = t.args.map((a) => {
        const values = new SetValue();
        this.evalTerm(a, frame, ctx, (v) => {
          values.add(v);
          return false;
        });
        return values.size === 0 ? undefined : values.size === 1 ? (values.sorted()[0] as Value) : values;
      });
      const r = this.invoke(t.fn, args as Value[], ctx, t.loc);
      return r === undefined ? false : k(r);
    }
    if (t.fn.kind === 'builtin' && t.fn.builtin.relation) {
      return this.evalTerms(t.args, 0, [], frame, ctx, (args) => {
        const outputs = this.invoke(t.fn, args, ctx, t.loc);
        if (!Array.isArray(outputs)) return false;
        for (const out of outputs as Value[]) if (k(out)) return true;
        return false;
      });
    }
    // Arguments that cannot iterate are computed directly, without continuations.
    const n = t.args.length;
    const direct: Value[] = new Array(n);
    let simple = true;
    for (let i = 0; i < n; i++) {
      const v = this.single(t.args[i] as CTerm, frame, ctx);
      if (v === NOT_SINGLE) {
        simple = false;
        break;
      }
      if (v === undefined) return false;
      direct[i] = v;
    }
    if (simple) {
      const r = this.invoke(t.fn, direct, ctx, t.loc);
      return r === undefined ? false : k(r);
    }
    return this.evalTerms(t.args, 0, [], frame, ctx, (args) => {
      const r = this.invoke(t.fn, args, ctx, t.loc);
      return r === undefined ? false : k(r);
    });
  }

  /**
   * The value of a term that has at most one value and needs no search (constants, bound
   * variables, refs with constant or bound keys into input or a variable, and calls of such),
   * undefined when it has no value, or NOT_SINGLE when it must be evaluated the general way.
   */
  single(t: CTerm, frame: Value[], ctx: EvalContext): Value | undefined | typeof NOT_SINGLE {
    switch (t.k) {
      case 'const':
        return t.v;
      case 'var': {
        const v = frame[t.slot];
        return v === undefined ? NOT_SINGLE : v;
      }
      case 'input':
        return ctx.input;
      case 'ref': {
        let current: Value | undefined;
        const head = t.head;
        if (head.k === 'var') {
          current = frame[head.slot];
          if (current === undefined) return NOT_SINGLE;
        } else if (head.k === 'input') {
          current = ctx.input;
          if (current === undefined) return undefined;
        } else return NOT_SINGLE;
        for (const p of t.path) {
          let key: Value | undefined;
          if (p.k === 'const') key = p.v;
          else if (p.k === 'var') {
            key = frame[p.slot];
            if (key === undefined) return NOT_SINGLE;
          } else return NOT_SINGLE;
          current = lookup(current, key);
          if (current === undefined) return undefined;
        }
        return current;
      }
      case 'call': {
        if (t.fn.kind !== 'builtin' || t.fn.builtin.relation || t.fn.builtin.acceptsUndefined) return NOT_SINGLE;
        const n = t.args.length;
        const args: Value[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const v = this.single(t.args[i] as CTerm, frame, ctx);
          if (v === NOT_SINGLE || v === undefined) return v;
          args[i] = v;
        }
        return this.invoke(t.fn, args, ctx, t.loc);
      }
      default:
        return NOT_SINGLE;
    }
  }

  /** Calls a builtin or user function with evaluated arguments; undefined when it has no value. */
  invoke(fn: FunctionTarget, args: Value[], ctx: EvalContext, loc: Location): Value | undefined {
    if (ctx.mocks !== undefined) {
      const mock = ctx.mocks.get(fn.name);
      if (mock !== undefined) {
        if (mock.replacement !== undefined && mock.replacement.name !== fn.name) {
          const inner = new Map(ctx.mocks);
          inner.delete(fn.name);
          return this.invoke(mock.replacement, args, { ...ctx, mocks: inner }, loc);
        }
        return mock.value;
      }
    }
    if (fn.kind === 'user') return callUserFunction(this, fn.node, args, ctx, loc);
    this.bctx.location = loc;
    try {
      return fn.builtin.fn(args, this.bctx);
    } catch (error) {
      if (error instanceof BuiltinError) {
        if (!this.strict) return undefined;
        throw new RegoError(
          error.typeError ? 'eval_type_error' : 'eval_builtin_error',
          `${fn.name}: ${error.message}`,
          loc,
        );
      }
      if (error instanceof HaltError) throw new RegoError('eval_builtin_error', `${fn.name}: ${error.message}`, loc);
      if (error instanceof RangeError && /call stack/i.test(error.message)) {
        throw new RegoError('eval_internal_error', 'evaluation nested too deeply', loc);
      }
      throw error;
    }
  }

  /** Truthiness helper for callers outside the class. */
  static truthy(v: Value | undefined): boolean {
    return isTruthy(v);
  }
}

export function lookup(coll: Value | undefined, key: Value): Value | undefined {
  if (coll instanceof ObjectValue) return coll.get(key);
  if (Array.isArray(coll)) {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= coll.length) return undefined;
    return coll[key] as Value;
  }
  if (coll instanceof SetValue) return coll.has(key) ? key : undefined;
  return undefined;
}

export function baseAt(data: Value, path: readonly string[]): Value | undefined {
  let v: Value | undefined = data;
  for (const p of path) {
    if (!(v instanceof ObjectValue)) return undefined;
    v = v.get(p);
    if (v === undefined) return undefined;
  }
  return v;
}

function hasUnboundVar(t: CTerm, frame: Value[]): boolean {
  switch (t.k) {
    case 'var':
      return frame[t.slot] === undefined;
    case 'array':
    case 'set':
      for (const x of t.items) if (hasUnboundVar(x, frame)) return true;
      return false;
    case 'object':
      for (const [, v] of t.entries) if (hasUnboundVar(v, frame)) return true;
      return false;
    default:
      return false;
  }
}

function firstUnboundVar(t: CTerm, frame: Value[]): string | undefined {
  switch (t.k) {
    case 'var':
      return frame[t.slot] === undefined ? t.name : undefined;
    case 'array':
    case 'set':
      for (const x of t.items) {
        const n = firstUnboundVar(x, frame);
        if (n) return n;
      }
      return undefined;
    case 'object':
      for (const [, v] of t.entries) {
        const n = firstUnboundVar(v, frame);
        if (n) return n;
      }
      return undefined;
    default:
      return undefined;
  }
}
