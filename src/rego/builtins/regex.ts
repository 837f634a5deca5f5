import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import type { Value } from '../value.ts';
import { builtin, int, str } from './operands.ts';
import { compileRe2, type Re2Program, re2Test } from './re2.ts';

/** Go's allMatches: successive matches; an empty match right after a previous one is skipped. */
function allMatches(program: Re2Program, s: string, limit: number): RegExpExecArray[] {
  const re = program.for(s);
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((limit < 0 || out.length < limit) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      const cp = s.codePointAt(end);
      pos = end + (cp !== undefined && cp > 0xffff ? 2 : 1);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    const plain = /^[A-Za-z0-9_]+/.exec(rest);
    const name = braced ? braced[1] : plain ? plain[0] : undefined;
    if (name === undefined) {
      out += '$';
      continue;
    }
    i += braced ? (braced[0] as string).length : name.length;
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out;
}

function replaceAll(program: Re2Program, s: string, template: string): string {
  const re = program.for(s);
  let out = '';
  let lastEnd = 0;
  let searchPos = 0;
  while (searchPos <= s.length) {
    re.lastIndex = searchPos;
    const m = re.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    out += s.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += expand(template, m);
    lastEnd = end;
    const cp = s.codePointAt(searchPos);
    const width = cp !== undefined && cp > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + s.slice(lastEnd);
}

function split(program: Re2Program, s: string): string[] {
  if (s === '') return [''];
  const parts: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of allMatches(program, s, -1)) {
    end = m.index;
    if (m.index + m[0].length !== 0) parts.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) parts.push(s.slice(beg));
  return parts;
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** regex.template_match: literal text with regular expressions between the delimiters. */
function templateMatch(template: string, value: string, open: string, close: string): boolean {
  let pattern = '^';
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf(open, i);
    if (start < 0) {
      pattern += quoteMeta(template.slice(i));
      break;
    }
    pattern += quoteMeta(template.slice(i, start));
    let depth = 0;
    let j = start;
    let end = -1;
    for (; j < template.length; j++) {
      if (template.startsWith(open, j)) depth++;
      else if (template.startsWith(close, j)) {
        depth--;
        if (depth === 0) {
          end = j;
          break;
        }
      }
    }
    if (end < 0) throw new BuiltinError(`unbalanced braces in ${JSON.stringify(template)}`);
    pattern += `(${template.slice(start + open.length, end)})`;
    i = end + close.length;
  }
  return re2Test(`${pattern}$`, value);
}

export const regexBuiltins: BuiltinDefinition[] = [
  builtin('regex.match', 2, (args) => re2Test(str(args, 0), str(args, 1))),
  builtin('re_match', 2, (args) => re2Test(str(args, 0), str(args, 1))),
  builtin('regex.is_valid', 1, ([p]) => {
    if (typeof p !== 'string') return false;
    try {
      compileRe2(p);
      return true;
    } catch {
      return false;
    }
  }),
  builtin('regex.find_n', 3, (args) => {
    const re = compileRe2(str(args, 0), true);
    return allMatches(re, str(args, 1), int(args, 2)).map((m) => m[0]);
  }),
  builtin('regex.find_all_string_submatch_n', 3, (args) => {
    const re = compileRe2(str(args, 0), true);
    return allMatches(re, str(args, 1), int(args, 2)).map((m) => [...m].map((g) => g ?? '') as Value[]);
  }),
  builtin('regex.split', 2, (args) => split(compileRe2(str(args, 0), true), str(args, 1))),
  builtin('regex.replace', 3, (args) => replaceAll(compileRe2(str(args, 1), true), str(args, 0), str(args, 2))),
  builtin('regex.template_match', 4, (args) => templateMatch(str(args, 0), str(args, 1), str(args, 2), str(args, 3))),
];
