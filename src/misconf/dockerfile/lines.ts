import { canContainHeredoc, DockerfileSyntaxError, type DockerNode, type Heredoc, nodeFromLine } from './nodes.ts';
import { isGoSpace, parseHeredocMarker, rawShellWords, trimLeftGoSpace } from './words.ts';

/** BuildKit reads lines with Go's bufio.Scanner, whose token limit is 64 KiB. */
const MAX_LINE_BYTES = 65535;

const VALID_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

/** Parser directives (`# escape=\``) are only read before the first other line. */
class Directives {
  escapeToken = '\\';
  private continuation = continuationPattern('\\');
  private done = false;
  private readonly seen = new Set<string>();

  consider(line: string): void {
    if (this.done) return;
    const match = DIRECTIVE.exec(line);
    const key = match?.[1]?.toLowerCase();
    if (!match || key === undefined || !VALID_DIRECTIVES.has(key)) {
      this.done = true;
      return;
    }
    if (this.seen.has(key)) throw new DockerfileSyntaxError(`only one ${key} parser directive can be used`);
    this.seen.add(key);
    if (key === 'escape') {
      const token = match[2] ?? '';
      if (token !== '`' && token !== '\\') {
        throw new DockerfileSyntaxError(`invalid escape token '${token}' does not match \` or \\`);
      }
      this.escapeToken = token;
      this.continuation = continuationPattern(token);
    }
  }

  /** Strips a trailing line-continuation token; `continues` tells whether the next line joins this one. */
  trimContinuation(line: string): { text: string; continues: boolean } {
    if (!this.continuation.test(line)) return { text: line, continues: false };
    return { text: line.replace(this.continuation, '$1'), continues: true };
  }
}

/** The escape token ends a line unless it is itself escaped; a lone token on a line continues too. */
function continuationPattern(token: string): RegExp {
  const t = token === '\\' ? '\\\\' : token;
  return new RegExp(`([^${t}])${t}[ \\t]*$|^${t}[ \\t]*$`);
}

/** Physical lines with their line endings, as BuildKit's scanner hands them over. */
function physicalLines(source: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < source.length) {
    const end = source.indexOf('\n', start);
    const stop = end < 0 ? source.length : end + 1;
    if (stop - start > MAX_LINE_BYTES && Buffer.byteLength(source.slice(start, stop)) > MAX_LINE_BYTES + 1) {
      throw new DockerfileSyntaxError(`dockerfile line greater than max allowed size of ${MAX_LINE_BYTES}`);
    }
    lines.push(source.slice(start, stop));
    start = stop;
  }
  return lines;
}

const trimNewline = (line: string) => line.replace(/[\r\n]+$/, '');
const isCommentLine = (line: string) => trimLeftGoSpace(trimNewline(line)).startsWith('#');
const stripComment = (line: string) => (line.startsWith('#') ? '' : line);

export interface DockerfileNodes {
  readonly nodes: DockerNode[];
  readonly escapeToken: string;
}

/**
 * Groups physical lines into instructions: comments and blank lines dropped, continuation lines
 * joined (comment and empty lines inside a continuation skipped), heredoc bodies attached, and
 * each instruction's first and last line recorded (1-based).
 */
export function readInstructions(source: string): DockerfileNodes {
  const directives = new Directives();
  const lines = physicalLines(source);
  const nodes: DockerNode[] = [];
  let index = 0;
  let currentLine = 0;
  const located = (error: unknown, start: number, end: number) =>
    error instanceof DockerfileSyntaxError
      ? new DockerfileSyntaxError(`line ${start}${end > start ? `-${end}` : ''}: ${error.message}`)
      : error;
  while (index < lines.length) {
    let raw = lines[index++] as string;
    if (currentLine === 0 && raw.startsWith('\ufeff')) raw = raw.slice(1);
    const first = trimLeftGoSpace(trimNewline(raw));
    try {
      directives.consider(first);
    } catch (error) {
      throw located(error, currentLine + 1, currentLine + 1);
    }
    currentLine += 1;
    const startLine = currentLine;
    let { text: line, continues } = directives.trimContinuation(stripComment(first));
    if (!continues && line === '') continue;
    while (continues && index < lines.length) {
      const next = lines[index++] as string;
      const processed = trimNewline(next);
      try {
        directives.consider(processed);
      } catch (error) {
        throw located(error, currentLine + 1, currentLine + 1);
      }
      currentLine += 1;
      if (isCommentLine(next)) continue;
      if ([...processed].every(isGoSpace)) continue;
      const part = directives.trimContinuation(stripComment(processed));
      line += part.text;
      continues = part.continues;
    }
    let node: DockerNode;
    try {
      node = nodeFromLine(line, directives.escapeToken);
    } catch (error) {
      throw located(error, startLine, currentLine);
    }
    if (canContainHeredoc(node)) {
      for (const word of rawShellWords(line)) {
        const marker = parseHeredocMarker(word);
        if (!marker) continue;
        const heredoc: Heredoc = { name: marker.name, chomp: marker.chomp, content: '' };
        let terminated = false;
        while (index < lines.length) {
          const body = lines[index++] as string;
          currentLine += 1;
          let candidate = trimNewline(body);
          if (heredoc.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === heredoc.name) {
            terminated = true;
            break;
          }
          heredoc.content += body;
        }
        if (!terminated) throw located(new DockerfileSyntaxError('unterminated heredoc'), startLine, currentLine);
        node.heredocs.push(heredoc);
      }
    }
    node.startLine = startLine;
    node.endLine = currentLine;
    nodes.push(node);
  }
  if (nodes.length === 0) throw new DockerfileSyntaxError('file with no instructions');
  return { nodes, escapeToken: directives.escapeToken };
}
