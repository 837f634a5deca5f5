import {
  invalidVex,
  isObject,
  type JsonObject,
  optionalArray,
  optionalObject,
  optionalString,
  optionalTime,
  stringArray,
} from './json-fields.ts';
import type { VexComponent, VexDocument, VexProduct, VexStatement, VexStatus } from './model.ts';

/**
 * CSAF 2.0 and 2.1 VEX. Product IDs in `product_status` become PURLs through the product tree's
 * `product_identification_helper` (`purl` in 2.0, `purls` in 2.1); a relationship whose
 * `full_product_name` is listed says the `product_reference` inside `relates_to_product_reference`
 * has that status. Justifications come from `flags[].label`, impact text from `impact` threats.
 */
const STATUS_GROUPS: ReadonlyArray<[string, VexStatus]> = [
  // Suppressing groups first: for one product in contradicting groups (invalid CSAF) the later,
  // non-suppressing statement wins, so a contradiction never hides a finding.
  ['known_not_affected', 'not_affected'],
  ['fixed', 'fixed'],
  ['first_fixed', 'fixed'],
  ['known_affected', 'affected'],
  ['first_affected', 'affected'],
  ['last_affected', 'affected'],
  ['under_investigation', 'under_investigation'],
];

const COMPONENT_RELATIONSHIPS: ReadonlySet<string> = new Set([
  'default_component_of',
  'installed_on',
  'installed_with',
]);

export function isCsaf(json: unknown): boolean {
  if (!isObject(json) || !Array.isArray(json.vulnerabilities)) return false;
  return isObject(json.document) || isObject(json.product_tree);
}

interface ProductTree {
  /** Product ID → PURLs and other identifiers from its identification helper. */
  readonly helpers: Map<string, VexComponent>;
  /** full_product_name.product_id → [product, subcomponent] for component relationships. */
  readonly relationships: Map<string, Array<{ product: string; component: string }>>;
  /** Product ID → group IDs containing it. */
  readonly groups: Map<string, string[]>;
}

export function parseCsaf(json: unknown, source: string): VexDocument {
  if (!isObject(json)) throw invalidVex(source, 'the top level must be an object');
  const document = optionalObject(source, json, 'document', 'csaf');
  const tracking = optionalObject(source, document, 'tracking', 'document');
  const documentTime =
    optionalTime(source, tracking, 'current_release_date', 'document.tracking') ??
    optionalTime(source, tracking, 'initial_release_date', 'document.tracking');
  const tree = readProductTree(optionalObject(source, json, 'product_tree', 'csaf'), source);
  const statements: VexStatement[] = [];
  optionalArray(source, json, 'vulnerabilities', 'csaf').forEach((raw, index) => {
    statements.push(...vulnerabilityStatements(raw, source, `vulnerabilities[${index}]`, tree, documentTime));
  });
  return {
    format: 'csaf',
    source,
    id: optionalString(source, tracking, 'id', 'document.tracking'),
    author: optionalString(source, optionalObject(source, document, 'publisher', 'document'), 'name', 'publisher'),
    statements,
  };
}

