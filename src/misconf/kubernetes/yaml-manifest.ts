import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  Scalar,
} from 'yaml';
import { closeNode, type ManifestNode, ManifestSyntaxError, NodeBudget } from './manifest-node.ts';
import { resolveScalar, type ScalarStyle } from './yaml-scalars.ts';

function styleOf(scalar: Scalar): ScalarStyle {
  switch (scalar.type) {
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return 'quoted';
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return 'block';
    default:
      return 'plain';
  }
}

/** The key text go-yaml gives a mapping key: a scalar's value, or empty for anything else. */
function keyText(key: unknown): string {
  if (isScalar(key)) return key.source ?? String(key.value ?? '');
  return '';
}

/**
 * Parses the first document of a YAML text into a manifest tree with 1-based lines, or undefined
 * when it is empty. Aliases are expanded (their lines are the anchor's), within NodeBudget.
 */
export function parseYamlManifest(text: string): ManifestNode | undefined {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    uniqueKeys: false,
    schema: 'yaml-1.1',
    prettyErrors: false,
    strict: false,
  });
  const doc = (Array.isArray(docs) ? docs[0] : undefined) as Document.Parsed | undefined;
  if (doc === undefined) return undefined;
  const error = doc.errors[0];
  if (error)
    throw new ManifestSyntaxError(`yaml: line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`);
  const root = doc.contents;
  if (root === null) return undefined;
  const budget = new NodeBudget();
  const lineOf = (node: Node) => lines.linePos(node.range?.[0] ?? 0).line;
  const expanding = new Set<Node>();

  const convert = (node: unknown, depth: number, viaAlias = false): ManifestNode => {
    budget.take(depth, viaAlias);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new ManifestSyntaxError(`unknown anchor '${node.source}' referenced`);
      if (expanding.has(target)) throw new ManifestSyntaxError('anchor refers to itself');
      expanding.add(target);
      try {
        return convert(target, depth + 1, true);
      } finally {
        expanding.delete(target);
      }
    }
    if (isMap(node)) {
      const start = lineOf(node);
      const entries = new Map<string, ManifestNode>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        entries.set(keyText(item.key), convert(item.value ?? new Scalar(null), depth + 1, viaAlias));
      }
      return closeNode({ kind: 'map', startLine: start, endLine: start, entries });
    }
    if (isSeq(node)) {
      const start = lineOf(node);
      const items = node.items.map((item) => convert(item, depth + 1, viaAlias));
      return closeNode({ kind: 'seq', startLine: start, endLine: start, items });
    }
    if (isScalar(node)) {
      const text = node.source ?? (node.value === null || node.value === undefined ? '' : String(node.value));
      const value = resolveScalar(text, styleOf(node), node.tag);
      // go-yaml never decodes a null, so it does not stretch its mapping's end line.
      const line = node.range && value !== null ? lineOf(node) : 0;
      return { kind: 'scalar', startLine: line, endLine: line, value };
    }
    return { kind: 'scalar', startLine: 0, endLine: 0, value: null };
  };

  return convert(root, 0);
}
