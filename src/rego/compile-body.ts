import type { Body, Expr, Import, Term } from './ast.ts';
import type { BuiltinDefinition, CExpr, CTerm, CWith, FunctionTarget, RuleNode } from './compiled.ts';
import { type Location, RegoError } from './errors.ts';
import { reorderForSafety } from './safety.ts';
import { ObjectValue, SetValue, type Value } from './value.ts';

/** What name resolution needs to know about the world outside one rule. */
export interface ResolutionContext {
  readonly packagePath: readonly string[];
  readonly imports: readonly Import[];
  /** First segments of rule heads in the current package. */
  readonly packageRuleNames: ReadonlySet<string>;
  readonly root: RuleNode;
  readonly builtins: ReadonlyMap<string, BuiltinDefinition>;
  /** Names of user functions (full dotted data paths) → arity. */
  readonly functionArity: ReadonlyMap<string, number>;
  /** Rego v1 rules apply (`input`/`data` cannot be shadowed). */
  readonly v1?: boolean;
}

class Scope {
  readonly vars = new Map<string, number>();
  readonly parent: Scope | undefined;

  constructor(parent: Scope | undefined) {
    this.parent = parent;
  }

  lookup(name: string): number | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const slot = s.vars.get(name);
      if (slot !== undefined) return slot;
    }
    return undefined;
  }
}

export interface CompiledBodyResult {
  readonly exprs: CExpr[];
  readonly scope: Scope;
}

/** Compiles the bodies and head terms of one rule (or one query) into a single frame. */
export class BodyCompiler {
  private slotCount = 0;
  readonly names = new Map<number, string>();
  private readonly ctx: ResolutionContext;
  private readonly importAliases: Map<string, readonly string[]>;

  constructor(ctx: ResolutionContext) {
    this.ctx = ctx;
    this.importAliases = new Map();
    for (const imp of ctx.imports) {
      if (imp.path[0] !== 'input' && imp.path[0] !== 'data') continue;
      const alias = imp.alias ?? (imp.path[imp.path.length - 1] as string);
      this.importAliases.set(alias, imp.path);
    }
  }

  get frameSize(): number {
    return this.slotCount;
  }

  newSlot(name: string): number {
    const slot = this.slotCount++;
    this.names.set(slot, name);
    return slot;
  }

  rootScope(): Scope {
    return new Scope(undefined);
  }

  childScope(parent: Scope): Scope {
    return new Scope(parent);
  }

  /** Declares a variable in `scope` (function parameters, query variables). */
  declare(scope: Scope, name: string): number {
    const slot = this.newSlot(name);
    scope.vars.set(name, slot);
    return slot;
  }

  /**
   * Compiles a body in a new scope below `parent`. `sharedOutside` lists slots the head reads
   * (they must be bound by the body). Returns the ordered expressions and the body's scope.
   */
  compileBody(
    body: Body,
    parent: Scope,
    bound: ReadonlySet<number>,
    headTerms: readonly Term[] = [],
    presetScope?: Scope,
    args: ReadonlySet<string> = new Set(),
  ): CompiledBodyResult {
    const scope = presetScope ?? new Scope(parent);
    const firstSlot = this.slotCount;
    // Variables declared with := or some are visible to closures only after their declaration.
    const declaredAt = this.declareLevel(body, scope, headTerms, args);
    const exprs: CExpr[] = [];
    body.forEach((e, i) => {
      for (const [name, slot] of declaredAt[i] ?? []) scope.vars.set(name, slot);
      const compiled = this.compileExpr(e, scope);
      if (compiled !== undefined) exprs.push(compiled);
    });
    const local = new Set<number>(scope.vars.values());
    for (let s = firstSlot; s < this.slotCount; s++) if (this.isLevelSlot(s, scope)) local.add(s);
    const headSlots = new Set<number>();
    for (const t of headTerms)
      this.varNamesIn(t, (name) => {
        const slot = scope.lookup(name);
        if (slot !== undefined) headSlots.add(slot);
      });
    const { ordered, bound: after } = reorderForSafety(exprs, local, bound, this.names, headSlots);
    for (const slot of headSlots) {
      if (local.has(slot) && !after.has(slot)) {
        const loc = body[0]?.loc ?? headTerms[0]?.loc;
        throw new RegoError('rego_unsafe_var_error', `var ${this.names.get(slot)} is unsafe`, loc);
      }
    }
    return { exprs: ordered, scope };
  }

  private readonly wildcardLevel = new Map<number, Scope>();

  private isLevelSlot(slot: number, scope: Scope): boolean {
    return this.wildcardLevel.get(slot) === scope;
  }

