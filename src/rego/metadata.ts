import type { Annotation, Module } from './ast.ts';
import type { CompiledRule } from './compiled.ts';
import { fromJS } from './json.ts';
import { ObjectValue, type Value } from './value.ts';

function entry(path: readonly string[], annotation: Annotation): Value {
  const obj = new ObjectValue();
  obj.set(
    'path',
    ['data', ...path].map((p) => p),
  );
  const fields = fromJS({ ...annotation.fields, scope: annotation.scope });
  obj.set('annotations', fields);
  return obj;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * `rego.metadata.chain()`: the annotations that apply to a rule, most specific first — the
 * rule's own, document-scoped ones for its path, its package's, then `subpackages` of ancestors.
 */
export function metadataChain(policy: { readonly modules: readonly Module[] }, rule: CompiledRule | undefined): Value {
  if (rule === undefined) return [];
  const rulePath = [...rule.packagePath, ...(rule.name.slice(0, 1) as string[])];
  const out: Value[] = [];
  for (const a of rule.annotations) if (a.scope === 'rule') out.push(entry(rulePath, a));
  const all = policy.modules.flatMap((m) => [...m.annotations]);
  for (const a of all) if (a.scope === 'document' && samePath(a.path, rulePath)) out.push(entry(rulePath, a));
  if (out.length === 0) out.push(entryWithoutAnnotations(rulePath));
  for (const a of all) if (a.scope === 'package' && samePath(a.path, rule.packagePath)) out.push(entry(a.path, a));
  for (let n = rule.packagePath.length; n > 0; n--) {
    const prefix = rule.packagePath.slice(0, n);
    for (const a of all) if (a.scope === 'subpackages' && samePath(a.path, prefix)) out.push(entry(a.path, a));
  }
  return out;
}

function entryWithoutAnnotations(path: readonly string[]): Value {
  const obj = new ObjectValue();
  obj.set('path', ['data', ...path]);
  return obj;
}

/** `rego.metadata.rule()`: the rule's own (or document-scoped) annotation, or `{}`. */
export function ruleMetadata(policy: { readonly modules: readonly Module[] }, rule: CompiledRule | undefined): Value {
  if (rule === undefined) return new ObjectValue();
  const own = rule.annotations.find((a) => a.scope === 'rule' || a.scope === 'document');
  if (own) return fromJS({ ...own.fields, scope: own.scope });
  const rulePath = [...rule.packagePath, ...(rule.name.slice(0, 1) as string[])];
  for (const m of policy.modules) {
    for (const a of m.annotations) {
      if (a.scope === 'document' && samePath(a.path, rulePath)) return fromJS({ ...a.fields, scope: a.scope });
    }
  }
  return new ObjectValue();
}
