import { BuiltinError } from './errors.ts';

/**
 * Rego numbers: a JS number for floats and for integers within ±(2^53−1), a bigint for larger
 * integers, so integer arithmetic stays exact as in OPA. `normalize` keeps that invariant, which
 * lets `===` and map keys treat equal numbers as equal.
 */
export type Num = number | bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

export function normalize(n: Num): Num {
  if (typeof n === 'bigint') return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n;
  if (Object.is(n, -0)) return 0;
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return BigInt(n);
  return n;
}

export function isInteger(n: Num): boolean {
  return typeof n === 'bigint' || Number.isInteger(n);
}

export function toFloat(n: Num): number {
  return typeof n === 'bigint' ? Number(n) : n;
}

/** The integer as a bigint; callers check isInteger first. */
export function toBigInt(n: Num): bigint {
  return typeof n === 'bigint' ? n : BigInt(n);
}

/** A JS integer when it fits, else undefined. */
export function toSafeInteger(n: Num): number | undefined {
  if (typeof n === 'bigint') return undefined;
  return Number.isInteger(n) ? n : undefined;
}

function checkFinite(x: number): number {
  if (!Number.isFinite(x)) throw new BuiltinError('arithmetic result out of range');
  return x;
}

export function add(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return normalize(checkFinite(r));
  }
  if (isInteger(a) && isInteger(b)) return normalize(toBigInt(a) + toBigInt(b));
  return normalize(checkFinite(toFloat(a) + toFloat(b)));
}

export function subtract(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return normalize(checkFinite(r));
  }
  if (isInteger(a) && isInteger(b)) return normalize(toBigInt(a) - toBigInt(b));
  return normalize(checkFinite(toFloat(a) - toFloat(b)));
}

export function multiply(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return normalize(checkFinite(r));
  }
  if (isInteger(a) && isInteger(b)) return normalize(toBigInt(a) * toBigInt(b));
  return normalize(checkFinite(toFloat(a) * toFloat(b)));
}

export function divide(a: Num, b: Num): Num {
  if (b === 0 || b === 0n) throw new BuiltinError('divide by zero');
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if (isInteger(a) && isInteger(b)) {
      const x = toBigInt(a);
      const y = toBigInt(b);
      if (x % y === 0n) return normalize(x / y);
    }
  }
  return normalize(checkFinite(toFloat(a) / toFloat(b)));
}

export function remainder(a: Num, b: Num): Num {
  if (!isInteger(a) || !isInteger(b)) throw new BuiltinError('modulo on floating-point number');
  if (b === 0 || b === 0n) throw new BuiltinError('modulo by zero');
  if (typeof a === 'number' && typeof b === 'number') return normalize(a % b);
  return normalize(toBigInt(a) % toBigInt(b));
}

export function negate(a: Num): Num {
  return normalize(typeof a === 'bigint' ? -a : -a);
}

export function absolute(a: Num): Num {
  if (typeof a === 'bigint') return normalize(a < 0n ? -a : a);
  return normalize(Math.abs(a));
}

/** Parses a JSON/Rego number literal; integers of any size stay exact. */
export function parseNumber(text: string): Num | undefined {
  if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  if (/^-?[0-9]+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : normalize(BigInt(text));
  }
  const mantissaExp = /^(-?)([0-9]+)(?:\.([0-9]+))?[eE]([+-]?[0-9]+)$/.exec(text);
  if (mantissaExp) {
    // Exact integers written with an exponent (1e3, 10e18) stay integers.
    const [, sign, whole, frac = '', expText] = mantissaExp;
    const exp = Number(expText) - frac.length;
    const digits = `${whole}${frac}`.replace(/^0+(?=\d)/, '');
    if (exp >= 0 && exp <= 400) {
      return normalize(BigInt(`${sign}${digits}`) * 10n ** BigInt(exp));
    }
  }
  const f = Number(text);
  if (!Number.isFinite(f)) return undefined;
  return normalize(f);
}

/** JSON text of a number, as OPA prints numbers in results. */
export function formatNumber(n: Num): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n)) return String(n);
  return String(n);
}