  /**
   * Creates slots for every variable this body level introduces (not those of nested closures).
   * Undeclared variables join the scope at once; declared ones are returned per expression.
   */
  private declareLevel(
    body: Body,
    scope: Scope,
    headTerms: readonly Term[],
    args: ReadonlySet<string>,
  ): Array<Array<[string, number]>> {
    // As OPA: a name declared with := or some must not already occur in this body (as an
    // argument, a declaration, or a variable referenced by an earlier expression).
    const occurrence = new Map<string, 'arg' | 'referenced' | 'assigned' | 'declared'>();
    for (const a of args) occurrence.set(a, 'arg');
    const declared = new Map<string, number>();
    const declaredAt: Array<Array<[string, number]>> = body.map(() => []);
    const seen = (name: string) => {
      if (name !== '_' && !occurrence.has(name) && !this.isGlobalName(name)) occurrence.set(name, 'referenced');
    };
    body.forEach((e, i) => {
      const declare = (name: string, loc: Location, kind: 'assigned' | 'declared') => {
        if (name === '_') return;
        if (this.ctx.v1 && (name === 'input' || name === 'data')) {
          throw new RegoError(
            'rego_compile_error',
            `variables must not shadow ${name} (use a different variable name)`,
            loc,
          );
        }
        const occ = occurrence.get(name);
        if (occ !== undefined) {
          const message = occ === 'arg' ? `arg ${name} redeclared` : `var ${name} ${occ} above`;
          throw new RegoError('rego_compile_error', message, loc);
        }
        occurrence.set(name, kind);
        const slot = this.newSlot(name);
        declared.set(name, slot);
        (declaredAt[i] as Array<[string, number]>).push([name, slot]);
      };
      const lit = e.literal;
      if (lit.kind === 'assign') this.varNamesIn(lit.right, seen);
      else if (lit.kind === 'somein') this.varNamesIn(lit.collection, seen);
      else if (lit.kind !== 'some') this.exprVarNames(e, seen);
      for (const w of e.withs) this.varNamesIn(w.value, seen);
      if (lit.kind === 'some') for (const v of lit.vars) if (v.type === 'var') declare(v.name, v.loc, 'declared');
      if (lit.kind === 'assign') {
        this.checkAssignable(lit.left);
        this.patternVarNames(lit.left, (n, loc) => declare(n, loc, 'assigned'));
      }
      if (lit.kind === 'somein') {
        if (lit.key) this.patternVarNames(lit.key, (n, loc) => declare(n, loc, 'declared'));
        this.patternVarNames(lit.value, (n, loc) => declare(n, loc, 'declared'));
      }
    });
    const implicit = (name: string) => {
      if (name === '_' || declared.has(name) || scope.lookup(name) !== undefined || this.isGlobalName(name)) return;
      scope.vars.set(name, this.newSlot(name));
    };
    for (const e of body) this.exprVarNames(e, implicit);
    for (const t of headTerms) this.varNamesIn(t, implicit);
    return declaredAt;
  }

  /** The left of := must be a variable, or an array/object pattern (constants may sit inside). */
  private checkAssignable(t: Term, nested = false): void {
    switch (t.type) {
      case 'var':
        return;
      case 'array':
        for (const x of t.items) this.checkAssignable(x, true);
        return;
      case 'object':
        for (const [, v] of t.entries) this.checkAssignable(v, true);
        return;
      case 'scalar':
        if (nested) return;
        throw new RegoError(
          'rego_compile_error',
          `cannot assign to ${t.value === null ? 'null' : typeof t.value === 'bigint' ? 'number' : typeof t.value}`,
          t.loc,
        );
      default:
        throw new RegoError('rego_compile_error', `cannot assign to ${t.type}`, t.loc);
    }
  }

  private isGlobalName(name: string): boolean {
    return name === 'input' || name === 'data' || this.importAliases.has(name) || this.ctx.packageRuleNames.has(name);
  }

  /** Variables in unification-pattern positions of an assignment target. */
  private patternVarNames(t: Term, fn: (name: string, loc: Location) => void): void {
    switch (t.type) {
      case 'var':
        fn(t.name, t.loc);
        return;
      case 'array':
        for (const x of t.items) this.patternVarNames(x, fn);
        return;
      case 'object':
        for (const [, v] of t.entries) this.patternVarNames(v, fn);
        return;
      default:
        return;
    }
  }

