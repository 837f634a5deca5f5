import { VigilError } from '../../../errors/index.ts';

/**
 * A small XML reader for Maven files (pom.xml, embedded poms): elements by local name, their
 * text, and the line numbers Go's encoding/xml reports (`InputPos` after the start tag and
 * after the end tag), which Trivy uses as dependency locations. Comments, CDATA, processing
 * instructions and DOCTYPE are handled; namespaces are dropped to local names.
 */
export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** Concatenated character data directly inside the element. */
  text: string;
  /** Line of the `>` that closes the start tag. */
  startLine: number;
  /** Line of the `>` that closes the end tag (or of the self-closing tag). */
  endLine: number;
}

const MAX_DEPTH = 256;

export function xmlError(message: string): VigilError {
  return new VigilError('XML_DECODE', `xml decode error: ${message}`);
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return safeCodePoint(Number.parseInt(entity.slice(2), 16)) ?? whole;
    if (entity.startsWith('#')) return safeCodePoint(Number.parseInt(entity.slice(1), 10)) ?? whole;
    return ENTITIES[entity] ?? whole;
  });
}

function safeCodePoint(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
}

/** The text of a file, decoded by the encoding its XML declaration names (UTF-8 or Latin-1). */
export function decodeXmlBytes(data: Buffer): string {
  const head = data.toString('latin1', 0, Math.min(data.length, 200));
  const encoding = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]?.toLowerCase();
  if (encoding && /^(iso-8859-1|iso8859-1|latin1|l1|windows-1252|cp1252|us-ascii)$/.test(encoding)) {
    return data.toString('latin1');
  }
  const text = data.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/** Parses an XML document into its root element; throws `xml decode error: …` when malformed. */
export function parseXml(input: string | Buffer): XmlElement {
  const text = typeof input === 'string' ? input : decodeXmlBytes(input);
  let at = 0;
  let line = 1;
  const advanceTo = (end: number) => {
    for (let i = at; i < end; i += 1) if (text.charCodeAt(i) === 10) line += 1;
    at = end;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const chunkEnd = lt === -1 ? text.length : lt;
    if (chunkEnd > at) {
      const chunk = text.slice(at, chunkEnd);
      const parent = stack[stack.length - 1];
      if (parent) parent.text += decodeEntities(chunk);
      else if (chunk.trim() !== '') throw xmlError('text outside the root element');
      advanceTo(chunkEnd);
    }
    if (lt === -1) break;
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end === -1) throw xmlError('unterminated comment');
      advanceTo(end + 3);
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at + 9);
      if (end === -1) throw xmlError('unterminated CDATA section');
      const parent = stack[stack.length - 1];
      if (!parent) throw xmlError('CDATA outside the root element');
      parent.text += text.slice(at + 9, end);
      advanceTo(end + 3);
    } else if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      if (end === -1) throw xmlError('unterminated processing instruction');
      advanceTo(end + 2);
    } else if (text.startsWith('<!', at)) {
      let depth = 0;
      let end = at + 2;
      for (; end < text.length; end += 1) {
        const c = text[end];
        if (c === '[') depth += 1;
        else if (c === ']') depth -= 1;
        else if (c === '>' && depth <= 0) break;
      }
      if (end >= text.length) throw xmlError('unterminated declaration');
      advanceTo(end + 1);
    } else if (text.startsWith('</', at)) {
      const end = text.indexOf('>', at);
      if (end === -1) throw xmlError('unterminated end tag');
      const name = text.slice(at + 2, end).trim();
      const open = stack.pop();
      if (!open || localName(name) !== open.name) {
        throw xmlError(`element <${open?.name ?? ''}> closed by </${name}>`);
      }
      advanceTo(end + 1);
      open.endLine = line;
    } else {
      const tag = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
        text.slice(at, at + 64 * 1024),
      );
      if (!tag) throw xmlError(`malformed tag on line ${line}`);
      const attributes: Record<string, string> = {};
      for (const attr of (tag[2] ?? '').matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attributes[localName(attr[1] ?? '')] = decodeEntities(attr[2] ?? attr[3] ?? '');
      }
      advanceTo(at + tag[0].length);
      const element: XmlElement = {
        name: localName(tag[1] ?? ''),
        attributes,
        children: [],
        text: '',
        startLine: line,
        endLine: line,
      };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw xmlError('more than one root element');
      else root = element;
      if (tag[3] !== '/') {
        if (stack.length >= MAX_DEPTH) throw xmlError('elements nested too deeply');
        stack.push(element);
      }
    }
  }
  if (stack.length > 0) throw xmlError(`unexpected EOF inside <${stack[stack.length - 1]?.name}>`);
  if (!root) throw xmlError('EOF');
  return root;
}

/** The first child element called `name`. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of the first child called `name`, or '' when absent. */
export function childText(element: XmlElement | undefined, name: string): string {
  return child(element, name)?.text.trim() ?? '';
}
