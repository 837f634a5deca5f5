import type { Annotation, Module } from './ast.ts';
import type { Location } from './errors.ts';
import type { Value } from './value.ts';

/**
 * The evaluator's program: names resolved, variables numbered into frame slots, bodies ordered
 * so every variable is bound before it is read. Each rule or query has its own frame.
 */
export type CTerm =
  | { readonly k: 'const'; readonly v: Value }
  | { readonly k: 'var'; readonly slot: number; readonly name: string }
  | { readonly k: 'input' }
  | { readonly k: 'data' }
  | {
      readonly k: 'ref';
      readonly head: CTerm;
      readonly path: readonly CTerm[];
      /** For `data` refs whose leading keys are constant: the deepest rule node they reach. */
      readonly node?: RuleNode;
      /** How many path elements `node` consumed. */
      readonly nodeDepth?: number;
    }
  | { readonly k: 'array'; readonly items: readonly CTerm[] }
  | { readonly k: 'set'; readonly items: readonly CTerm[] }
  | { readonly k: 'object'; readonly entries: ReadonlyArray<readonly [CTerm, CTerm]> }
  | { readonly k: 'acompr'; readonly term: CTerm; readonly body: readonly CExpr[] }
  | { readonly k: 'scompr'; readonly term: CTerm; readonly body: readonly CExpr[] }
  | { readonly k: 'ocompr'; readonly key: CTerm; readonly value: CTerm; readonly body: readonly CExpr[] }
  | {
      readonly k: 'call';
      readonly fn: FunctionTarget;
      readonly args: readonly CTerm[];
      readonly loc: Location;
    };

export type FunctionTarget =
  | { readonly kind: 'builtin'; readonly name: string; readonly builtin: BuiltinDefinition }
  | { readonly kind: 'user'; readonly name: string; readonly node: RuleNode };

export interface CWith {
  /** `input`, `data` or a function name. */
  readonly target: 'input' | 'data' | 'function';
  /** For input/data: the path below the root. For functions: the dotted name. */
  readonly path: readonly string[];
  /** Function being mocked: its full name (`count`, `data.lib.f`). */
  readonly functionName?: string;
  readonly value: CTerm;
  /** When the replacement is a function (`with f as g`): the target to call instead. */
  readonly replacement?: FunctionTarget;
}

export type CExpr =
  | {
      readonly op: 'term';
      readonly term: CTerm;
      readonly withs?: readonly CWith[];
      readonly loc: Location;
      /** Query expressions whose value is reported (index into the result's expressions). */
      readonly capture?: number;
      readonly captureCheck?: boolean;
    }
  | {
      readonly op: 'unify';
      readonly a: CTerm;
      readonly b: CTerm;
      readonly withs?: readonly CWith[];
      readonly loc: Location;
    }
  | { readonly op: 'not'; readonly inner: CExpr; readonly withs?: readonly CWith[]; readonly loc: Location }
  | {
      readonly op: 'somein';
      readonly key: CTerm | undefined;
      readonly value: CTerm;
      readonly collection: CTerm;
      readonly withs?: readonly CWith[];
      readonly loc: Location;
    }
  | {
      readonly op: 'every';
      readonly key: CTerm | undefined;
      readonly value: CTerm;
      readonly domain: CTerm;
      readonly body: readonly CExpr[];
      readonly withs?: readonly CWith[];
      readonly loc: Location;
    };

export interface CBody {
  readonly exprs: readonly CExpr[];
  /** Head value for this body (rule value, else value, function result). */
  readonly value: CTerm | undefined;
  /** Value is a constant: evaluation can stop at the first solution. */
  readonly constantValue: boolean;
}

export interface CompiledRule {
  readonly kind: 'complete' | 'multi' | 'object' | 'function';
  readonly isDefault: boolean;
  readonly frameSize: number;
  /** Function parameters as patterns. */
  readonly params?: readonly CTerm[];
  /** Dynamic part of a ref head below the node (object rules, and multi rules with ref heads). */
  readonly suffix: readonly CTerm[];
  /** Multi-value rules: the member term. */
  readonly member?: CTerm;
  /** The main body then the `else` chain. */
  readonly bodies: readonly CBody[];
  readonly loc: Location;
  readonly module: Module;
  readonly annotations: readonly Annotation[];
  /** Package path (without `data`). */
  readonly packagePath: readonly string[];
  /** Static head path below the package (rule name plus constant keys). */
  readonly name: readonly string[];
}

/** A node of the virtual document tree: a package, a rule path, or a prefix of one. */
export interface RuleNode {
  readonly path: readonly string[];
  readonly children: Map<string, RuleNode>;
  readonly rules: CompiledRule[];
  readonly functions: CompiledRule[];
  defaultRule: CompiledRule | undefined;
  defaultFunction: CompiledRule | undefined;
  /** The node is part of the data document (not a function). */
  hasDocument: boolean;
}

export interface BuiltinContext {
  /** Nanoseconds since the epoch, fixed for the whole query (time.now_ns). */
  readonly nowNs: bigint;
  readonly strict: boolean;
  /** Values for non-deterministic builtins, memoized per query. */
  readonly memo: Map<string, Value>;
  readonly random: () => number;
  readonly print: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The rule being evaluated, for rego.metadata.*. */
  readonly rule: CompiledRule | undefined;
  /** rego.metadata.chain() and rego.metadata.rule() for a rule. */
  readonly metadataChain: (rule: CompiledRule | undefined) => Value;
  readonly metadataRule: (rule: CompiledRule | undefined) => Value;
  readonly location: Location;
}

export interface BuiltinDefinition {
  readonly name: string;
  /** Number of operands (the output argument is not counted). */
  readonly arity: number;
  /** Variadic operand count is not supported by Rego; print is special-cased. */
  readonly fn: (args: readonly Value[], bctx: BuiltinContext) => Value | undefined;
  /** Receives undefined operands (print). */
  readonly acceptsUndefined?: boolean;
  /** Yields several outputs (walk): `fn` returns an array of them. */
  readonly relation?: boolean;
}