  private exprVarNames(e: Expr, fn: (name: string) => void): void {
    const lit = e.literal;
    switch (lit.kind) {
      case 'expr':
        this.varNamesIn(lit.term, fn);
        break;
      case 'unify':
      case 'assign':
        this.varNamesIn(lit.left, fn);
        this.varNamesIn(lit.right, fn);
        break;
      case 'somein':
        this.varNamesIn(lit.collection, fn);
        break;
      case 'every':
        this.varNamesIn(lit.domain, fn);
        break;
      case 'some':
        break;
    }
    for (const w of e.withs) this.varNamesIn(w.value, fn);
  }

  /** Variable names at this level of a term (closures excluded; ref heads and keys included). */
  private varNamesIn(t: Term, fn: (name: string) => void): void {
    switch (t.type) {
      case 'var':
        fn(t.name);
        return;
      case 'ref':
        this.varNamesIn(t.head, fn);
        for (const p of t.path) this.varNamesIn(p, fn);
        return;
      case 'array':
      case 'set':
        for (const x of t.items) this.varNamesIn(x, fn);
        return;
      case 'object':
        for (const [k, v] of t.entries) {
          this.varNamesIn(k, fn);
          this.varNamesIn(v, fn);
        }
        return;
      case 'call':
        for (const a of t.args) this.varNamesIn(a, fn);
        return;
      default:
        return;
    }
  }

  // ---- expressions ---------------------------------------------------------------------------

  compileExpr(e: Expr, scope: Scope): CExpr | undefined {
    const withs =
      e.withs.length > 0 ? e.withs.map((w) => this.compileWith(w.target, w.value, w.loc, scope)) : undefined;
    const inner = this.compileLiteral(e, scope);
    if (inner === undefined) return undefined;
    if (e.negated) return { op: 'not', inner, withs, loc: e.loc };
    return withs ? ({ ...inner, withs } as CExpr) : inner;
  }

  private compileLiteral(e: Expr, scope: Scope): CExpr | undefined {
    const lit = e.literal;
    const loc = e.loc;
    switch (lit.kind) {
      case 'some':
        return undefined;
      case 'expr': {
        const term = lit.term;
        if (term.type === 'call') {
          const target = this.resolveFunction(term.name, term.loc);
          const arity = this.arityOf(target);
          const variadic = target.kind === 'builtin' && target.builtin.acceptsUndefined === true;
          if (term.args.length === arity + 1 && !variadic) {
            const call: CTerm = {
              k: 'call',
              fn: target,
              args: term.args.slice(0, arity).map((a) => this.compileTerm(a, scope)),
              loc: term.loc,
            };
            return { op: 'unify', a: this.compileTerm(term.args[arity] as Term, scope), b: call, loc };
          }
        }
        return { op: 'term', term: this.compileTerm(term, scope), loc };
      }
      case 'unify':
      case 'assign': {
        const a = this.compileTerm(lit.left, scope);
        const b = this.compileTerm(lit.right, scope);
        if (!shapesCompatible(a, b)) throw new RegoError('rego_type_error', 'match error', loc);
        return { op: 'unify', a, b, loc };
      }
      case 'somein':
        return {
          op: 'somein',
          key: lit.key ? this.compileTerm(lit.key, scope) : undefined,
          value: this.compileTerm(lit.value, scope),
          collection: this.compileTerm(lit.collection, scope),
          loc,
        };
      case 'every': {
        const everyScope = new Scope(scope);
        const key = lit.key ? this.declareVarTerm(lit.key, everyScope) : undefined;
        const value = this.declareVarTerm(lit.value, everyScope);
        const domain = this.compileTerm(lit.domain, scope);
        const boundInside = new Set<number>(everyScope.vars.values());
        const body = this.compileBody(lit.body, everyScope, boundInside).exprs;
        return { op: 'every', key, value, domain, body, loc };
      }
    }
  }

  private declareVarTerm(t: Term, scope: Scope): CTerm {
    if (t.type !== 'var') throw new RegoError('rego_compile_error', 'expected a variable', t.loc);
    const slot = this.newSlot(t.name);
    if (t.name !== '_') scope.vars.set(t.name, slot);
    return { k: 'var', slot, name: t.name };
  }

