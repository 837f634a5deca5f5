import { parse as parseYaml } from 'yaml';
import type { Annotation, AnnotationScope, Module, Rule } from './ast.ts';
import { RegoError } from './errors.ts';
import type { Comment } from './lexer.ts';

const SCOPES = new Set<AnnotationScope>(['package', 'rule', 'document', 'subpackages']);

/**
 * Finds `# METADATA` comment blocks (YAML after the marker line, one leading space removed) and
 * attaches each to the package or rule that follows it, as OPA does.
 */
export function attachAnnotations(module: Module, comments: readonly Comment[], _source: string): void {
  const blocks = metadataBlocks(comments);
  if (blocks.length === 0) return;
  const rulesByRow = [...module.rules].sort((a, b) => a.loc.row - b.loc.row);
  const annotations: Annotation[] = [];
  for (const block of blocks) {
    const first = block[0] as Comment;
    const last = block[block.length - 1] as Comment;
    const yamlText = block
      .slice(1)
      .map((c) => (c.text.startsWith(' ') ? c.text.slice(1) : c.text))
      .join('\n');
    let fields: Record<string, unknown>;
    try {
      const parsed = yamlText.trim() === '' ? {} : (parseYaml(yamlText) as unknown);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('METADATA block must be a YAML mapping');
      }
      fields = parsed as Record<string, unknown>;
    } catch (error) {
      throw new RegoError('rego_parse_error', `invalid METADATA block: ${(error as Error).message.split('\n')[0]}`, {
        file: module.file,
        row: first.row,
        col: first.col,
      });
    }
    const loc = { file: module.file, row: first.row, col: first.col };
    const target = rulesByRow.find((r) => r.loc.row > last.row);
    const beforePackage = module.packageLoc.row > last.row;
    const declared = fields.scope;
    if (declared !== undefined && !SCOPES.has(declared as AnnotationScope)) {
      throw new RegoError('rego_parse_error', `invalid annotation scope '${String(declared)}'`, loc);
    }
    if (beforePackage) {
      const scope = (declared as AnnotationScope | undefined) ?? 'package';
      if (scope !== 'package' && scope !== 'subpackages') {
        throw new RegoError('rego_parse_error', `annotation scope '${scope}' must be applied to rule`, loc);
      }
      annotations.push({ scope, fields, path: [...module.packagePath], loc });
      continue;
    }
    if (target === undefined) {
      if (declared === 'package' || declared === 'subpackages') {
        annotations.push({ scope: declared, fields, path: [...module.packagePath], loc });
      }
      continue;
    }
    const scope = (declared as AnnotationScope | undefined) ?? 'rule';
    const path = [...module.packagePath, ...ruleStaticPath(target)];
    const annotation: Annotation = {
      scope,
      fields,
      path: scope === 'package' || scope === 'subpackages' ? [...module.packagePath] : path,
      loc,
    };
    annotations.push(annotation);
    if (scope === 'rule' || scope === 'document') {
      target.annotations = [...(target.annotations ?? []), annotation];
    }
  }
  (module as { annotations: readonly Annotation[] }).annotations = annotations;
}

function metadataBlocks(comments: readonly Comment[]): Comment[][] {
  const blocks: Comment[][] = [];
  let current: Comment[] = [];
  const flush = () => {
    if (current.length > 0 && (current[0] as Comment).text.trim() === 'METADATA') blocks.push(current);
    current = [];
  };
  for (const c of comments) {
    const prev = current[current.length - 1];
    if (prev !== undefined && (c.row !== prev.row + 1 || c.text.trim() === 'METADATA')) flush();
    current.push(c);
  }
  flush();
  return blocks;
}

/** The rule's name and the constant string keys of its head reference. */
export function ruleStaticPath(rule: Rule): string[] {
  const path: string[] = [];
  for (const t of rule.ref) {
    if (t.type !== 'scalar' || typeof t.value !== 'string') break;
    path.push(t.value);
  }
  return path;
}
