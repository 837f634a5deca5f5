import { type Document, parseAllDocuments, parseDocument } from 'yaml';

/** Deeper nesting than any lock file needs; the YAML parser recurses per level. */
const MAX_DEPTH = 200;
const MAX_INDENT = 1000;

/**
 * Rejects YAML whose nesting would make the parser recurse without bound: flow collections
 * (`[`, `{`) opened where a value may start, chains of `- ` block sequence entries, and
 * absurd indentation. Quoted text is skipped; the check is linear in the input.
 */
export function assertYamlNestingBounded(text: string): void {
  let depth = 0;
  let quote = '';
  let previous = '\n';
  for (let i = 0; i < text.length; i += 1) {
    if (i === 0 || text[i - 1] === '\n') checkLineStart(text, i);
    const c = text[i] as string;
    if (quote !== '') {
      if (c === quote && text[i - 1] !== '\\') quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      if (/[\s:,[{-]/.test(previous)) quote = c;
    } else if ((c === '[' || c === '{') && /[\n:,[{-]/.test(previous)) {
      depth += 1;
      if (depth > MAX_DEPTH) throw new SyntaxError(`YAML nesting deeper than ${MAX_DEPTH} levels`);
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth -= 1;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') previous = c;
  }
}

/** Indentation and `- - -` entry chains at the start of a line. */
function checkLineStart(text: string, start: number): void {
  let indent = 0;
  let entries = 0;
  let j = start;
  for (;;) {
    if (text[j] === ' ') {
      indent += 1;
      j += 1;
    } else if (text[j] === '-' && text[j + 1] === ' ') {
      entries += 1;
      indent += 2;
      j += 2;
    } else {
      break;
    }
    if (indent > MAX_INDENT || entries > MAX_DEPTH) throw new SyntaxError('YAML nesting too deep');
  }
}

const OPTIONS = { logLevel: 'silent', maxAliasCount: 100 } as const;

/** One YAML document with every scalar kept as text (Go decodes lock-file fields into strings). */
export function parseYamlText(text: string): unknown {
  assertYamlNestingBounded(text);
  const document = parseDocument(text, { ...OPTIONS, schema: 'failsafe' });
  if (document.errors.length > 0) throw new SyntaxError(document.errors[0]?.message ?? 'invalid YAML');
  return document.toJS({ maxAliasCount: 100 });
}

/** Every document of a multi-document YAML stream, scalars as text. */
export function parseYamlTextDocuments(text: string): unknown[] {
  assertYamlNestingBounded(text);
  const documents = parseAllDocuments(text, { ...OPTIONS, schema: 'failsafe' });
  const list: Document[] = Array.isArray(documents) ? documents : [documents as unknown as Document];
  for (const document of list) {
    if (document.errors.length > 0) throw new SyntaxError(document.errors[0]?.message ?? 'invalid YAML');
  }
  return list.map((document) => document.toJS({ maxAliasCount: 100 }));
}

/** A YAML document with node positions (core schema), for formats that report line numbers. */
export function parseYamlWithPositions(text: string, options: Parameters<typeof parseDocument>[1] = {}): Document {
  assertYamlNestingBounded(text);
  return parseDocument(text, { ...OPTIONS, ...options });
}
