import {
  at,
  invalidVex,
  isObject,
  type JsonObject,
  optionalArray,
  optionalObject,
  optionalString,
  optionalTime,
  stringArray,
  type Where,
} from './json-fields.ts';
import type { VexComponent, VexDocument, VexProduct, VexStatement, VexStatus } from './model.ts';

/**
 * OpenVEX v0.2.0 and the v0.0.1 compatibility form go-vex still opens: there `vulnerability`
 * is a string, `products` are strings and `subcomponents` sit on the statement, applying to
 * every product.
 */
const STATUSES: ReadonlySet<string> = new Set(['not_affected', 'affected', 'fixed', 'under_investigation']);

export function isOpenVex(json: unknown): boolean {
  if (!isObject(json)) return false;
  const context = json['@context'];
  return typeof context === 'string' && context.startsWith('https://openvex.dev/ns');
}

export function parseOpenVex(json: unknown, source: string): VexDocument {
  if (!isObject(json)) throw invalidVex(source, 'the top level must be an object');
  const documentTime = optionalTime(source, json, 'timestamp', 'document');
  const statements = optionalArray(source, json, 'statements', 'document').map((raw, index) =>
    parseStatement(raw, source, () => `statements[${index}]`, documentTime),
  );
  return {
    format: 'openvex',
    source,
    id: optionalString(source, json, '@id', 'document'),
    author: optionalString(source, json, 'author', 'document'),
    statements,
  };
}

function parseStatement(raw: unknown, source: string, where: Where, documentTime: number | undefined): VexStatement {
  if (!isObject(raw)) throw invalidVex(source, `${at(where)} must be an object`);
  const status = optionalString(source, raw, 'status', where);
  if (status === undefined || !STATUSES.has(status)) {
    throw invalidVex(
      source,
      `${where}.status must be one of ${[...STATUSES].join(', ')}, not ${JSON.stringify(status)}`,
    );
  }
  // v0.0.1: statement-level subcomponents apply to every product.
  const sharedSubcomponents = optionalArray(source, raw, 'subcomponents', where).map((item, index) =>
    parseComponent(item, source, () => `${at(where)}.subcomponents[${index}]`),
  );
  const products = optionalArray(source, raw, 'products', where).map((item, index) =>
    parseProduct(item, source, () => `${at(where)}.products[${index}]`, sharedSubcomponents),
  );
  return {
    vulnerabilityIds: vulnerabilityIds(raw.vulnerability, source, () => `${at(where)}.vulnerability`),
    products,
    status: status as VexStatus,
    justification: nonEmpty(optionalString(source, raw, 'justification', where)),
    impactStatement: nonEmpty(optionalString(source, raw, 'impact_statement', where)),
    actionStatement: nonEmpty(optionalString(source, raw, 'action_statement', where)),
    timestamp: optionalTime(source, raw, 'timestamp', where) ?? documentTime,
  };
}

function vulnerabilityIds(raw: unknown, source: string, where: Where): string[] {
  if (typeof raw === 'string') return raw === '' ? [] : [raw];
  if (raw === undefined || raw === null) throw invalidVex(source, `${at(where)} is missing`);
  if (!isObject(raw)) throw invalidVex(source, `${at(where)} must be a string or an object`);
  const ids = [
    optionalString(source, raw, 'name', where),
    optionalString(source, raw, '@id', where),
    ...stringArray(source, raw, 'aliases', where),
  ].filter((id): id is string => id !== undefined && id !== '');
  if (ids.length === 0) throw invalidVex(source, `${at(where)} has no name, @id or aliases`);
  return [...new Set(ids)];
}

function parseProduct(
  raw: unknown,
  source: string,
  where: Where,
  sharedSubcomponents: readonly VexComponent[],
): VexProduct {
  const component = parseComponent(raw, source, where);
  const own = isObject(raw)
    ? optionalArray(source, raw, 'subcomponents', where).map((item, index) =>
        parseComponent(item, source, () => `${at(where)}.subcomponents[${index}]`),
      )
    : [];
  const subcomponents = sharedSubcomponents.length === 0 ? own : [...own, ...sharedSubcomponents];
  return { id: component.id, purls: component.purls, names: component.names, subcomponents };
}

const NONE: readonly string[] = Object.freeze([]);

function parseComponent(raw: unknown, source: string, where: Where): VexComponent {
  if (typeof raw === 'string') return { id: raw, purls: raw.startsWith('pkg:') ? [raw] : NONE, names: NONE };
  if (!isObject(raw)) throw invalidVex(source, `${at(where)} must be a string or an object`);
  const id = nonEmpty(optionalString(source, raw, '@id', where));
  const purls: string[] = [];
  const names: string[] = [];
  if (id?.startsWith('pkg:')) purls.push(id);
  if (raw.identifiers !== undefined) {
    for (const [type, value] of Object.entries(optionalObject(source, raw, 'identifiers', where))) {
      if (typeof value !== 'string') throw invalidVex(source, `${at(where)}.identifiers.${type} must be a string`);
      if (type !== 'purl') names.push(value);
      // VEX Hub repeats the @id as identifiers.purl: keep one copy.
      else if (value !== id) purls.push(value);
    }
  }
  if (raw.hashes !== undefined) {
    for (const [algorithm, value] of Object.entries(optionalObject(source, raw, 'hashes', where) as JsonObject)) {
      if (typeof value !== 'string') throw invalidVex(source, `${at(where)}.hashes.${algorithm} must be a string`);
      names.push(value);
    }
  }
  return { id, purls: purls.length === 0 ? NONE : purls, names: names.length === 0 ? NONE : names };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
