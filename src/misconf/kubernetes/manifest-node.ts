/**
 * A parsed manifest value with the lines it spans, as Trivy's ManifestNode keeps them: a mapping
 * starts at its first key and ends at the last line of its last value; a scalar spans its first line.
 */
export type ManifestNode =
  | { readonly kind: 'map'; readonly startLine: number; endLine: number; readonly entries: Map<string, ManifestNode> }
  | { readonly kind: 'seq'; readonly startLine: number; endLine: number; readonly items: ManifestNode[] }
  | { readonly kind: 'scalar'; readonly startLine: number; endLine: number; readonly value: ScalarValue };

/** null marks a value Trivy leaves out (YAML null, unsupported tags). */
export type ScalarValue = string | number | bigint | boolean | null;

/** Bounds for untrusted manifests: nesting depth, values per document, and values copied by aliases. */
export const MAX_MANIFEST_DEPTH = 256;
export const MAX_MANIFEST_NODES = 2_000_000;
export const MAX_ALIAS_NODES = 100_000;

export class ManifestSyntaxError extends Error {}

/** Counts nodes as they are built so a manifest (or an alias bomb) cannot grow without bound. */
export class NodeBudget {
  private used = 0;
  private aliased = 0;
  take(depth: number, viaAlias = false): void {
    this.used += 1;
    if (this.used > MAX_MANIFEST_NODES) throw new ManifestSyntaxError(`more than ${MAX_MANIFEST_NODES} values`);
    if (viaAlias && ++this.aliased > MAX_ALIAS_NODES) {
      throw new ManifestSyntaxError(`aliases expand to more than ${MAX_ALIAS_NODES} values`);
    }
    if (depth > MAX_MANIFEST_DEPTH) throw new ManifestSyntaxError(`nested deeper than ${MAX_MANIFEST_DEPTH} levels`);
  }
}

/** Sets end lines bottom-up: the largest end line of the node and everything inside it. */
export function closeNode(node: ManifestNode): ManifestNode {
  if (node.kind === 'map') {
    for (const child of node.entries.values()) node.endLine = Math.max(node.endLine, child.endLine);
  } else if (node.kind === 'seq') {
    for (const child of node.items) node.endLine = Math.max(node.endLine, child.endLine);
  }
  return node;
}

/** Moves every line number by `offset` (documents after a `---` separator are parsed on their own). */
export function shiftLines(node: ManifestNode, offset: number): void {
  if (offset === 0) return;
  (node as { startLine: number }).startLine += offset;
  node.endLine += offset;
  if (node.kind === 'map') for (const child of node.entries.values()) shiftLines(child, offset);
  else if (node.kind === 'seq') for (const child of node.items) shiftLines(child, offset);
}

/**
 * The Rego input: every mapping gets `__defsec_metadata` with its lines and file path (offset is
 * always 0 because lines are already counted from the start of the file); null values are dropped.
 */
export function manifestToInput(node: ManifestNode, filePath: string): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map((item) => manifestToInput(item, filePath)).filter((item) => item !== null);
    case 'map': {
      // A null prototype keeps keys such as `__proto__` ordinary data.
      const out: Record<string, unknown> = Object.create(null);
      out.__defsec_metadata = { startline: node.startLine, endline: node.endLine, filepath: filePath, offset: 0 };
      for (const [key, child] of node.entries) {
        const value = manifestToInput(child, filePath);
        if (value !== null) out[key] = value;
      }
      return out;
    }
  }
}
