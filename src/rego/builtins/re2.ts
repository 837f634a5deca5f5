import { setFlagsFromString } from 'node:v8';
import { BuiltinError } from '../errors.ts';
import { NeedsUnicode, type Re2Mode, Re2Translator } from './re2-syntax.ts';

/**
 * Go RE2 patterns as JavaScript regular expressions. RE2 matches in linear time; V8's
 * backtracking engine does not, but it can switch to its linear-time engine when a match
 * backtracks too much — only for patterns without the `u` and `i` flags. So each pattern gets
 * a `linear` form (when it has one) used for text without astral characters, and a `unicode`
 * form for the rest: a hostile input cannot stall a scan on a check's regular expression.
 */
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

export interface Re2Program {
  /** The regular expression to run on `text` (its lastIndex reset). */
  for(text: string): RegExp;
}

const ASTRAL = /[\uD800-\uDFFF]/;

function build(pattern: string, mode: Re2Mode, global: boolean): RegExp {
  const t = new Re2Translator(pattern, mode).translate();
  return new RegExp(t.source, t.flags + (global ? 'g' : ''));
}

function compile(pattern: string, global: boolean): Re2Program {
  let unicode: RegExp;
  try {
    unicode = build(pattern, 'unicode', global);
  } catch (error) {
    if (error instanceof BuiltinError) throw error;
    throw new BuiltinError(`error parsing regexp: ${(error as Error).message}`);
  }
  let linear: RegExp | undefined;
  try {
    linear = build(pattern, 'linear', global);
  } catch (error) {
    if (!(error instanceof NeedsUnicode)) throw error;
  }
  return {
    for(text: string): RegExp {
      const re = linear !== undefined && !ASTRAL.test(text) ? linear : unicode;
      re.lastIndex = 0;
      return re;
    },
  };
}

const cache = new Map<string, Re2Program | BuiltinError>();
const CACHE_LIMIT = 2000;

/** A compiled Go pattern (cached); `global` adds the `g` flag for iteration. */
export function compileRe2(pattern: string, global = false): Re2Program {
  const key = `${global ? 'g' : '-'}${pattern}`;
  const hit = cache.get(key);
  if (hit instanceof BuiltinError) throw hit;
  if (hit !== undefined) return hit;
  let result: Re2Program | BuiltinError;
  try {
    result = compile(pattern, global);
  } catch (error) {
    if (!(error instanceof BuiltinError)) throw error;
    result = error;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  if (result instanceof BuiltinError) throw result;
  return result;
}

/** regex.match: does the pattern match anywhere in the text. */
export function re2Test(pattern: string, text: string): boolean {
  return compileRe2(pattern).for(text).test(text);
}
