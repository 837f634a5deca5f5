/**
 * Debian control data (`status`, `available`, `status.d/*`) as Trivy reads it: paragraphs split on
 * blank lines, each parsed like a MIME header (Go's net/textproto), with case-insensitive field
 * names, values trimmed and continuation lines folded with one space. A malformed paragraph is
 * reported and skipped rather than failing the whole file.
 */
export interface ControlParagraphs {
  /** Field name (lower case) → first value, one map per well-formed paragraph. */
  paragraphs: ReadonlyMap<string, string>[];
  /** One message per skipped paragraph. */
  malformed: string[];
}

// RFC 7230 token characters, which Go's textproto requires of a field name.
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const isContinuation = (line: string) => line.startsWith(' ') || line.startsWith('\t');
const trimBlank = (text: string) => text.replace(/^[ \t]+|[ \t]+$/g, '');

function parseParagraph(text: string): Map<string, string> | string {
  const fields = new Map<string, string>();
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines[0] !== undefined && isContinuation(lines[0])) return `malformed first line: ${lines[0].slice(0, 80)}`;
  let key: string | undefined;
  let value = '';
  const flush = () => {
    if (key !== undefined && !fields.has(key)) fields.set(key, value);
    key = undefined;
  };
  for (const line of lines) {
    if (line === '') break;
    if (isContinuation(line)) {
      if (key !== undefined) value = `${value} ${trimBlank(line)}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon < 0) return `malformed line: ${line.slice(0, 80)}`;
    const name = line.slice(0, colon);
    if (name === '') continue;
    if (!FIELD_NAME.test(name)) return `malformed field name: ${name.slice(0, 80)}`;
    key = name.toLowerCase();
    value = trimBlank(line.slice(colon + 1));
  }
  flush();
  return fields;
}

export function parseControlParagraphs(text: string): ControlParagraphs {
  const paragraphs: Map<string, string>[] = [];
  const malformed: string[] = [];
  for (const chunk of text.split('\n\n')) {
    if (chunk.trim() === '') continue;
    const parsed = parseParagraph(chunk);
    if (typeof parsed === 'string') malformed.push(parsed);
    else paragraphs.push(parsed);
  }
  return { paragraphs, malformed };
}
