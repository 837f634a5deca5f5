/**
 * A Rego (v1, with enough v0) engine: parser, compiler, evaluator, OPA's builtins that Trivy's
 * checks use, and Trivy's custom builtins. Self-contained: depends only on src/errors.
 */
export type { Annotation, AnnotationScope, Module, Rule } from './ast.ts';
export { defaultBuiltins } from './builtins/index.ts';
export type { BuiltinContext, BuiltinDefinition, CompiledRule, RuleNode } from './compiled.ts';
export { BuiltinError, type Location, RegoError, type RegoErrorCode } from './errors.ts';
export { formatValue, fromJS, parseJSON, toJS, toJSONText } from './json.ts';
export { tokenize } from './lexer.ts';
export { parseModule, parseQuery, type RegoVersion } from './parser.ts';
export {
  type EvalOptions,
  type EvalSession,
  type ModuleSource,
  Policy,
  type PolicyOptions,
  type PreparedQuery,
  type QueryOptions,
  type QueryResult,
} from './policy.ts';
export { type LoadedFiles, loadRegoFiles } from './test-files.ts';
export { parseWithFallback, type RegoTestOptions, type RegoTestResult, runRegoTests } from './test-runner.ts';
export {
  type ArrayValue,
  canonical,
  compare,
  equals,
  ObjectValue,
  SetValue,
  typeName,
  type Value,
} from './value.ts';
