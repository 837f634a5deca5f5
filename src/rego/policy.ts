import type { Annotation, Body, Module } from './ast.ts';
import { defaultBuiltins } from './builtins/index.ts';
import { BodyCompiler } from './compile-body.ts';
import type { BuiltinContext, BuiltinDefinition, CExpr, CompiledRule, RuleNode } from './compiled.ts';
import { compileModules } from './compiler.ts';
import type { Location } from './errors.ts';
import type { EvalContext } from './eval-context.ts';
import { Evaluator } from './evaluator.ts';
import { formatValue, fromJS } from './json.ts';
import { metadataChain, ruleMetadata } from './metadata.ts';
import { parseModule, parseQuery, type RegoVersion } from './parser.ts';
import { ObjectValue, type Value } from './value.ts';

export interface ModuleSource {
  /** File name used in messages (`policy.rego:12: …`). */
  readonly file: string;
  readonly source: string;
}

export interface PolicyOptions {
  /** Syntax of the sources: v1 (default) or v0 (OPA 0.x; `import rego.v1` switches a module to v1). */
  readonly version?: RegoVersion;
  /** Builtins available to the policy; defaults to OPA's and Trivy's. */
  readonly builtins?: ReadonlyMap<string, BuiltinDefinition>;
  /** Base documents (`data`), as plain JSON-like values or Rego values. */
  readonly data?: unknown;
}

export interface EvalOptions {
  /** The input document; undefined means no input. */
  readonly input?: Value;
  /** Replaces the policy's base documents for this evaluation. */
  readonly data?: Value;
  /** Builtin errors raise (eval_builtin_error / eval_type_error) instead of making the expression undefined. */
  readonly strict?: boolean;
  /** Current time for time.now_ns (default: the real clock). */
  readonly now?: () => Date;
  /** Randomness for rand.intn and uuid.rfc4122 (default: Math.random). */
  readonly random?: () => number;
  /** Receives print() output, one call per print. */
  readonly print?: (line: string) => void;
  /** Environment for opa.runtime(). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}

export interface QueryOptions {
  /** Report each expression's value (as OPA's rego API does), not only variable bindings. */
  readonly captureExpressions?: boolean;
}

export interface QueryResult {
  readonly bindings: ReadonlyMap<string, Value>;
  /** With captureExpressions: the value of each expression (true for assignments). */
  readonly expressions: readonly Value[];
}

/** Queries that share one input and one rule cache (see Policy.session). */
export interface EvalSession {
  evalPath(path: readonly string[]): Value | undefined;
}

export interface PreparedQuery {
  readonly exprs: readonly CExpr[];
  readonly frameSize: number;
  readonly vars: ReadonlyArray<readonly [string, number]>;
  readonly expressionCount: number;
}

/** Parsed and compiled modules plus base data; evaluate queries against it many times. */
export class Policy {
  readonly modules: readonly Module[];
  readonly rules: readonly CompiledRule[];
  readonly root: RuleNode;
  readonly builtins: ReadonlyMap<string, BuiltinDefinition>;
  readonly data: Value;
  private readonly version: RegoVersion;

  private constructor(modules: readonly Module[], options: PolicyOptions) {
    this.builtins = options.builtins ?? defaultBuiltins();
    const compiled = compileModules(modules, this.builtins);
    this.modules = modules;
    this.rules = compiled.rules;
    this.root = compiled.root;
    this.data = options.data === undefined ? new ObjectValue() : fromJS(options.data);
    this.version = options.version ?? 'v1';
  }

  /** Parses and compiles sources. Throws RegoError on the first parse or compile error. */
  static fromSources(sources: readonly ModuleSource[], options: PolicyOptions = {}): Policy {
    const modules = sources.map((s) => parseModule(s.source, s.file, { version: options.version }));
    return new Policy(modules, options);
  }

  static fromModules(modules: readonly Module[], options: PolicyOptions = {}): Policy {
    return new Policy(modules, options);
  }

  /** Every METADATA annotation, in module order. */
  annotations(): Annotation[] {
    return this.modules.flatMap((m) => [...m.annotations]);
  }

