import { suppresses, type VexStatus } from './model.ts';
import type { MatchedStatement } from './statement-matcher.ts';

/**
 * Filtering a report with VEX (trivy-compat §8.1). A finding is suppressed when the sources say
 * `not_affected` or `fixed` for the vulnerable package itself, or when every path from the package
 * to a root passes a component for which they say so with the package as subcomponent.
 */

/** Something that can make statements: one VEX file, or one VEX repository. */
export interface VexSource {
  /** For reports: the file path, or `VEX repository NAME (URL)`. */
  readonly name: string;
  /** What this source states about the vulnerability in `product` (containing `subcomponent`), if anything. */
  statementFor(vulnerabilityId: string, product: string, subcomponent?: string): MatchedStatement | undefined;
}

/** A component above the vulnerable package. Share nodes between findings: the graph stays linear in size. */
export interface VexComponentNode {
  readonly PURL?: string;
  /** Components that contain this one; none means this is a root (the image, the project). */
  readonly Parents?: readonly VexComponentNode[];
}

/** The part of a report finding that VEX needs; the integrator's own objects pass through untouched. */
export interface VexFinding {
  readonly VulnerabilityID: string;
  readonly PkgName?: string;
  /** The vulnerable package's PURL; a finding without one can only be kept. */
  readonly PURL?: string;
  /** Components that contain the vulnerable package (each path upwards must end at a root). */
  readonly Parents?: readonly VexComponentNode[];
}

export interface VexSuppression<F extends VexFinding> {
  readonly finding: F;
  readonly status: Extract<VexStatus, 'not_affected' | 'fixed'>;
  readonly justification?: string;
  readonly impactStatement?: string;
  /** Trivy's one-line `Statement`: the justification (OpenVEX, CycloneDX) or the impact text (CSAF). */
  readonly statement?: string;
  /** The source that decided (a file path or a repository). */
  readonly source: string;
  /** The document's own ID and where it was read from. */
  readonly documentId?: string;
  readonly documentLocation: string;
  /** The product the statement was about: the package itself or the ancestor that contains it. */
  readonly product: string;
}

export interface VexFilterResult<F extends VexFinding> {
  readonly kept: F[];
  readonly suppressed: VexSuppression<F>[];
}

interface Decision {
  readonly source: VexSource;
  readonly match: MatchedStatement;
  readonly product: string;
}

/**
 * The sources in precedence order (the order of --vex; repositories in the order of their
 * configuration): the first source with a statement about the vulnerability and product decides,
 * whatever its status, so a higher-precedence "affected" is never overridden by a lower one.
 */
export function applyVex<F extends VexFinding>(
  findings: readonly F[],
  sources: readonly VexSource[],
): VexFilterResult<F> {
  const kept: F[] = [];
  const suppressed: VexSuppression<F>[] = [];
  if (sources.length === 0) return { kept: [...findings], suppressed };
  for (const finding of findings) {
    const decision = decide(finding, sources);
    if (decision === undefined) {
      kept.push(finding);
      continue;
    }
    const { statement, document } = decision.match;
    suppressed.push({
      finding,
      status: statement.status as 'not_affected' | 'fixed',
      justification: statement.justification,
      impactStatement: statement.impactStatement,
      statement:
        document.format === 'csaf'
          ? (statement.impactStatement ?? statement.justification)
          : (statement.justification ?? statement.impactStatement),
      source: decision.source.name,
      documentId: document.id,
      documentLocation: document.source,
      product: decision.product,
    });
  }
  return { kept, suppressed };
}

function decide(finding: VexFinding, sources: readonly VexSource[]): Decision | undefined {
  const leaf = finding.PURL;
  if (leaf === undefined || leaf === '') return undefined;
  const id = finding.VulnerabilityID;
  const ask = (product: string, subcomponent?: string): Decision | undefined => {
    for (const source of sources) {
      const match = source.statementFor(id, product, subcomponent);
      if (match === undefined) continue;
      return suppresses(match.statement.status) ? { source, match, product } : undefined;
    }
    return undefined;
  };
  // The package itself, as a product, with or without itself as the subcomponent (Trivy asks both).
  const direct = ask(leaf) ?? ask(leaf, leaf);
  if (direct !== undefined) return direct;
  const parents = finding.Parents ?? [];
  if (parents.length === 0) return undefined;
  // Every path upwards must meet a suppressing ancestor; the last one met is reported, as Trivy does.
  const memo = new Map<VexComponentNode, Decision | null>();
  let last: Decision | undefined;
  const blocked = (node: VexComponentNode, path: Set<VexComponentNode>): Decision | null => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    const here = node.PURL ? ask(node.PURL, leaf) : undefined;
    if (here !== undefined) {
      memo.set(node, here);
      last = here;
      return here;
    }
    const above = (node.Parents ?? []).filter((parent) => !path.has(parent));
    // A root, or a node whose parents all lie on this path (a cycle): the path reaches the top unsuppressed.
    if (above.length === 0) {
      memo.set(node, null);
      return null;
    }
    path.add(node);
    let result: Decision | null = null;
    for (const parent of above) {
      result = blocked(parent, path);
      if (result === null) break;
    }
    path.delete(node);
    // Results that skipped a parent because of this path's cycle are not memoised.
    if (above.length === (node.Parents ?? []).length) memo.set(node, result);
    return result;
  };
  const path = new Set<VexComponentNode>();
  for (const parent of parents) {
    if (blocked(parent, path) === null) return undefined;
  }
  return last;
}
