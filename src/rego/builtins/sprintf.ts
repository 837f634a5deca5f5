import { formatValue } from '../json.ts';
import type { Value } from '../value.ts';

/**
 * Go's fmt.Sprintf as OPA calls it: integers are passed as int64 (or *big.Int when larger),
 * other numbers as float64, strings as strings, and every other value as its Rego text.
 */
type GoArg = { t: 'int'; v: bigint; big: boolean } | { t: 'float'; v: number } | { t: 'string'; v: string };

function toGoArg(v: Value): GoArg {
  if (typeof v === 'bigint') return { t: 'int', v, big: v > 9223372036854775807n || v < -9223372036854775808n };
  if (typeof v === 'number') return Number.isInteger(v) ? { t: 'int', v: BigInt(v), big: false } : { t: 'float', v };
  if (typeof v === 'string') return { t: 'string', v };
  return { t: 'string', v: formatValue(v) };
}

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function goTypeName(a: GoArg): string {
  return a.t === 'int' ? (a.big ? 'big.Int' : 'int64') : a.t === 'float' ? 'float64' : 'string';
}

function rawText(a: GoArg): string {
  if (a.t === 'int') return a.v.toString();
  if (a.t === 'float') return formatFloat(a.v, 'g', -1);
  return a.v;
}

/** Go's `%!z(type=value)`: the value printed with %v and the same flags. */
function badVerb(verb: string, a: GoArg, spec: Spec): string {
  if (a.t === 'int' && a.big) return `%!${verb}(big.Int=${a.v})`;
  const shown =
    a.t === 'int'
      ? formatInteger(a, 'd', spec)
      : a.t === 'float'
        ? formatFloatArg(a.v, 'v', spec)
        : formatString(a.v, 's', spec);
  return `%!${verb}(${goTypeName(a)}=${shown})`;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const length = Array.from(s).length;
  if (length >= width) return s;
  const fill = width - length;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : '';
    const body = sign ? s.slice(1) : s;
    const prefix = /^0[xXbo]/.test(body) ? body.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(fill) + body.slice(prefix.length);
  }
  return ' '.repeat(fill) + s;
}

function padString(s: string, spec: Spec): string {
  const width = spec.width ?? 0;
  const length = Array.from(s).length;
  if (length >= width) return s;
  if (spec.minus) return s + ' '.repeat(width - length);
  return (spec.zero ? '0' : ' ').repeat(width - length) + s;
}

function withSign(body: string, negative: boolean, spec: Spec): string {
  if (negative) return `-${body}`;
  if (spec.plus) return `+${body}`;
  if (spec.space) return ` ${body}`;
  return body;
}

