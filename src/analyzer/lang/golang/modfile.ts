import { VigilError } from '../../../errors/index.ts';
import { goQuotedPrefix } from './modinfo.ts';

/**
 * A go.mod reader in the spirit of golang.org/x/mod/modfile: line-oriented directives, `( … )`
 * blocks, `//` comments (with `// indirect` on requirements), quoted tokens. Unknown directives
 * are errors, as in `modfile.Parse`.
 */
export interface ModRequire {
  path: string;
  version: string;
  indirect: boolean;
}

export interface ModReplace {
  oldPath: string;
  oldVersion: string;
  newPath: string;
  /** Empty when the replacement is a local directory. */
  newVersion: string;
}

export interface ModFile {
  module?: string;
  go?: string;
  toolchain?: string;
  require: ModRequire[];
  replace: ModReplace[];
  exclude: { path: string; version: string }[];
}

const KNOWN_DIRECTIVES = new Set([
  'module',
  'go',
  'toolchain',
  'godebug',
  'require',
  'exclude',
  'replace',
  'retract',
  'tool',
  'ignore',
]);

function parseError(line: number, message: string): VigilError {
  return new VigilError('GO_MOD_PARSE', `go.mod:${line}: ${message}`);
}

interface Line {
  number: number;
  tokens: string[];
  comment: string;
}

/** Splits one physical line into tokens and its trailing `//` comment. */
function tokenize(text: string, number: number): Line {
  const tokens: string[] = [];
  let comment = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') {
      i += 1;
    } else if (text.startsWith('//', i)) {
      comment = text.slice(i + 2).trim();
      break;
    } else if (c === '"' || c === '`') {
      const quoted = goQuotedPrefix(text.slice(i));
      if (!quoted) throw parseError(number, 'unterminated quoted string');
      tokens.push(quoted.value);
      i += quoted.raw.length;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i += 1;
    } else if (text.startsWith('=>', i)) {
      tokens.push('=>');
      i += 2;
    } else {
      let end = i;
      while (end < text.length && !/[\s()"`]/.test(text[end] ?? '') && !text.startsWith('//', end)) {
        if (text.startsWith('=>', end) && end > i) break;
        end += 1;
      }
      tokens.push(text.slice(i, end));
      i = end;
    }
  }
  return { number, tokens, comment };
}

/** `// indirect` or `// indirect; other notes`. */
function isIndirect(comment: string): boolean {
  const fields = comment.split(/\s+/).filter((f) => f !== '');
  return (fields.length === 1 && fields[0] === 'indirect') || (fields.length > 1 && fields[0] === 'indirect;');
}

function isLocalPath(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

function applyDirective(file: ModFile, verb: string, args: string[], line: Line): void {
  const want = (count: number, usage: string) => {
    if (args.length !== count) throw parseError(line.number, `usage: ${usage}`);
  };
  switch (verb) {
    case 'module':
      want(1, 'module module/path');
      file.module = args[0];
      break;
    case 'go':
      want(1, 'go 1.23');
      if (!/^[0-9]+(\.[0-9]+)*((rc|beta)[0-9]+)?$/.test(args[0] ?? '')) {
        throw parseError(line.number, `invalid go version '${args[0]}'`);
      }
      file.go = args[0];
      break;
    case 'toolchain':
      want(1, 'toolchain name');
      file.toolchain = args[0];
      break;
    case 'require':
    case 'exclude': {
      want(2, `${verb} module/path v1.2.3`);
      const [path = '', version = ''] = args;
      if (!version.startsWith('v')) throw parseError(line.number, `invalid module version ${JSON.stringify(version)}`);
      if (verb === 'require') file.require.push({ path, version, indirect: isIndirect(line.comment) });
      else file.exclude.push({ path, version });
      break;
    }
    case 'replace': {
      const arrow = args.indexOf('=>');
      if (arrow !== 1 && arrow !== 2)
        throw parseError(line.number, 'usage: replace module/path [v1.2.3] => other/module v1.4');
      const right = args.slice(arrow + 1);
      if (right.length !== 1 && right.length !== 2) {
        throw parseError(line.number, 'usage: replace module/path [v1.2.3] => other/module v1.4');
      }
      const newPath = right[0] ?? '';
      const newVersion = right[1] ?? '';
      if (newVersion === '' && !isLocalPath(newPath)) {
        throw parseError(
          line.number,
          'replacement module without version must be directory path (rooted or starting with ./ or ../)',
        );
      }
      file.replace.push({
        oldPath: args[0] ?? '',
        oldVersion: arrow === 2 ? (args[1] ?? '') : '',
        newPath,
        newVersion,
      });
      break;
    }
    default:
      // godebug, retract, tool, ignore: accepted, not needed for packages.
      break;
  }
}

/** Parses go.mod text; throws `GO_MOD_PARSE` on malformed input. */
export function parseModFile(text: string): ModFile {
  const file: ModFile = { require: [], replace: [], exclude: [] };
  const lines = text.split('\n').map((raw, index) => tokenize(raw, index + 1));
  let block: string | undefined;
  for (const line of lines) {
    if (line.tokens.length === 0) continue;
    if (block !== undefined) {
      if (line.tokens.length === 1 && line.tokens[0] === ')') {
        block = undefined;
        continue;
      }
      if (line.tokens.includes('(') || line.tokens.includes(')'))
        throw parseError(line.number, 'unexpected parenthesis');
      applyDirective(file, block, line.tokens, line);
      continue;
    }
    const [verb = '', ...args] = line.tokens;
    if (!KNOWN_DIRECTIVES.has(verb)) throw parseError(line.number, `unknown directive: ${verb}`);
    if (args.length === 1 && args[0] === '(') {
      block = verb;
      continue;
    }
    if (args.includes('(') || args.includes(')')) throw parseError(line.number, 'unexpected parenthesis');
    applyDirective(file, verb, args, line);
  }
  if (block !== undefined) throw parseError(lines.length, `unterminated ${block} block`);
  return file;
}
