import {
  invalidVex,
  isObject,
  type JsonObject,
  optionalArray,
  optionalObject,
  optionalString,
  optionalTime,
} from './json-fields.ts';
import type { VexDocument, VexProduct, VexStatement, VexStatus } from './model.ts';

/**
 * CycloneDX VEX (`vulnerabilities[].analysis`). Trivy applies it only to a scanned CycloneDX SBOM
 * whose serial number the BOM-Links name. Vigil does not scan SBOMs, so a statement applies where
 * its `affects[].ref` names a PURL: a ref that is itself a PURL (plain, or after `#` in a BOM-Link)
 * or the bom-ref of a component with a `purl` in the same document. Refs to components of another
 * SBOM that carry no PURL cannot match anything and are kept only for listing.
 */
const STATES: Readonly<Record<string, VexStatus>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

export function isCycloneDx(json: unknown): boolean {
  return isObject(json) && json.bomFormat === 'CycloneDX';
}

export function parseCycloneDx(json: unknown, source: string): VexDocument {
  if (!isObject(json)) throw invalidVex(source, 'the top level must be an object');
  const metadata = optionalObject(source, json, 'metadata', 'bom');
  const documentTime = optionalTime(source, metadata, 'timestamp', 'metadata');
  const purlsByRef = componentPurls(json, metadata, source);
  const statements: VexStatement[] = [];
  optionalArray(source, json, 'vulnerabilities', 'bom').forEach((raw, index) => {
    const statement = vulnerabilityStatement(raw, source, `vulnerabilities[${index}]`, purlsByRef, documentTime);
    if (statement) statements.push(statement);
  });
  return { format: 'cyclonedx', source, id: optionalString(source, json, 'serialNumber', 'bom'), statements };
}

function componentPurls(bom: JsonObject, metadata: JsonObject, source: string): Map<string, string> {
  const purls = new Map<string, string>();
  const stack: unknown[] = [metadata.component, ...optionalArray(source, bom, 'components', 'bom')];
  let visited = 0;
  while (stack.length > 0) {
    const component = stack.pop();
    if (!isObject(component)) continue;
    // Nested components can be deep and wide; a document this large is not a VEX document.
    if (++visited > 1_000_000) throw invalidVex(source, 'more than 1,000,000 components');
    const ref = component['bom-ref'];
    const purl = component.purl;
    if (typeof ref === 'string' && typeof purl === 'string' && purl.startsWith('pkg:')) purls.set(ref, purl);
    if (Array.isArray(component.components)) stack.push(...component.components);
  }
  return purls;
}

function vulnerabilityStatement(
  raw: unknown,
  source: string,
  where: string,
  purlsByRef: ReadonlyMap<string, string>,
  documentTime: number | undefined,
): VexStatement | undefined {
  if (!isObject(raw)) throw invalidVex(source, `${where} must be an object`);
  const analysis = raw.analysis;
  if (analysis === undefined || analysis === null) return undefined;
  if (!isObject(analysis)) throw invalidVex(source, `${where}.analysis must be an object`);
  const state = optionalString(source, analysis, 'state', `${where}.analysis`);
  if (state === undefined) return undefined;
  const status = STATES[state];
  if (status === undefined) {
    throw invalidVex(source, `${where}.analysis.state ${JSON.stringify(state)} is not a CycloneDX analysis state`);
  }
  const ids = [optionalString(source, raw, 'id', where)];
  for (const [i, reference] of optionalArray(source, raw, 'references', where).entries()) {
    if (isObject(reference)) ids.push(optionalString(source, reference, 'id', `${where}.references[${i}]`));
  }
  const products: VexProduct[] = optionalArray(source, raw, 'affects', where).flatMap((affect, i) => {
    if (!isObject(affect)) throw invalidVex(source, `${where}.affects[${i}] must be an object`);
    const ref = optionalString(source, affect, 'ref', `${where}.affects[${i}]`);
    if (ref === undefined || ref === '') return [];
    const local = bomLinkRef(ref);
    const purl = purlsByRef.get(local) ?? (local.startsWith('pkg:') ? local : undefined);
    return [{ id: ref, purls: purl === undefined ? [] : [purl], names: [], subcomponents: [] }];
  });
  const responses = optionalArray(source, analysis, 'response', `${where}.analysis`).filter(
    (item): item is string => typeof item === 'string',
  );
  return {
    vulnerabilityIds: [...new Set(ids.filter((id): id is string => id !== undefined && id !== ''))],
    products,
    status,
    justification: optionalString(source, analysis, 'justification', `${where}.analysis`),
    impactStatement: optionalString(source, analysis, 'detail', `${where}.analysis`),
    actionStatement: responses.length > 0 ? responses.join(', ') : undefined,
    timestamp:
      optionalTime(source, analysis, 'lastUpdated', `${where}.analysis`) ??
      optionalTime(source, analysis, 'firstIssued', `${where}.analysis`) ??
      optionalTime(source, raw, 'updated', where) ??
      optionalTime(source, raw, 'published', where) ??
      documentTime,
  };
}

/** `urn:cdx:<serial>/<version>#<bom-ref>` → the bom-ref (URL-decoded); any other ref as it is. */
function bomLinkRef(ref: string): string {
  if (!ref.startsWith('urn:cdx:')) return ref;
  const hash = ref.indexOf('#');
  if (hash < 0) return ref;
  const fragment = ref.slice(hash + 1);
  // A PURL bom-ref is already percent-encoded as a PURL: decoding it again would change it.
  if (fragment.startsWith('pkg:')) return fragment;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}