function formatInteger(a: Extract<GoArg, { t: 'int' }>, verb: string, spec: Spec): string | undefined {
  const negative = a.v < 0n;
  const abs = negative ? -a.v : a.v;
  let body: string;
  switch (verb) {
    case 'v':
    case 'd':
      body = abs.toString(10);
      break;
    case 's':
      if (!a.big) return undefined;
      body = abs.toString(10);
      break;
    case 'b':
      body = (spec.sharp ? '0b' : '') + abs.toString(2);
      break;
    case 'o':
      body = (spec.sharp && abs !== 0n ? '0' : '') + abs.toString(8);
      break;
    case 'O':
      body = `0o${abs.toString(8)}`;
      break;
    case 'x':
      body = (spec.sharp ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      body = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'c':
      if (a.big) return undefined;
      return pad(runeText(a.v), spec, false);
    case 'q':
      if (a.big) return undefined;
      return pad(goQuote(runeText(a.v), "'"), spec, false);
    case 'U': {
      if (a.big) return undefined;
      const bits = BigInt.asUintN(64, a.v);
      return pad(`U+${bits.toString(16).toUpperCase().padStart(4, '0')}`, spec, false);
    }
    default:
      return undefined;
  }
  // An explicit precision is a minimum digit count; precision 0 prints nothing for zero.
  if (spec.prec === 0 && abs === 0n) body = '';
  else if (spec.prec !== undefined && /^[0-9a-fA-F]+$/.test(body)) body = body.padStart(spec.prec, '0');
  return pad(withSign(body, negative, spec), spec, spec.prec === undefined);
}

/** A code point as text; invalid ones print as U+FFFD, as Go does. */
function runeText(v: bigint): string {
  const valid = v >= 0n && v <= 0x10ffffn && !(v >= 0xd800n && v <= 0xdfffn);
  return valid ? String.fromCodePoint(Number(v)) : '\ufffd';
}

/** Go's exponent form: at least two digits (`1e+06`). */
function goExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** strconv.FormatFloat for the 'e', 'f' and 'g' formats. */
export function formatFloat(x: number, fmt: 'e' | 'f' | 'g', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 ? '-' : '';
  const abs = Math.abs(x);
  if (fmt === 'e') return sign + (prec < 0 ? goExponent(abs.toExponential()) : exponentDigits(abs, prec));
  if (fmt === 'f') return sign + (prec < 0 ? plainDecimal(abs) : fixedDigits(abs, prec));
  return sign + formatG(abs, prec);
}

/** The exact decimal value of a finite float: abs = digits × 10^-scale. */
function exactDecimal(abs: number): { digits: bigint; scale: number } {
  const { mantissa, exponent } = floatBits(abs);
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** Rounds digits × 10^-scale to `keep` fractional digits, ties to even (as strconv does). */
function roundTo(digits: bigint, scale: number, keep: number): bigint {
  if (keep >= scale) return digits * 10n ** BigInt(keep - scale);
  const unit = 10n ** BigInt(scale - keep);
  const q = digits / unit;
  const r = digits % unit;
  const twice = r * 2n;
  return twice > unit || (twice === unit && q % 2n === 1n) ? q + 1n : q;
}

/** %.Nf */
function fixedDigits(abs: number, prec: number): string {
  const { digits, scale } = exactDecimal(abs);
  const text = roundTo(digits, scale, prec)
    .toString()
    .padStart(prec + 1, '0');
  return prec === 0 ? text : `${text.slice(0, -prec)}.${text.slice(-prec)}`;
}

/** %.Ne: one digit, point, N digits, exponent of at least two digits. */
function exponentDigits(abs: number, prec: number): string {
  let body: string;
  let exp: number;
  if (abs === 0) {
    body = '0'.repeat(prec + 1);
    exp = 0;
  } else {
    const { digits, scale } = exactDecimal(abs);
    exp = digits.toString().length - 1 - scale;
    let rounded = roundTo(digits, scale, prec - exp).toString();
    if (rounded.length > prec + 1) {
      exp += 1;
      rounded = rounded.slice(0, prec + 1);
    }
    body = rounded;
  }
  const mantissa = prec === 0 ? body.slice(0, 1) : `${body.slice(0, 1)}.${body.slice(1)}`;
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** strconv's %g: %e when the exponent is < -4 or >= the precision (6 for shortest). */
function formatG(abs: number, prec: number): string {
  const shortest = prec < 0;
  const p = shortest ? -1 : Math.max(prec, 1);
  const exponential = shortest ? goExponent(abs.toExponential()) : exponentDigits(abs, p - 1);
  const [mantissa, expText] = exponential.split('e') as [string, string];
  const exp = Number(expText);
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const nd = digits.length;
  const dp = exp + 1;
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > nd && nd >= dp) eprec = nd;
  if (exp < -4 || exp >= eprec) {
    const shown = shortest ? nd : Math.min(p, nd);
    const body = shown > 1 ? `${digits[0]}.${digits.slice(1, shown)}` : (digits[0] as string);
    return `${body}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (shortest) return plainDecimal(abs);
  const precision = p > dp ? nd : p;
  return fixedDigits(abs, Math.max(precision - dp, 0));
}

/** A float's shortest digits without an exponent. */
function plainDecimal(x: number): string {
  const s = String(x);
  if (!/e/.test(s)) return s;
  const [mant, expText] = s.split('e') as [string, string];
  const exp = Number(expText);
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const pointAt =
    (mant.replace('-', '').indexOf('.') < 0 ? mant.replace('-', '').length : mant.replace('-', '').indexOf('.')) + exp;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

/** The sign-less mantissa and binary exponent of a finite float: abs = mantissa × 2^exponent. */
function floatBits(abs: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** strconv's %b: decimal mantissa, binary exponent (`7074231776675438p-51`). */
function binaryFloat(abs: number): string {
  const { mantissa, exponent } = floatBits(abs);
  return `${mantissa}p${exponent >= 0 ? '+' : '-'}${Math.abs(exponent)}`;
}

/** strconv's %x: `0x1.921f9f01b866ep+01`, with `prec` hex digits after the point (-1: shortest). */
function hexFloat(abs: number, prec: number): string {
  if (abs === 0) return `0x0${prec > 0 ? `.${'0'.repeat(prec)}` : ''}p+00`;
  let { mantissa, exponent } = floatBits(abs);
  // Normalise to 1.xxx: 53 significant bits, leading bit at position 52.
  while (mantissa < 1n << 52n) {
    mantissa <<= 1n;
    exponent -= 1;
  }
  exponent += 52;
  let fraction = mantissa & ((1n << 52n) - 1n);
  let lead = 1n;
  if (prec >= 0 && prec < 13) {
    const drop = BigInt((13 - prec) * 4);
    const half = 1n << (drop - 1n);
    const rest = fraction & ((1n << drop) - 1n);
    fraction >>= drop;
    if (rest > half || (rest === half && (fraction & 1n) === 1n)) fraction += 1n;
    if (fraction >> BigInt(prec * 4) > 0n) {
      fraction = 0n;
      lead = 1n;
      exponent += 1;
    }
  }
  let digits = prec < 0 ? fraction.toString(16).padStart(13, '0').replace(/0+$/, '') : '';
  if (prec >= 0) digits = prec === 0 ? '' : fraction.toString(16).padStart(Math.min(prec, 13), '0').padEnd(prec, '0');
  const exp = `${exponent >= 0 ? '+' : '-'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `0x${lead}${digits ? `.${digits}` : ''}p${exp}`;
}

function formatFloatArg(x: number, verb: string, spec: Spec): string | undefined {
  let body: string;
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  switch (verb) {
    case 'b':
      body = binaryFloat(abs);
      break;
    case 'x':
    case 'X':
      body = hexFloat(abs, spec.prec ?? -1);
      if (verb === 'X') body = body.toUpperCase();
      break;
    case 'v':
    case 'g':
    case 'G':
      body = formatFloat(abs, 'g', spec.prec ?? -1);
      if (verb === 'G') body = body.toUpperCase();
      break;
    case 'e':
    case 'E':
      body = formatFloat(abs, 'e', spec.prec ?? 6);
      if (verb === 'E') body = body.toUpperCase();
      break;
    case 'f':
    case 'F':
      body = formatFloat(abs, 'f', spec.prec ?? 6);
      break;
    default:
      return undefined;
  }
  return pad(withSign(body, negative, spec), spec, true);
}

/** strconv.Quote: Go's double-quoted string with escapes. */
export function goQuote(s: string, quote = '"'): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === quote) {
      out += `\\${quote}`;
      continue;
    }
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\u0007':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + quote;
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case 'v':
      if (spec.sharp) return padString(goQuote(s), spec);
      return padString(spec.prec !== undefined ? Array.from(s).slice(0, spec.prec).join('') : s, spec);
    case 's': {
      const text = spec.prec !== undefined ? Array.from(s).slice(0, spec.prec).join('') : s;
      // Go (fmt.padString) pads strings with zeros too when the 0 flag is set.
      return padString(text, spec);
    }
    case 'q':
      return pad(spec.sharp && !s.includes('`') ? `\`${s}\`` : goQuote(s), spec, false);
    case 'x':
    case 'X': {
      let hex = (spec.sharp && s !== '' ? '0x' : '') + Buffer.from(s, 'utf8').toString('hex');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec, true);
    }
    default:
      return undefined;
  }
}