  private compileWith(target: readonly string[], valueTerm: Term, loc: Location, scope: Scope): CWith {
    const value = this.compileTerm(valueTerm, scope);
    const head = target[0] as string;
    if (head === 'input' || head === 'data') {
      const path = target.slice(1);
      if (head === 'data' && path.length > 0) {
        const fn = this.functionAt(['data', ...path]);
        if (fn !== undefined) return this.functionWith(fn, valueTerm, value, loc);
      }
      return { target: head, path, value };
    }
    const alias = this.importAliases.get(head);
    if (alias !== undefined) {
      const full = [...alias, ...target.slice(1)];
      if (full[0] === 'input') return { target: 'input', path: full.slice(1), value };
      const fn = this.functionAt(full);
      if (fn !== undefined) return this.functionWith(fn, valueTerm, value, loc);
      return { target: 'data', path: full.slice(1), value };
    }
    const fn = this.resolveFunction(target, loc);
    return this.functionWith(fn, valueTerm, value, loc);
  }

  private functionAt(fullPath: readonly string[]): FunctionTarget | undefined {
    const name = fullPath.join('.');
    if (!this.ctx.functionArity.has(name)) return undefined;
    const node = findNode(this.ctx.root, fullPath.slice(1));
    return node ? { kind: 'user', name, node } : undefined;
  }

  private functionWith(fn: FunctionTarget, valueTerm: Term, value: CTerm, loc: Location): CWith {
    let replacement: FunctionTarget | undefined;
    const name = valueTerm.type === 'var' ? [valueTerm.name] : refName(valueTerm);
    if (name !== undefined) {
      try {
        replacement = this.resolveFunction(name, loc);
      } catch {
        replacement = undefined;
      }
    }
    return { target: 'function', path: fn.name.split('.'), functionName: fn.name, value, replacement };
  }

  // ---- terms ---------------------------------------------------------------------------------

  compileTerm(t: Term, scope: Scope): CTerm {
    switch (t.type) {
      case 'scalar':
        return { k: 'const', v: t.value };
      case 'var':
        return this.compileVar(t.name, t.loc, scope);
      case 'ref':
        return this.compileRef(t, scope);
      case 'array': {
        const items = t.items.map((x) => this.compileTerm(x, scope));
        return allConst(items) ? { k: 'const', v: items.map((x) => (x as { v: Value }).v) } : { k: 'array', items };
      }
      case 'set': {
        const items = t.items.map((x) => this.compileTerm(x, scope));
        return allConst(items)
          ? { k: 'const', v: SetValue.of(items.map((x) => (x as { v: Value }).v)) }
          : { k: 'set', items };
      }
      case 'object': {
        const entries = t.entries.map(([k, v]) => [this.compileTerm(k, scope), this.compileTerm(v, scope)] as const);
        if (entries.every(([k, v]) => k.k === 'const' && v.k === 'const')) {
          const obj = new ObjectValue();
          for (const [k, v] of entries) obj.set((k as { v: Value }).v, (v as { v: Value }).v);
          return { k: 'const', v: obj };
        }
        return { k: 'object', entries };
      }
      case 'arraycompr':
      case 'setcompr': {
        const inner = new Scope(scope);
        const compiled = this.compileBody(t.body, scope, new Set(), [t.term], inner);
        const term = this.compileTerm(t.term, compiled.scope);
        return { k: t.type === 'arraycompr' ? 'acompr' : 'scompr', term, body: compiled.exprs };
      }
      case 'objectcompr': {
        const inner = new Scope(scope);
        const compiled = this.compileBody(t.body, scope, new Set(), [t.key, t.value], inner);
        return {
          k: 'ocompr',
          key: this.compileTerm(t.key, compiled.scope),
          value: this.compileTerm(t.value, compiled.scope),
          body: compiled.exprs,
        };
      }
      case 'call': {
        const fn = this.resolveFunction(t.name, t.loc);
        const arity = this.arityOf(fn);
        if (t.args.length !== arity && !(fn.kind === 'builtin' && fn.builtin.acceptsUndefined)) {
          throw new RegoError(
            'rego_type_error',
            `${fn.name}: arity mismatch\n\thave: (${t.args.length} arguments)\n\twant: (${arity} arguments)`,
            t.loc,
          );
        }
        return { k: 'call', fn, args: t.args.map((a) => this.compileTerm(a, scope)), loc: t.loc };
      }
    }
  }

