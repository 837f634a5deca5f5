/**
 * Go's `path.Match`: `*` matches any run of characters except `/`, `?` one such character,
 * `[...]` a class (`^` negation, ranges), `\` escapes. Trivy matches npm and yarn
 * workspace patterns with it, so `packages/*` does not reach `packages/a/b`. A malformed pattern
 * matches nothing, as Go returns ErrBadPattern.
 */
export function matchGoPath(pattern: string, name: string): boolean {
  try {
    return matchFrom(pattern, 0, name, 0, new Set());
  } catch {
    return false;
  }
}

/** `failed` remembers (pattern, name) positions already ruled out, so stars cannot blow up. */
function matchFrom(pattern: string, p: number, name: string, n: number, failed: Set<number>): boolean {
  const key = p * (name.length + 1) + n;
  if (failed.has(key)) return false;
  const matched = matchAt(pattern, p, name, n, failed);
  if (!matched) failed.add(key);
  return matched;
}

function matchAt(pattern: string, p: number, name: string, n: number, failed: Set<number>): boolean {
  while (p < pattern.length) {
    const c = pattern[p];
    if (c === '*') {
      // Collapse consecutive stars, then try every split that stays within one path segment.
      while (pattern[p] === '*') p += 1;
      if (p === pattern.length) return !name.slice(n).includes('/');
      for (let i = n; i <= name.length; i += 1) {
        if (matchFrom(pattern, p, name, i, failed)) return true;
        if (name[i] === '/') return false;
      }
      return false;
    }
    if (n >= name.length) {
      validateRest(pattern, p);
      return false;
    }
    if (c === '?') {
      if (name[n] === '/') return false;
      p += 1;
      n += 1;
      continue;
    }
    if (c === '[') {
      const end = matchClass(pattern, p, name[n] as string);
      if (end.matched === false) return false;
      p = end.next;
      n += 1;
      continue;
    }
    if (c === '\\') {
      p += 1;
      if (p >= pattern.length) throw new Error('bad pattern');
    }
    if (pattern[p] !== name[n]) return false;
    p += 1;
    n += 1;
  }
  return n === name.length;
}

/** One class character (`\\` escapes); `-`, `]` or the end of the pattern here are malformed. */
function readClassChar(pattern: string, p: number): { char: string; next: number } {
  let i = p;
  const first = pattern[i];
  if (first === undefined || first === '-' || first === ']') throw new Error('bad pattern');
  if (first === '\\') i += 1;
  const char = pattern[i];
  if (char === undefined || i + 1 >= pattern.length) throw new Error('bad pattern');
  return { char, next: i + 1 };
}

function matchClass(pattern: string, start: number, char: string): { matched: boolean; next: number } {
  let p = start + 1;
  const negated = pattern[p] === '^';
  if (negated) p += 1;
  let matched = false;
  let ranges = 0;
  while (!(pattern[p] === ']' && ranges > 0)) {
    const low = readClassChar(pattern, p);
    let high = low;
    if (pattern[low.next] === '-') high = readClassChar(pattern, low.next + 1);
    if (low.char <= char && char <= high.char) matched = true;
    p = high.next;
    ranges += 1;
  }
  return { matched: matched !== negated, next: p + 1 };
}

/** Go reports a malformed remainder even when the name ran out first. */
function validateRest(pattern: string, p: number): void {
  for (let i = p; i < pattern.length; i += 1) {
    if (pattern[i] === '\\' && i + 1 >= pattern.length) throw new Error('bad pattern');
    if (pattern[i] === '[' && pattern.indexOf(']', i + 1) === -1) throw new Error('bad pattern');
  }
}
