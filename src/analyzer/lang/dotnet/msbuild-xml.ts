import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An XML element as read here: attributes (un-prefixed) and child elements by name. */
export type XmlElement = Record<string, unknown>;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Resolves the predefined XML entities and numeric references; DTD entities are never expanded. */
export function decodeXmlText(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (match, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? match;
  });
}

/**
 * Parses an XML document (packages.config, *.props, *.nuspec) into plain objects, children
 * always as arrays. Malformed XML throws, naming the line; DTD entity definitions are not
 * processed, so a hostile document cannot expand.
 */
export function parseXml(text: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new SyntaxError(`XML syntax error on line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    removeNSPrefix: true,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  return parser.parse(text) as XmlElement;
}

/** Child elements named `name`. */
export function children(element: unknown, name: string): XmlElement[] {
  const record = element as XmlElement | undefined;
  const value = record?.[name];
  return Array.isArray(value)
    ? (value.filter((child) => typeof child === 'object' && child !== null) as XmlElement[])
    : [];
}

/** An attribute value, entities resolved. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const value = element[name];
  return typeof value === 'string' ? decodeXmlText(value) : undefined;
}

/** The text content of an element (the `#text` node), entities resolved. */
export function textOf(element: XmlElement): string {
  const text = element['#text'];
  const value = Array.isArray(text) ? text.join('') : text;
  return typeof value === 'string' ? decodeXmlText(value) : '';
}

/** The text of the first child element `name`, whether the parser kept it as a string or a node. */
export function childText(element: XmlElement, name: string): string | undefined {
  const value = element[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return decodeXmlText(first);
  if (typeof first === 'object' && first !== null) return textOf(first as XmlElement);
  return undefined;
}
