/**
 * One statement model for every VEX format (OpenVEX, CSAF, CycloneDX), so matching and
 * precedence are written once. Parsers turn each format into these shapes.
 */

export type VexFormat = 'openvex' | 'csaf' | 'cyclonedx';

/** OpenVEX's four statuses; CSAF product groups and CycloneDX analysis states map onto them. */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** `not_affected` and `fixed` remove a finding; the other two are statements that keep it. */
export function suppresses(status: VexStatus): boolean {
  return status === 'not_affected' || status === 'fixed';
}

/** A product or subcomponent: an IRI (usually a PURL) plus other names it answers to. */
export interface VexComponent {
  /** `@id`, a CSAF helper PURL or a CycloneDX reference. */
  readonly id?: string;
  /** PURLs from `identifiers.purl`, CSAF helpers or a CycloneDX component. */
  readonly purls: readonly string[];
  /** Other identifiers (CPEs) and hash values, matched by equality. */
  readonly names: readonly string[];
}

export interface VexProduct extends VexComponent {
  readonly subcomponents: readonly VexComponent[];
  /**
   * CSAF relationships (`default_component_of`, `installed_on`, `installed_with`) only say
   * something about the subcomponent inside the product: they never match the product alone.
   */
  readonly subcomponentRequired?: boolean;
}

export interface VexStatement {
  /** The vulnerability ID and its aliases. */
  readonly vulnerabilityIds: readonly string[];
  readonly products: readonly VexProduct[];
  readonly status: VexStatus;
  /** OpenVEX justification, CSAF flag label or CycloneDX analysis justification. */
  readonly justification?: string;
  /** OpenVEX impact_statement, CSAF impact threat, CycloneDX analysis detail. */
  readonly impactStatement?: string;
  readonly actionStatement?: string;
  /** Milliseconds since the epoch: the statement's own time, else the document's. */
  readonly timestamp?: number;
}

export interface VexDocument {
  readonly format: VexFormat;
  /** Where it came from: a file path, or a repository name and the document's location. */
  readonly source: string;
  /** The document's own identifier (`@id`, CSAF tracking id, CycloneDX serial number). */
  readonly id?: string;
  readonly author?: string;
  readonly statements: readonly VexStatement[];
}
