import type { CExpr, CTerm } from './compiled.ts';
import { RegoError } from './errors.ts';

/**
 * Orders a body so every variable is bound before it is read, as OPA's compiler does: the first
 * expression (in written order) whose inputs are bound goes next. `local` holds the slots that
 * belong to this body; slots of enclosing bodies are bound by the time it runs.
 */
export function reorderForSafety(
  exprs: readonly CExpr[],
  local: ReadonlySet<number>,
  initiallyBound: ReadonlySet<number>,
  names: ReadonlyMap<number, string>,
  sharedOutside: ReadonlySet<number>,
): { ordered: CExpr[]; bound: Set<number> } {
  const infos = exprs.map((e) => analyzeExpr(e, local));
  // A variable mentioned by several expressions (or the head) must be bound outside `not`/`every`.
  const counts = new Map<number, number>();
  for (const info of infos) for (const s of info.all) counts.set(s, (counts.get(s) ?? 0) + 1);
  const shared = (s: number) => (counts.get(s) ?? 0) > 1 || sharedOutside.has(s);
  for (const info of infos) {
    if (info.closed) {
      for (const s of info.closedVars) if (shared(s)) info.needs.add(s);
    }
  }
  const bound = new Set(initiallyBound);
  const remaining = exprs.map((e, i) => ({ e, info: infos[i] as ExprInfo }));
  const ordered: CExpr[] = [];
  while (remaining.length > 0) {
    const index = remaining.findIndex(({ e, info }) => isReady(e, info, bound, local));
    if (index < 0) {
      const first = remaining[0] as { e: CExpr; info: ExprInfo };
      const unsafe = [...first.info.needs, ...first.info.gives].filter((s) => !bound.has(s));
      const name = names.get(unsafe[0] ?? -1) ?? '?';
      throw new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, first.e.loc);
    }
    const [{ e, info }] = remaining.splice(index, 1) as [{ e: CExpr; info: ExprInfo }];
    ordered.push(e);
    for (const s of info.gives) bound.add(s);
    for (const s of info.needs) bound.add(s);
  }
  return { ordered, bound };
}

interface ExprInfo {
  needs: Set<number>;
  gives: Set<number>;
  /** Every local slot the expression mentions. */
  all: Set<number>;
  /** `not`/`every`: variables are local unless shared with the rest of the body. */
  closed: boolean;
  closedVars: Set<number>;
}

function analyzeExpr(e: CExpr, local: ReadonlySet<number>): ExprInfo {
  const needs = new Set<number>();
  const gives = new Set<number>();
  const info: ExprInfo = { needs, gives, all: new Set(), closed: false, closedVars: new Set() };
  switch (e.op) {
    case 'term':
      termVars(e.term, false, needs, gives, local);
      break;
    case 'unify':
      termVars(e.a, true, needs, gives, local);
      termVars(e.b, true, needs, gives, local);
      break;
    case 'somein':
      termVars(e.collection, false, needs, gives, local);
      if (e.key) termVars(e.key, true, needs, gives, local);
      termVars(e.value, true, needs, gives, local);
      break;
    case 'not':
    case 'every': {
      info.closed = true;
      const inner = new Set<number>();
      collectSlots(e, inner, local);
      info.closedVars = inner;
      if (e.op === 'every') {
        // The domain's plain variables must be bound; iteration variables inside refs stay local.
        const n = new Set<number>();
        const g = new Set<number>();
        termVars(e.domain, false, n, g, local);
        for (const s of n) needs.add(s);
      }
      break;
    }
  }
  for (const w of e.withs ?? []) termVars(w.value, false, needs, gives, local);
  for (const s of gives) needs.delete(s);
  collectSlots(e, info.all, local);
  return info;
}

function isReady(e: CExpr, info: ExprInfo, bound: ReadonlySet<number>, local: ReadonlySet<number>): boolean {
  for (const s of info.needs) if (!bound.has(s)) return false;
  if (e.op === 'unify') return unifyReady(e.a, e.b, bound, local);
  return true;
}

