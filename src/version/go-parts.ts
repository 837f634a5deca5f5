import type { Comparison } from './types.ts';

/**
 * The version-component model of aquasecurity/go-version (`pkg/part`), which Trivy's generic,
 * npm, PEP 440, RubyGems and Bitnami comparers are built on. Reproducing it, rather than each
 * scheme's specification, keeps the corner cases (wildcards, missing parts, mixed numbers and
 * words) ordered exactly as Trivy orders them. Numbers are bigints, so no component overflows.
 */
export type Part =
  | { readonly kind: 'number'; readonly value: bigint }
  /** A word; sorts after every number. */
  | { readonly kind: 'string'; readonly value: string }
  /** A word that sorts before every number (PEP 440 local labels, RubyGems pre-release words). */
  | { readonly kind: 'prestring'; readonly value: string }
  /** `*`, `x` or `X`: equal to anything. */
  | { readonly kind: 'any' }
  /** A component left out of a constraint: zero, or anything when `any`. */
  | { readonly kind: 'empty'; readonly any: boolean }
  | { readonly kind: 'infinity' }
  | { readonly kind: 'negativeInfinity' }
  | { readonly kind: 'list'; readonly parts: readonly Part[] };

export const ZERO: Part = { kind: 'number', value: 0n };
export const ANY: Part = { kind: 'any' };
export const INFINITY: Part = { kind: 'infinity' };
export const NEGATIVE_INFINITY: Part = { kind: 'negativeInfinity' };

export function numberPart(value: bigint): Part {
  return { kind: 'number', value };
}

export function listPart(parts: readonly Part[]): Part {
  return { kind: 'list', parts };
}

/** go-version's uint64 parse: decimal digits only, at most 2^64-1. */
export function parseUint64(text: string): bigint | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= 0xffffffffffffffffn ? value : undefined;
}

export function isWildcard(text: string): boolean {
  return text === '*' || text === 'x' || text === 'X';
}

/** `part.NewPart`: a number, a wildcard or a word. */
export function newPart(text: string): Part {
  const number = parseUint64(text);
  if (number !== undefined) return numberPart(number);
  if (isWildcard(text)) return ANY;
  return { kind: 'string', value: text };
}

/** `part.NewParts`: dot-separated parts; the empty string has none. */
export function newParts(text: string): Part[] {
  return text === '' ? [] : text.split('.').map(newPart);
}

export function isAny(part: Part): boolean {
  switch (part.kind) {
    case 'any':
      return true;
    case 'empty':
      return part.any;
    case 'list':
      return part.parts.some(isAny);
    default:
      return false;
  }
}

export function isNull(part: Part): boolean {
  switch (part.kind) {
    case 'number':
      return part.value === 0n;
    case 'string':
    case 'prestring':
      return part.value === '';
    case 'list':
      return isAny(part) || part.parts.length === 0;
    default:
      return false;
  }
}

export function isEmptyPart(part: Part): boolean {
  return part.kind === 'empty';
}

function compareStrings(a: string, b: string): Comparison {
  return a < b ? -1 : a > b ? 1 : 0;
}

function samePart(a: Part, b: Part): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'number':
    case 'string':
    case 'prestring':
      return a.value === (b as typeof a).value;
    case 'empty':
      return a.any === (b as typeof a).any;
    case 'list': {
      const other = (b as typeof a).parts;
      return a.parts.length === other.length && a.parts.every((part, i) => samePart(part, other[i] as Part));
    }
    default:
      return true;
  }
}

/** `Part.Compare`: how `a` orders against `b`; a missing `b` (nil) is smaller than anything. */
export function comparePart(a: Part, b: Part | undefined): Comparison {
  if (b === undefined) return a.kind === 'any' ? 0 : 1;
  switch (a.kind) {
    case 'number':
      switch (b.kind) {
        case 'number':
          return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
        case 'string':
          return -1;
        case 'prestring':
          return 1;
        case 'any':
          return 0;
        case 'empty':
          return b.any ? 0 : comparePart(a, ZERO);
        default:
          // go-version panics here; no scheme builds this pairing.
          return 0;
      }
    case 'string':
    case 'prestring':
      switch (b.kind) {
        case 'number':
          return a.kind === 'string' ? 1 : -1;
        case 'string':
        case 'prestring':
          return compareStrings(a.value, b.value);
        case 'any':
          return 0;
        case 'empty':
          return b.any ? 0 : comparePart(a, ZERO);
        default:
          return 0;
      }
    case 'any':
      return 0;
    case 'empty':
      return a.any ? 0 : comparePart(ZERO, b);
    case 'infinity':
      return b.kind === 'infinity' ? 0 : 1;
    case 'negativeInfinity':
      return b.kind === 'negativeInfinity' ? 0 : -1;
    case 'list':
      if (isAny(b)) return 0;
      if (b.kind === 'infinity') return -1;
      if (b.kind === 'negativeInfinity') return 1;
      if (b.kind !== 'list') return -1;
      return compareLists(a.parts, b.parts);
  }
}

/** `Parts.Compare` on two lists: element by element; a shorter list is smaller; wildcards end the comparison as equal. */
export function compareLists(a: readonly Part[], b: readonly Part[]): Comparison {
  if (b.some(isAny)) return 0;
  if (a.length === b.length && a.every((part, i) => samePart(part, b[i] as Part))) return 0;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i];
    const right = b[i];
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    if (isAny(left) || isAny(right)) return 0;
    const result = comparePart(left, right);
    if (result !== 0) return result;
  }
  return 0;
}

/** `Parts.Normalize`: drops trailing null parts (zeros, empty words). */
export function normalizeParts(parts: readonly Part[]): Part[] {
  let end = parts.length;
  while (end > 0 && isNull(parts[end - 1] as Part)) end--;
  return parts.slice(0, end);
}

export function padParts(parts: readonly Part[], size: number, padding: Part = ZERO): Part[] {
  const padded = [...parts];
  while (padded.length < size) padded.push(padding);
  return padded;
}

/** Numeric components compared after trailing zeros are dropped and the shorter is padded. */
export function compareNumericSegments(a: readonly Part[], b: readonly Part[]): Comparison {
  const left = normalizeParts(a);
  const right = normalizeParts(b);
  return compareLists(padParts(left, right.length), padParts(right, left.length));
}

/** `prerelease.Compare`: no pre-release sorts after any pre-release. */
export function comparePrerelease(a: readonly Part[], b: readonly Part[]): Comparison {
  const aNull = isNull(listPart(a));
  const bNull = isNull(listPart(b));
  if (aNull && bNull) return 0;
  if (aNull) return 1;
  if (bNull) return -1;
  return compareLists(a, b);
}

export function partToString(part: Part): string {
  switch (part.kind) {
    case 'number':
      return part.value.toString();
    case 'string':
    case 'prestring':
      return part.value;
    case 'any':
      return '*';
    case 'list':
      return part.parts.map(partToString).join('.');
    default:
      return '';
  }
}
