import type { Location } from './errors.ts';
import type { Value } from './value.ts';

/** Parsed Rego, before name resolution. Binary operators are already calls of their builtins. */
export type Term =
  | { readonly type: 'scalar'; readonly value: Value; readonly loc: Location }
  | { readonly type: 'var'; readonly name: string; readonly loc: Location }
  | { readonly type: 'ref'; readonly head: Term; readonly path: readonly Term[]; readonly loc: Location }
  | { readonly type: 'array'; readonly items: readonly Term[]; readonly loc: Location }
  | { readonly type: 'set'; readonly items: readonly Term[]; readonly loc: Location }
  | { readonly type: 'object'; readonly entries: ReadonlyArray<readonly [Term, Term]>; readonly loc: Location }
  | { readonly type: 'arraycompr'; readonly term: Term; readonly body: Body; readonly loc: Location }
  | { readonly type: 'setcompr'; readonly term: Term; readonly body: Body; readonly loc: Location }
  | {
      readonly type: 'objectcompr';
      readonly key: Term;
      readonly value: Term;
      readonly body: Body;
      readonly loc: Location;
    }
  | {
      readonly type: 'call';
      /** Dotted name: `["count"]`, `["data", "lib", "f"]`, `["net", "cidr_contains"]`. */
      readonly name: readonly string[];
      readonly args: readonly Term[];
      /** The operator when written infix (`+`, `==`, `in` …), for messages. */
      readonly infix?: string;
      readonly loc: Location;
    };

export interface With {
  /** `input…`, `data…` or a function name, as a dotted path (with string indexes). */
  readonly target: readonly string[];
  readonly value: Term;
  readonly loc: Location;
}

export type Literal =
  | { readonly kind: 'expr'; readonly term: Term }
  | { readonly kind: 'unify'; readonly left: Term; readonly right: Term }
  | { readonly kind: 'assign'; readonly left: Term; readonly right: Term }
  | { readonly kind: 'some'; readonly vars: readonly Term[] }
  | { readonly kind: 'somein'; readonly key: Term | undefined; readonly value: Term; readonly collection: Term }
  | {
      readonly kind: 'every';
      readonly key: Term | undefined;
      readonly value: Term;
      readonly domain: Term;
      readonly body: Body;
    };

export interface Expr {
  readonly literal: Literal;
  readonly negated: boolean;
  readonly withs: readonly With[];
  readonly loc: Location;
}

export type Body = readonly Expr[];

export type RuleKind = 'complete' | 'multi' | 'object' | 'function';

export interface ElseClause {
  readonly value: Term | undefined;
  readonly body: Body;
  readonly loc: Location;
}

export interface Rule {
  readonly kind: RuleKind;
  /** Head reference: the first element is the rule name; later ones may be terms with variables. */
  readonly ref: readonly Term[];
  /** Multi-value rules: the member. */
  readonly key?: Term;
  /** Value term; absent means `true`. */
  readonly value?: Term;
  readonly args?: readonly Term[];
  readonly body: Body;
  readonly elses: readonly ElseClause[];
  readonly isDefault: boolean;
  readonly loc: Location;
  /** Source text of the rule, for messages and annotations. */
  readonly text: string;
  /** Annotations written right above the rule. */
  annotations?: Annotation[];
}

export interface Import {
  /** `input…` or `data…` path, or `future.keywords…`/`rego.v1`. */
  readonly path: readonly string[];
  readonly alias: string | undefined;
  readonly loc: Location;
}

export interface Module {
  readonly file: string;
  readonly packagePath: readonly string[];
  readonly packageLoc: Location;
  readonly imports: readonly Import[];
  readonly rules: readonly Rule[];
  /** Every `# METADATA` block in the file, with its resolved scope. */
  readonly annotations: readonly Annotation[];
  /** Module was written for Rego v1 (v1 parsing, or `import rego.v1`). */
  readonly v1: boolean;
}

export type AnnotationScope = 'package' | 'rule' | 'document' | 'subpackages';

/** A `# METADATA` block: its YAML fields as a JS object, plus where it applies. */
export interface Annotation {
  readonly scope: AnnotationScope;
  /** Parsed YAML as plain JS values (title, description, custom, schemas, …). */
  readonly fields: Record<string, unknown>;
  /** Package path or rule path (package path + rule name) the annotation attaches to. */
  path: readonly string[];
  readonly loc: Location;
}