  private compileVar(name: string, loc: Location, scope: Scope): CTerm {
    if (name === '_') {
      const slot = this.newSlot('_');
      this.wildcardLevel.set(slot, scope);
      return { k: 'var', slot, name };
    }
    const slot = scope.lookup(name);
    if (slot !== undefined) return { k: 'var', slot, name };
    const global = this.globalRef(name);
    if (global !== undefined) return global;
    throw new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, loc);
  }

  /** `input`, `data`, an import alias, or a rule of the current package, as a ref. */
  private globalRef(name: string): CTerm | undefined {
    if (name === 'input') return { k: 'input' };
    if (name === 'data') return this.dataRef([]);
    const alias = this.importAliases.get(name);
    if (alias !== undefined) {
      const path = alias.slice(1).map((s): CTerm => ({ k: 'const', v: s }));
      return alias[0] === 'input' ? makeRef({ k: 'input' }, path) : this.dataRef(path);
    }
    if (this.ctx.packageRuleNames.has(name)) {
      return this.dataRef([...this.ctx.packagePath, name].map((s): CTerm => ({ k: 'const', v: s })));
    }
    return undefined;
  }

  private dataRef(path: CTerm[]): CTerm {
    let node: RuleNode | undefined = this.ctx.root;
    let depth = 0;
    for (const p of path) {
      if (p.k !== 'const' || typeof p.v !== 'string') break;
      const child: RuleNode | undefined = node.children.get(p.v);
      if (child === undefined) break;
      node = child;
      depth++;
    }
    return { k: 'ref', head: { k: 'data' }, path, node, nodeDepth: depth };
  }

  private compileRef(t: Extract<Term, { type: 'ref' }>, scope: Scope): CTerm {
    const head = this.compileTerm(t.head, scope);
    const path = t.path.map((p) => this.compileTerm(p, scope));
    if (head.k === 'ref' && head.head.k === 'data') return this.dataRef([...head.path, ...path]);
    if (head.k === 'ref') return makeRef(head.head, [...head.path, ...path]);
    return makeRef(head, path);
  }

  // ---- functions -----------------------------------------------------------------------------

  resolveFunction(name: readonly string[], loc: Location): FunctionTarget {
    const first = name[0] as string;
    let full: readonly string[] | undefined;
    if (first === 'data') full = name;
    else if (this.importAliases.has(first)) full = [...(this.importAliases.get(first) as string[]), ...name.slice(1)];
    else if (this.ctx.packageRuleNames.has(first)) full = ['data', ...this.ctx.packagePath, ...name];
    if (full !== undefined) {
      const fn = this.functionAt(full);
      if (fn !== undefined) return fn;
      if (first === 'data' || this.importAliases.has(first)) {
        throw new RegoError('rego_type_error', `undefined function ${full.join('.')}`, loc);
      }
    }
    const dotted = name.join('.');
    const builtin = this.ctx.builtins.get(dotted);
    if (builtin !== undefined) return { kind: 'builtin', name: dotted, builtin };
    throw new RegoError('rego_type_error', `undefined function ${dotted}`, loc);
  }

  arityOf(fn: FunctionTarget): number {
    if (fn.kind === 'builtin') return fn.builtin.arity;
    return this.ctx.functionArity.get(fn.name) ?? 0;
  }
}

/** Whether two unified terms can match as far as their literal shapes show. */
function shapesCompatible(a: CTerm, b: CTerm): boolean {
  const shape = (t: CTerm): 'array' | 'object' | 'scalar' | undefined => {
    if (t.k === 'array') return 'array';
    if (t.k === 'object') return 'object';
    if (t.k === 'const')
      return Array.isArray(t.v)
        ? 'array'
        : t.v instanceof ObjectValue
          ? 'object'
          : t.v instanceof SetValue
            ? undefined
            : 'scalar';
    return undefined;
  };
  const sa = shape(a);
  const sb = shape(b);
  if (sa === undefined || sb === undefined) return true;
  if (sa !== sb) return false;
  if (sa === 'array') {
    const items = (t: CTerm): readonly CTerm[] =>
      t.k === 'array' ? t.items : (t as { v: Value[] } & CTerm).v.map((v): CTerm => ({ k: 'const', v }));
    const x = items(a);
    const y = items(b);
    return x.length === y.length && x.every((t, i) => shapesCompatible(t, y[i] as CTerm));
  }
  return true;
}

function allConst(items: readonly CTerm[]): boolean {
  for (const x of items) if (x.k !== 'const') return false;
  return true;
}

function makeRef(head: CTerm, path: CTerm[]): CTerm {
  return path.length === 0 ? head : { k: 'ref', head, path };
}

function refName(t: Term): string[] | undefined {
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const out = [t.head.name];
  for (const p of t.path) {
    if (p.type !== 'scalar' || typeof p.value !== 'string') return undefined;
    out.push(p.value);
  }
  return out;
}

export function findNode(root: RuleNode, path: readonly string[]): RuleNode | undefined {
  let node: RuleNode | undefined = root;
  for (const p of path) {
    node = node.children.get(p);
    if (node === undefined) return undefined;
  }
  return node;
}

export type { Scope };