  prepare(query: string | Body, options: QueryOptions = {}): PreparedQuery {
    const body = typeof query === 'string' ? parseQuery(query, { version: this.version }) : query;
    const bc = new BodyCompiler({
      packagePath: [],
      imports: [],
      packageRuleNames: new Set(),
      root: this.root,
      builtins: this.builtins,
      functionArity: this.functionArity(),
    });
    const scope = bc.rootScope();
    const { exprs, scope: bodyScope } = bc.compileBody(body, scope, new Set());
    let out: CExpr[] = exprs;
    let expressionCount = 0;
    if (options.captureExpressions) {
      const order = new Map<CExpr, number>();
      // Expressions keep their written position for reporting even after safety reordering.
      const written = body.filter((e) => e.literal.kind !== 'some');
      expressionCount = written.length;
      exprs.forEach((e) => {
        const index = written.findIndex((w) => w.loc.row === e.loc.row && w.loc.col === e.loc.col);
        order.set(e, Math.max(index, 0));
      });
      const check = written.length > 1;
      out = exprs.map((e) => (e.op === 'term' ? { ...e, capture: order.get(e), captureCheck: check } : e));
    }
    const vars = [...bodyScope.vars.entries()].filter(([name]) => !name.startsWith('$'));
    return { exprs: out, frameSize: bc.frameSize, vars, expressionCount };
  }

  private functionArityCache: Map<string, number> | undefined;

  private functionArity(): Map<string, number> {
    if (this.functionArityCache === undefined) {
      const map = new Map<string, number>();
      const walk = (node: RuleNode) => {
        const fn = node.functions[0] ?? node.defaultFunction;
        if (fn) map.set(`data.${node.path.join('.')}`, fn.params?.length ?? 0);
        for (const child of node.children.values()) walk(child);
      };
      walk(this.root);
      this.functionArityCache = map;
    }
    return this.functionArityCache;
  }

  /** Evaluates a query and returns every solution. */
  evaluate(query: string | PreparedQuery, options: EvalOptions = {}, queryOptions: QueryOptions = {}): QueryResult[] {
    const prepared = typeof query === 'string' ? this.prepare(query, queryOptions) : query;
    const { evaluator, ctx } = this.start(options);
    const frame: Value[] = new Array(prepared.frameSize);
    const results: QueryResult[] = [];
    evaluator.evalBody(prepared.exprs, 0, frame, ctx, () => {
      const bindings = new Map<string, Value>();
      for (const [name, slot] of prepared.vars) {
        const v = frame[slot];
        if (v !== undefined) bindings.set(name, v);
      }
      const expressions: Value[] = [];
      for (let i = 0; i < prepared.expressionCount; i++) expressions.push(evaluator.captured[i] ?? true);
      results.push({ bindings, expressions });
      return false;
    });
    return results;
  }

  /** The value of `data.<path>` (undefined when the document is undefined). */
  evalPath(path: readonly string[], options: EvalOptions = {}): Value | undefined {
    return this.session(options).evalPath(path);
  }

  /**
   * An evaluation context for one input: rule values computed by one query (a library's
   * `containers`, say) are reused by the next, so evaluating many checks against the same
   * input does the shared work once.
   */
  session(options: EvalOptions = {}): EvalSession {
    const { evaluator, ctx } = this.start(options);
    const policy = this;
    return {
      evalPath(path: readonly string[]): Value | undefined {
        let out: Value | undefined;
        const ref = path.map((p) => ({ k: 'const' as const, v: p }));
        evaluator.walkData(ref, 0, policy.root, ctx.data, undefined, [], ctx, (v) => {
          out = v;
          return true;
        });
        return out;
      },
    };
  }

  private start(options: EvalOptions): { evaluator: Evaluator; ctx: EvalContext } {
    const now = options.now?.() ?? new Date();
    const bctx: BuiltinContext & { location: Location; rule: CompiledRule | undefined } = {
      nowNs: BigInt(now.getTime()) * 1_000_000n,
      strict: options.strict ?? false,
      memo: new Map(),
      random: options.random ?? Math.random,
      print: options.print ?? (() => {}),
      env: options.env ?? {},
      rule: undefined,
      metadataChain: (rule) => metadataChain(this, rule),
      metadataRule: (rule) => ruleMetadata(this, rule),
      location: { file: '', row: 0, col: 0 },
    };
    const evaluator = new Evaluator({ strict: options.strict ?? false, builtinContext: bctx, signal: options.signal });
    const ctx: EvalContext = {
      root: this.root,
      input: options.input,
      data: options.data ?? this.data,
      overrides: undefined,
      mocks: undefined,
      cache: new Map(),
      functionCache: new Map(),
    };
    return { evaluator, ctx };
  }
}

export { formatValue };
