import { closeNode, type ManifestNode, ManifestSyntaxError, NodeBudget } from './manifest-node.ts';

/**
 * A JSON reader that keeps the line each value starts and ends on (Trivy reads JSON manifests
 * with positions; converting them to YAML first would give meaningless lines). Strict JSON; the
 * last of duplicate keys wins.
 */
export function parseJsonManifest(text: string): ManifestNode {
  const budget = new NodeBudget();
  let pos = 0;
  let line = 1;

  const fail = (message: string): never => {
    throw new ManifestSyntaxError(`invalid JSON at line ${line}: ${message}`);
  };
  const skipSpace = () => {
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === '\n') line += 1;
      else if (ch !== ' ' && ch !== '\t' && ch !== '\r') break;
      pos += 1;
    }
  };
  const readString = (): string => {
    const start = pos;
    pos += 1;
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === '"') {
        pos += 1;
        try {
          return JSON.parse(text.slice(start, pos)) as string;
        } catch {
          return fail('bad string');
        }
      }
      if (ch === '\\') pos += 1;
      else if (ch === '\n' || (ch !== undefined && ch < ' ')) fail('control character in string');
      pos += 1;
    }
    return fail('unterminated string');
  };

  const readValue = (depth: number): ManifestNode => {
    budget.take(depth);
    // Trivy takes the decoder's offset before the value, i.e. right after the previous token.
    const startLine = line;
    skipSpace();
    const ch = text[pos];
    if (ch === '{') {
      pos += 1;
      const entries = new Map<string, ManifestNode>();
      skipSpace();
      if (text[pos] === '}') pos += 1;
      else {
        for (;;) {
          skipSpace();
          if (text[pos] !== '"') fail('expected a key');
          const key = readString();
          skipSpace();
          if (text[pos] !== ':') fail("expected ':'");
          pos += 1;
          entries.set(key, readValue(depth + 1));
          skipSpace();
          if (text[pos] === ',') {
            pos += 1;
            continue;
          }
          if (text[pos] === '}') {
            pos += 1;
            break;
          }
          fail("expected ',' or '}'");
        }
      }
      return closeNode({ kind: 'map', startLine, endLine: line, entries });
    }
    if (ch === '[') {
      pos += 1;
      const items: ManifestNode[] = [];
      const [afterBracket, bracketLine] = [pos, line];
      skipSpace();
      if (text[pos] === ']') pos += 1;
      else {
        // The first element starts right after '[' (before the white space), as Trivy counts it.
        [pos, line] = [afterBracket, bracketLine];
        for (;;) {
          items.push(readValue(depth + 1));
          skipSpace();
          if (text[pos] === ',') {
            pos += 1;
            continue;
          }
          if (text[pos] === ']') {
            pos += 1;
            break;
          }
          fail("expected ',' or ']'");
        }
      }
      return closeNode({ kind: 'seq', startLine, endLine: line, items });
    }
    if (ch === '"') {
      const valueLine = line;
      return { kind: 'scalar', startLine: valueLine, endLine: valueLine, value: readString() };
    }
    const valueLine = line;
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(text.slice(pos, pos + 400));
    if (!literal) return fail('unexpected character');
    const word = literal[0];
    pos += word.length;
    let value: string | number | bigint | boolean | null;
    if (word === 'true' || word === 'false') value = word === 'true';
    else if (word === 'null') value = null;
    else if (/^-?\d+$/.test(word) && !Number.isSafeInteger(Number(word))) value = BigInt(word);
    else value = Number(word);
    return value === null
      ? { kind: 'scalar', startLine: 0, endLine: 0, value }
      : { kind: 'scalar', startLine: valueLine, endLine: valueLine, value };
  };

  const root = readValue(0);
  skipSpace();
  if (pos < text.length) fail('unexpected data after the top-level value');
  return root;
}