function unifyReady(a: CTerm, b: CTerm, bound: ReadonlySet<number>, local: ReadonlySet<number>): boolean {
  if (!hasUnboundPatternVar(a, bound, local) || !hasUnboundPatternVar(b, bound, local)) return true;
  if (a.k === 'array' && b.k === 'array' && a.items.length === b.items.length) {
    return a.items.every((x, i) => unifyReady(x, b.items[i] as CTerm, bound, local));
  }
  if (a.k === 'object' && b.k === 'object' && a.entries.length === b.entries.length) {
    return a.entries.every(([, v], i) => unifyReady(v, (b.entries[i] as readonly [CTerm, CTerm])[1], bound, local));
  }
  return false;
}

function hasUnboundPatternVar(t: CTerm, bound: ReadonlySet<number>, local: ReadonlySet<number>): boolean {
  switch (t.k) {
    case 'var':
      return local.has(t.slot) && !bound.has(t.slot);
    case 'array':
    case 'set':
      return t.items.some((x) => hasUnboundPatternVar(x, bound, local));
    case 'object':
      return t.entries.some(([, v]) => hasUnboundPatternVar(v, bound, local));
    default:
      return false;
  }
}

/** Variables a term reads (`needs`) and binds (`gives`); `pattern` marks unification positions. */
export function termVars(
  t: CTerm,
  pattern: boolean,
  needs: Set<number>,
  gives: Set<number>,
  local: ReadonlySet<number>,
): void {
  switch (t.k) {
    case 'var':
      if (local.has(t.slot)) (pattern ? gives : needs).add(t.slot);
      return;
    case 'ref':
      termVars(t.head, false, needs, gives, local);
      for (const p of t.path) termVars(p, true, needs, gives, local);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) termVars(x, pattern, needs, gives, local);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        termVars(k, false, needs, gives, local);
        termVars(v, pattern, needs, gives, local);
      }
      return;
    case 'call':
      for (const a of t.args) termVars(a, false, needs, gives, local);
      return;
    case 'acompr':
    case 'scompr':
    case 'ocompr': {
      const inner = new Set<number>();
      collectTermSlots(t, inner, local);
      for (const s of inner) needs.add(s);
      return;
    }
    default:
      return;
  }
}

/** Every local slot mentioned anywhere in an expression, closures included. */
export function collectSlots(e: CExpr, out: Set<number>, local: ReadonlySet<number>): void {
  switch (e.op) {
    case 'term':
      collectTermSlots(e.term, out, local);
      break;
    case 'unify':
      collectTermSlots(e.a, out, local);
      collectTermSlots(e.b, out, local);
      break;
    case 'not':
      collectSlots(e.inner, out, local);
      break;
    case 'somein':
      if (e.key) collectTermSlots(e.key, out, local);
      collectTermSlots(e.value, out, local);
      collectTermSlots(e.collection, out, local);
      break;
    case 'every':
      if (e.key) collectTermSlots(e.key, out, local);
      collectTermSlots(e.value, out, local);
      collectTermSlots(e.domain, out, local);
      for (const x of e.body) collectSlots(x, out, local);
      break;
  }
  for (const w of e.withs ?? []) collectTermSlots(w.value, out, local);
}

export function collectTermSlots(t: CTerm, out: Set<number>, local: ReadonlySet<number>): void {
  switch (t.k) {
    case 'var':
      if (local.has(t.slot)) out.add(t.slot);
      return;
    case 'ref':
      collectTermSlots(t.head, out, local);
      for (const p of t.path) collectTermSlots(p, out, local);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) collectTermSlots(x, out, local);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        collectTermSlots(k, out, local);
        collectTermSlots(v, out, local);
      }
      return;
    case 'call':
      for (const a of t.args) collectTermSlots(a, out, local);
      return;
    case 'acompr':
    case 'scompr':
      collectTermSlots(t.term, out, local);
      for (const e of t.body) collectSlots(e, out, local);
      return;
    case 'ocompr':
      collectTermSlots(t.key, out, local);
      collectTermSlots(t.value, out, local);
      for (const e of t.body) collectSlots(e, out, local);
      return;
    default:
      return;
  }
}
