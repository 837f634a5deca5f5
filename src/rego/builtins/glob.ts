import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import type { Value } from '../value.ts';
import { builtin, operandError, str } from './operands.ts';

function escapeClassChar(ch: string): string {
  return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * gobwas/glob syntax as OPA uses it: `*` (no separators), `**` (anything), `?`, `[abc]`,
 * `[!a-z]`, `{a,b}` and `\` escapes, matched against the whole string.
 */
export function globToRegExp(pattern: string, separators: readonly string[]): RegExp {
  const sepClass = separators.map((s) => escapeClassChar(s)).join('');
  const notSep = sepClass ? `[^${sepClass}]` : '[\\s\\S]';
  let out = '';
  let depth = 0;
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    switch (c) {
      case '\\': {
        const next = chars[++i];
        if (next === undefined) throw new BuiltinError('unexpected end of input');
        out += escapeRegex(next);
        break;
      }
      case '*':
        if (chars[i + 1] === '*') {
          out += '[\\s\\S]*';
          i++;
        } else out += `${notSep}*`;
        break;
      case '?':
        out += notSep;
        break;
      case '[': {
        const close = chars.indexOf(']', i + 1);
        if (close < 0) throw new BuiltinError('unexpected end of input');
        let body = chars.slice(i + 1, close);
        let negated = false;
        if (body[0] === '!') {
          negated = true;
          body = body.slice(1);
        }
        let cls = '';
        for (let j = 0; j < body.length; j++) {
          const ch = body[j] as string;
          if (body[j + 1] === '-' && body[j + 2] !== undefined) {
            cls += `${escapeClassChar(ch)}-${escapeClassChar(body[j + 2] as string)}`;
            j += 2;
          } else cls += escapeClassChar(ch);
        }
        out += negated ? `[^${cls}${sepClass}]` : `[${cls}]`;
        i = close;
        break;
      }
      case '{':
        depth++;
        out += '(?:';
        break;
      case '}':
        if (depth === 0) throw new BuiltinError('unexpected }');
        depth--;
        out += ')';
        break;
      case ',':
        out += depth > 0 ? '|' : ',';
        break;
      default:
        out += escapeRegex(c);
    }
  }
  if (depth !== 0) throw new BuiltinError('unexpected end of input');
  return new RegExp(`^${out}$`, 'u');
}

const cache = new Map<string, RegExp>();

export const globBuiltins: BuiltinDefinition[] = [
  builtin('glob.match', 3, (args) => {
    const pattern = str(args, 0);
    const delimiters = args[1] as Value;
    let separators: string[];
    if (delimiters === null) separators = [];
    else if (Array.isArray(delimiters)) {
      separators = delimiters.map((d) => {
        if (typeof d !== 'string') throw operandError(2, delimiters, 'array of strings');
        return d;
      });
      if (separators.length === 0) separators = ['.'];
    } else throw operandError(2, delimiters, 'array', 'null');
    const match = str(args, 2);
    const key = `${pattern}\u0000${separators.join('\u0000')}`;
    let re = cache.get(key);
    if (re === undefined) {
      re = globToRegExp(pattern, separators);
      if (cache.size > 1000) cache.clear();
      cache.set(key, re);
    }
    return re.test(match);
  }),
  builtin('glob.quote_meta', 1, (args) => str(args, 0).replace(/[*?\\[\]{}]/g, '\\$&')),
];
