import type { Annotation, Module, Rule, Term } from './ast.ts';
import { BodyCompiler, type ResolutionContext } from './compile-body.ts';
import type { BuiltinDefinition, CBody, CompiledRule, CTerm, RuleNode } from './compiled.ts';
import { RegoError } from './errors.ts';

export interface CompiledModules {
  readonly root: RuleNode;
  readonly modules: readonly Module[];
  /** Every rule, in module order. */
  readonly rules: readonly CompiledRule[];
}

function newNode(path: readonly string[]): RuleNode {
  return {
    path,
    children: new Map(),
    rules: [],
    functions: [],
    defaultRule: undefined,
    defaultFunction: undefined,
    hasDocument: false,
  };
}

function nodeAt(root: RuleNode, path: readonly string[]): RuleNode {
  let node = root;
  for (const key of path) {
    let child = node.children.get(key);
    if (child === undefined) {
      child = newNode([...node.path, key]);
      node.children.set(key, child);
    }
    node = child;
  }
  return node;
}

/** Leading constant string keys of a rule's head reference. */
function staticPrefix(ref: readonly Term[]): string[] {
  const out: string[] = [];
  for (const t of ref) {
    if (t.type !== 'scalar' || typeof t.value !== 'string') break;
    out.push(t.value);
  }
  return out;
}

/**
 * Builds the rule tree for a set of modules and compiles every rule. Throws RegoError for
 * compile errors (unsafe variables, undefined functions, conflicting rule kinds).
 */
export function compileModules(
  modules: readonly Module[],
  builtins: ReadonlyMap<string, BuiltinDefinition>,
): CompiledModules {
  const root = newNode([]);
  const packageRuleNames = new Map<string, Set<string>>();
  const functionArity = new Map<string, number>();
  const placed: Array<{ module: Module; rule: Rule; node: RuleNode; suffix: readonly Term[] }> = [];

  for (const module of modules) {
    const pkgKey = module.packagePath.join('\u0000');
    let names = packageRuleNames.get(pkgKey);
    if (names === undefined) {
      names = new Set();
      packageRuleNames.set(pkgKey, names);
    }
    nodeAt(root, module.packagePath);
    for (const rule of module.rules) {
      const prefix = staticPrefix(rule.ref);
      names.add(prefix[0] as string);
      if (module.v1 && (prefix[0] === 'input' || prefix[0] === 'data')) {
        throw new RegoError(
          'rego_compile_error',
          `rules must not shadow ${prefix[0]} (use a different rule name)`,
          rule.loc,
        );
      }
      if (rule.kind === 'function' && prefix.length !== rule.ref.length) {
        throw new RegoError('rego_parse_error', 'function name must be a constant path', rule.loc);
      }
      if (rule.isDefault && rule.value !== undefined) checkDefaultValue(rule.value);
      const node = nodeAt(root, [...module.packagePath, ...prefix]);
      placed.push({ module, rule, node, suffix: rule.ref.slice(prefix.length) });
      if (rule.kind === 'function') {
        const name = `data.${node.path.join('.')}`;
        const arity = rule.args?.length ?? 0;
        const known = functionArity.get(name);
        if (known !== undefined && known !== arity) {
          throw new RegoError('rego_type_error', `conflicting function arity for ${name}`, rule.loc);
        }
        functionArity.set(name, arity);
      }
    }
  }

  const rules: CompiledRule[] = [];
  for (const { module, rule, node, suffix } of placed) {
    const ctx: ResolutionContext = {
      packagePath: module.packagePath,
      imports: module.imports,
      packageRuleNames: packageRuleNames.get(module.packagePath.join('\u0000')) as Set<string>,
      root,
      builtins,
      functionArity,
      v1: module.v1,
    };
    const compiled = compileRule(rule, module, suffix, ctx);
    rules.push(compiled);
    placeRule(node, compiled);
  }
  markDocuments(root);
  return { root, modules, rules };
}