export function sprintf(format: string, values: readonly Value[]): string {
  const args = values.map(toGoArg);
  let argIndex = 0;
  let reordered = false;
  let out = '';
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = {
      plus: false,
      minus: false,
      sharp: false,
      space: false,
      zero: false,
      width: undefined,
      prec: undefined,
    };
    flags: while (i < n) {
      switch (format[i]) {
        case '+':
          spec.plus = true;
          break;
        case '-':
          spec.minus = true;
          break;
        case '#':
          spec.sharp = true;
          break;
        case ' ':
          spec.space = true;
          break;
        case '0':
          spec.zero = !spec.minus;
          break;
        default:
          break flags;
      }
      i++;
    }
    const explicit = /^\[(\d+)\]/.exec(format.slice(i));
    if (explicit) {
      argIndex = Number(explicit[1]) - 1;
      reordered = true;
      i += explicit[0].length;
    }
    const width = /^\d+/.exec(format.slice(i));
    if (width) {
      spec.width = Number(width[0]);
      i += width[0].length;
    } else if (format[i] === '*') {
      const w = args[argIndex++];
      spec.width = w?.t === 'int' ? Number(w.v) : undefined;
      if (spec.width !== undefined && spec.width < 0) {
        spec.minus = true;
        spec.width = -spec.width;
      }
      i++;
    }
    if (format[i] === '.') {
      i++;
      const prec = /^\d+/.exec(format.slice(i));
      if (prec) {
        spec.prec = Number(prec[0]);
        i += prec[0].length;
      } else if (format[i] === '*') {
        const p = args[argIndex++];
        spec.prec = p?.t === 'int' ? Number(p.v) : 0;
        i++;
      } else spec.prec = 0;
    }
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const arg = args[argIndex];
    if (arg === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    argIndex++;
    let text: string | undefined;
    if (arg.t === 'int') text = formatInteger(arg, verb, spec);
    else if (arg.t === 'float') text = formatFloatArg(arg.v, verb, spec);
    else text = formatString(arg.v, verb, spec);
    out += text ?? badVerb(verb, arg, spec);
  }
  if (!reordered && argIndex < args.length) {
    out += `%!(EXTRA ${args
      .slice(argIndex)
      .map((a) => `${a.t === 'int' && a.big ? '*big.Int' : goTypeName(a)}=${rawText(a)}`)
      .join(', ')})`;
  }
  return out;
}