function readProductTree(tree: JsonObject, source: string): ProductTree {
  const helpers = new Map<string, VexComponent>();
  const addProduct = (product: unknown, where: string) => {
    if (!isObject(product)) return;
    const id = optionalString(source, product, 'product_id', where);
    if (id === undefined) return;
    const helper = optionalObject(source, product, 'product_identification_helper', where);
    const purls = [
      ...stringOrNone(optionalString(source, helper, 'purl', `${where}.product_identification_helper`)),
      ...stringArray(source, helper, 'purls', `${where}.product_identification_helper`),
    ];
    const names = stringOrNone(optionalString(source, helper, 'cpe', `${where}.product_identification_helper`));
    const previous = helpers.get(id);
    helpers.set(id, {
      purls: [...(previous?.purls ?? []), ...purls],
      names: [...(previous?.names ?? []), ...names],
    });
  };
  // Branches nest arbitrarily deep in real documents: walk them with an explicit stack.
  const stack: Array<[unknown, string]> = optionalArray(source, tree, 'branches', 'product_tree').map((b, i) => [
    b,
    `product_tree.branches[${i}]`,
  ]);
  while (stack.length > 0) {
    const [branch, where] = stack.pop() as [unknown, string];
    if (!isObject(branch)) throw invalidVex(source, `${where} must be an object`);
    addProduct(branch.product, `${where}.product`);
    optionalArray(source, branch, 'branches', where).forEach((child, i) => {
      stack.push([child, `${where}.branches[${i}]`]);
    });
  }
  optionalArray(source, tree, 'full_product_names', 'product_tree').forEach((product, i) => {
    addProduct(product, `product_tree.full_product_names[${i}]`);
  });
  const relationships = new Map<string, Array<{ product: string; component: string }>>();
  optionalArray(source, tree, 'relationships', 'product_tree').forEach((raw, i) => {
    const where = `product_tree.relationships[${i}]`;
    if (!isObject(raw)) throw invalidVex(source, `${where} must be an object`);
    const fullName = optionalObject(source, raw, 'full_product_name', where);
    addProduct(fullName, `${where}.full_product_name`);
    const category = optionalString(source, raw, 'category', where);
    const id = optionalString(source, fullName, 'product_id', `${where}.full_product_name`);
    const component = optionalString(source, raw, 'product_reference', where);
    const product = optionalString(source, raw, 'relates_to_product_reference', where);
    if (!category || !COMPONENT_RELATIONSHIPS.has(category) || !id || !component || !product) return;
    relationships.set(id, [...(relationships.get(id) ?? []), { product, component }]);
  });
  const groups = new Map<string, string[]>();
  optionalArray(source, tree, 'product_groups', 'product_tree').forEach((raw, i) => {
    const where = `product_tree.product_groups[${i}]`;
    if (!isObject(raw)) throw invalidVex(source, `${where} must be an object`);
    const groupId = optionalString(source, raw, 'group_id', where);
    if (groupId === undefined) return;
    for (const productId of stringArray(source, raw, 'product_ids', where)) {
      groups.set(productId, [...(groups.get(productId) ?? []), groupId]);
    }
  });
  return { helpers, relationships, groups };
}

function vulnerabilityStatements(
  raw: unknown,
  source: string,
  where: string,
  tree: ProductTree,
  documentTime: number | undefined,
): VexStatement[] {
  if (!isObject(raw)) throw invalidVex(source, `${where} must be an object`);
  const ids = [
    ...stringOrNone(optionalString(source, raw, 'cve', where)),
    ...optionalArray(source, raw, 'ids', where).flatMap((id, i) =>
      isObject(id) ? stringOrNone(optionalString(source, id, 'text', `${where}.ids[${i}]`)) : [],
    ),
  ];
  if (ids.length === 0) return [];
  const status = optionalObject(source, raw, 'product_status', where);
  const flags = optionalArray(source, raw, 'flags', where).filter(isObject);
  const threats = optionalArray(source, raw, 'threats', where).filter(
    (threat): threat is JsonObject => isObject(threat) && threat.category === 'impact',
  );
  const statements: VexStatement[] = [];
  for (const [group, vexStatus] of STATUS_GROUPS) {
    for (const productId of stringArray(source, status, group, `${where}.product_status`)) {
      const products = productsFor(productId, tree);
      if (products.length === 0) continue;
      statements.push({
        vulnerabilityIds: ids,
        products,
        status: vexStatus,
        justification: appliesTo(flags, productId, tree, 'label'),
        impactStatement: appliesTo(threats, productId, tree, 'details'),
        timestamp: documentTime,
      });
    }
  }
  return statements;
}

function productsFor(productId: string, tree: ProductTree): VexProduct[] {
  const products: VexProduct[] = [];
  const own = tree.helpers.get(productId);
  if (own && (own.purls.length > 0 || own.names.length > 0)) products.push({ ...own, subcomponents: [] });
  for (const relation of tree.relationships.get(productId) ?? []) {
    const product = tree.helpers.get(relation.product);
    const component = tree.helpers.get(relation.component);
    if (!product || !component || product.purls.length === 0 || component.purls.length === 0) continue;
    products.push({ ...product, subcomponents: [component], subcomponentRequired: true });
  }
  return products;
}

/** The text of the first flag or threat naming the product (directly or by group), else one naming none. */
function appliesTo(
  entries: readonly JsonObject[],
  productId: string,
  tree: ProductTree,
  field: string,
): string | undefined {
  const groups = tree.groups.get(productId) ?? [];
  let general: string | undefined;
  for (const entry of entries) {
    const text = typeof entry[field] === 'string' && entry[field] !== '' ? (entry[field] as string) : undefined;
    if (text === undefined) continue;
    const productIds = Array.isArray(entry.product_ids) ? entry.product_ids : [];
    const groupIds = Array.isArray(entry.group_ids) ? entry.group_ids : [];
    if (productIds.includes(productId) || groups.some((group) => groupIds.includes(group))) return text;
    if (productIds.length === 0 && groupIds.length === 0) general ??= text;
  }
  return general;
}

function stringOrNone(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : [text];
}
