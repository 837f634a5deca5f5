import semver from 'semver';
import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { normalize } from '../number.ts';
import type { Value } from '../value.ts';
import { builtin, operandError, str } from './operands.ts';

const BYTE_UNITS: Record<string, bigint> = {
  '': 1n,
  k: 1000n,
  kb: 1000n,
  ki: 1024n,
  kib: 1024n,
  m: 1000n ** 2n,
  mb: 1000n ** 2n,
  mi: 1024n ** 2n,
  mib: 1024n ** 2n,
  g: 1000n ** 3n,
  gb: 1000n ** 3n,
  gi: 1024n ** 3n,
  gib: 1024n ** 3n,
  t: 1000n ** 4n,
  tb: 1000n ** 4n,
  ti: 1024n ** 4n,
  tib: 1024n ** 4n,
  p: 1000n ** 5n,
  pb: 1000n ** 5n,
  pi: 1024n ** 5n,
  pib: 1024n ** 5n,
  e: 1000n ** 6n,
  eb: 1000n ** 6n,
  ei: 1024n ** 6n,
  eib: 1024n ** 6n,
};

/** Multipliers of units.parse as numerator/denominator (`m` is milli, `M` mega). */
const SI_UNITS: Record<string, [bigint, bigint]> = {
  '': [1n, 1n],
  m: [1n, 1000n],
  k: [1000n, 1n],
  K: [1000n, 1n],
  ki: [1024n, 1n],
  Ki: [1024n, 1n],
  M: [1000n ** 2n, 1n],
  mi: [1024n ** 2n, 1n],
  Mi: [1024n ** 2n, 1n],
  g: [1000n ** 3n, 1n],
  G: [1000n ** 3n, 1n],
  gi: [1024n ** 3n, 1n],
  Gi: [1024n ** 3n, 1n],
  t: [1000n ** 4n, 1n],
  T: [1000n ** 4n, 1n],
  ti: [1024n ** 4n, 1n],
  Ti: [1024n ** 4n, 1n],
  p: [1000n ** 5n, 1n],
  P: [1000n ** 5n, 1n],
  pi: [1024n ** 5n, 1n],
  Pi: [1024n ** 5n, 1n],
  e: [1000n ** 6n, 1n],
  E: [1000n ** 6n, 1n],
  ei: [1024n ** 6n, 1n],
  Ei: [1024n ** 6n, 1n],
};

/** Splits "10.5KiB" into number text and unit at the first character that is not a digit or dot. */
function splitAmount(s: string): [string, string] {
  const i = s.search(/[^0-9.]/);
  if (i < 0) return [s, ''];
  return [s.slice(0, i), s.slice(i)];
}

/** Exact decimal text → [digits, scale] (value = digits / 10^scale); undefined when malformed. */
function decimal(text: string): [bigint, bigint] | undefined {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
  const frac = m[2] ?? '';
  return [BigInt(`${m[1] || '0'}${frac}`), 10n ** BigInt(frac.length)];
}

function prepare(raw: string): string {
  const s = raw.replace(/"/g, '');
  if (s.includes(' ')) throw new BuiltinError('spaces not allowed in resource strings');
  return s;
}

/** SemVer 2.0 exactly (no `v` prefix, no leading zeros), as OPA's semver package accepts it. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semverOperand(args: readonly Value[], i: number): string {
  const v = str(args, i);
  if (!SEMVER.test(v)) throw new BuiltinError(`operand ${i + 1}: string ${JSON.stringify(v)} is not a valid SemVer`);
  return v;
}

export const unitBuiltins: BuiltinDefinition[] = [
  builtin('units.parse_bytes', 1, (args) => {
    const s = prepare(str(args, 0)).toLowerCase();
    const [amount, unit] = splitAmount(s);
    if (amount === '') throw new BuiltinError('no byte amount provided');
    const multiplier = BYTE_UNITS[unit];
    if (multiplier === undefined) throw new BuiltinError(`byte unit ${unit} not recognized`);
    const d = decimal(amount);
    if (d === undefined) throw new BuiltinError('could not parse byte amount to a number');
    return normalize((d[0] * multiplier) / d[1]);
  }),
  builtin('units.parse', 1, (args) => {
    const s = prepare(str(args, 0));
    const [amount, rawUnit] = splitAmount(s);
    if (amount === '') throw new BuiltinError('no amount provided');
    // Only the first letter keeps its case, so `m` (milli) and `M` (mega) stay apart.
    const unit = rawUnit.length > 1 ? rawUnit[0] + rawUnit.slice(1).toLowerCase() : rawUnit;
    const factor = SI_UNITS[unit];
    if (factor === undefined) throw new BuiltinError(`unit ${unit} not recognized`);
    const d = decimal(amount);
    if (d === undefined) throw new BuiltinError('could not parse amount to a number');
    const numerator = d[0] * factor[0];
    const denominator = d[1] * factor[1];
    if (numerator % denominator === 0n) return normalize(numerator / denominator);
    return normalize(Number(numerator) / Number(denominator));
  }),
  builtin('semver.is_valid', 1, ([v]) => typeof v === 'string' && SEMVER.test(v)),
  builtin('semver.compare', 2, (args) => {
    const a = args[0] as Value;
    const b = args[1] as Value;
    if (typeof a !== 'string') throw operandError(1, a, 'string');
    if (typeof b !== 'string') throw operandError(2, b, 'string');
    return semver.compare(semverOperand(args, 0), semverOperand(args, 1));
  }),
];