function placeRule(node: RuleNode, rule: CompiledRule): void {
  const name = `data.${node.path.join('.')}`;
  if (rule.kind === 'function') {
    if (node.rules.length > 0 || node.defaultRule) {
      throw new RegoError('rego_type_error', `conflicting rules ${name} found`, rule.loc);
    }
    if (rule.isDefault) {
      if (node.defaultFunction)
        throw new RegoError('rego_type_error', `multiple default rules ${name} found`, rule.loc);
      node.defaultFunction = rule;
    } else node.functions.push(rule);
    return;
  }
  if (node.functions.length > 0 || node.defaultFunction) {
    throw new RegoError('rego_type_error', `conflicting rules ${name} found`, rule.loc);
  }
  if (rule.isDefault && rule.kind !== 'object') {
    if (node.defaultRule) throw new RegoError('rego_type_error', `multiple default rules ${name} found`, rule.loc);
    node.defaultRule = rule;
    return;
  }
  const kinds = new Set(node.rules.map(ruleShape));
  kinds.add(ruleShape(rule));
  if (kinds.size > 1 && (kinds.has('complete') || kinds.has('set'))) {
    throw new RegoError('rego_type_error', `conflicting rules ${name} found`, rule.loc);
  }
  node.rules.push(rule);
}

function ruleShape(rule: CompiledRule): string {
  if (rule.kind === 'complete') return 'complete';
  if (rule.kind === 'multi' && rule.suffix.length === 0) return 'set';
  return 'object';
}

/** Function nodes are not documents; every other node (packages and prefixes included) is. */
function markDocuments(node: RuleNode): void {
  node.hasDocument = node.functions.length === 0 && node.defaultFunction === undefined;
  for (const child of node.children.values()) markDocuments(child);
}

function compileRule(rule: Rule, module: Module, suffix: readonly Term[], ctx: ResolutionContext): CompiledRule {
  const bc = new BodyCompiler(ctx);
  const rootScope = bc.rootScope();
  const bound = new Set<number>();
  if (rule.args) {
    for (const arg of rule.args) declarePatternVars(bc, rootScope, arg, bound);
  }
  const params = rule.args?.map((a) => bc.compileTerm(a, rootScope));
  const argNames = new Set(rootScope.vars.keys());
  const bodies: CBody[] = [];
  let compiledSuffix: CTerm[] = [];
  let member: CTerm | undefined;

  const clauses = [
    { value: rule.value, body: rule.body },
    ...rule.elses.map((e) => ({ value: e.value, body: e.body })),
  ];
  clauses.forEach((clause, index) => {
    const headTerms: Term[] = [];
    if (clause.value) headTerms.push(clause.value);
    if (index === 0) {
      headTerms.push(...suffix);
      if (rule.key) headTerms.push(rule.key);
    }
    const { exprs, scope } = bc.compileBody(clause.body, rootScope, bound, headTerms, undefined, argNames);
    const value = clause.value ? bc.compileTerm(clause.value, scope) : undefined;
    if (index === 0) {
      compiledSuffix = suffix.map((t) => bc.compileTerm(t, scope));
      if (rule.key) member = bc.compileTerm(rule.key, scope);
    }
    bodies.push({ exprs, value, constantValue: value === undefined || value.k === 'const' });
  });

  const annotations: Annotation[] = rule.annotations ?? [];
  // A complete rule with constant non-string keys (`c[7] := x`) is an object rule.
  const kind = rule.kind === 'complete' && compiledSuffix.length > 0 ? 'object' : rule.kind;
  return {
    kind,
    isDefault: rule.isDefault,
    frameSize: bc.frameSize,
    params,
    suffix: compiledSuffix,
    member,
    bodies,
    loc: rule.loc,
    module,
    annotations,
    packagePath: module.packagePath,
    name: staticPrefix(rule.ref),
  };
}

/** Default values are constants: no variables, references or calls outside comprehensions. */
function checkDefaultValue(t: Term): void {
  const fail = (what: string) => {
    throw new RegoError('rego_parse_error', `illegal default rule (value cannot contain ${what})`, t.loc);
  };
  switch (t.type) {
    case 'var':
    case 'ref':
    case 'call':
      fail(t.type);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) checkDefaultValue(x);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        checkDefaultValue(k);
        checkDefaultValue(v);
      }
      return;
    default:
      return;
  }
}

function declarePatternVars(
  bc: BodyCompiler,
  scope: ReturnType<BodyCompiler['rootScope']>,
  t: Term,
  bound: Set<number>,
): void {
  switch (t.type) {
    case 'var':
      if (t.name !== '_' && scope.vars.has(t.name)) {
        bound.add(scope.vars.get(t.name) as number);
        return;
      }
      if (t.name !== '_') bound.add(bc.declare(scope, t.name));
      return;
    case 'array':
    case 'set':
      for (const x of t.items) declarePatternVars(bc, scope, x, bound);
      return;
    case 'object':
      for (const [, v] of t.entries) declarePatternVars(bc, scope, v, bound);
      return;
    default:
      return;
  }
}
