import type { VexComponent, VexDocument, VexProduct, VexStatement } from './model.ts';
import { type ParsedPurl, parsePurl, purlMatches } from './purl-match.ts';

/** A statement that matched, with the document it came from. */
export interface MatchedStatement {
  readonly statement: VexStatement;
  readonly document: VexDocument;
}

/**
 * Answers "what does this document say about vulnerability V in product P (with subcomponent S)?"
 * as go-vex does: among the statements naming V (by name, @id or alias) whose products match,
 * the latest by timestamp wins; equal times keep document order, so the later one wins.
 */
export class DocumentMatcher {
  readonly document: VexDocument;
  readonly #byVulnerability = new Map<string, number[]>();
  readonly #purlOptions: { subpath: boolean };

  constructor(document: VexDocument) {
    this.document = document;
    this.#purlOptions = { subpath: document.format === 'csaf' };
    document.statements.forEach((statement, index) => {
      for (const id of statement.vulnerabilityIds) {
        const list = this.#byVulnerability.get(id);
        if (list === undefined) this.#byVulnerability.set(id, [index]);
        else if (list[list.length - 1] !== index) list.push(index);
      }
    });
  }

  /** True when some statement names the vulnerability at all: a cheap filter before matching products. */
  mentions(vulnerabilityId: string): boolean {
    return this.#byVulnerability.has(vulnerabilityId);
  }

  statementFor(vulnerabilityId: string, product: string, subcomponent?: string): MatchedStatement | undefined {
    const indexes = this.#byVulnerability.get(vulnerabilityId);
    if (indexes === undefined) return undefined;
    const productPurl = parsePurl(product);
    const subcomponentPurl = subcomponent === undefined ? undefined : parsePurl(subcomponent);
    let best: VexStatement | undefined;
    let bestTime = Number.NEGATIVE_INFINITY;
    for (const index of indexes) {
      const statement = this.document.statements[index] as VexStatement;
      const matches = statement.products.some((candidate) =>
        this.#productMatches(candidate, product, productPurl, subcomponent, subcomponentPurl),
      );
      if (!matches) continue;
      const time = statement.timestamp ?? Number.NEGATIVE_INFINITY;
      if (best === undefined || time >= bestTime) {
        best = statement;
        bestTime = time;
      }
    }
    return best === undefined ? undefined : { statement: best, document: this.document };
  }

  #productMatches(
    candidate: VexProduct,
    product: string,
    productPurl: ParsedPurl | undefined,
    subcomponent: string | undefined,
    subcomponentPurl: ParsedPurl | undefined,
  ): boolean {
    if (!this.#componentMatches(candidate, product, productPurl)) return false;
    // go-vex: with no subcomponent asked for, or none listed, the product match suffices.
    if (subcomponent === undefined || candidate.subcomponents.length === 0) return !candidate.subcomponentRequired;
    return candidate.subcomponents.some((sub) => this.#componentMatches(sub, subcomponent, subcomponentPurl));
  }

  #componentMatches(component: VexComponent, target: string, targetPurl: ParsedPurl | undefined): boolean {
    if (component.id !== undefined && component.id === target) return true;
    if (targetPurl !== undefined) {
      for (const purl of component.purls) {
        const parsed = parsePurl(purl);
        if (parsed !== undefined && purlMatches(parsed, targetPurl, this.#purlOptions)) return true;
      }
    }
    return component.names.includes(target);
  }
}
