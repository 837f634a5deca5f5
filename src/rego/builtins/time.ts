import type { BuiltinDefinition } from '../compiled.ts';
import { BuiltinError } from '../errors.ts';
import { formatValue } from '../json.ts';
import { isInteger, type Num, normalize, toBigInt, toFloat } from '../number.ts';
import type { Value } from '../value.ts';
import { checkRange, formatTime, fromCivil, parseDuration, parseTime, toCivil, weekdayName } from './go-time.ts';
import { builtin, int, operandError, str } from './operands.ts';

function nsOf(n: Num): bigint {
  return isInteger(n) ? toBigInt(n) : BigInt(Math.trunc(toFloat(n)));
}

/** `ns` or `[ns, zone]` (and for time.format `[ns, zone, layout]`). */
function instant(args: readonly Value[], i: number, name: string): { ns: bigint; zone: string; layout?: string } {
  const v = args[i] as Value;
  if (typeof v === 'number' || typeof v === 'bigint') return { ns: nsOf(v), zone: 'UTC' };
  if (Array.isArray(v)) {
    const [n, zone, layout] = v as Value[];
    if (typeof n !== 'number' && typeof n !== 'bigint') {
      throw new BuiltinError(
        `\`${name}\` expects 1st element of \`ns\` to be a \`number\`. Got \`${formatValue(n ?? null)}\` instead`,
        true,
      );
    }
    if (v.length < 2 || v.length > (name === 'time.format' ? 3 : 2)) throw operandError(i + 1, v, 'number', 'array');
    if (typeof zone !== 'string') {
      throw new BuiltinError(
        `\`${name}\` expects 2nd element of \`ns\` to be a \`string\`. Got \`${formatValue(zone ?? null)}\` instead`,
        true,
      );
    }
    if (layout !== undefined && typeof layout !== 'string') {
      throw new BuiltinError(
        `\`${name}\` expects 3rd element of \`ns\` to be a \`string\`. Got \`${formatValue(layout)}\` instead`,
        true,
      );
    }
    return { ns: nsOf(n), zone: zone === '' ? 'UTC' : zone, layout: layout as string | undefined };
  }
  throw operandError(i + 1, v, 'number', 'array');
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** time.diff as OPA computes it: calendar difference, earlier instant first. */
function diff(a: { ns: bigint; zone: string }, b: { ns: bigint; zone: string }): Value[] {
  const [x, y] = a.ns <= b.ns ? [a.ns, b.ns] : [b.ns, a.ns];
  const t1 = toCivil(x, a.zone);
  const t2 = toCivil(y, a.zone);
  let year = t2.year - t1.year;
  let month = t2.month - t1.month;
  let day = t2.day - t1.day;
  let hour = t2.hour - t1.hour;
  let minute = t2.minute - t1.minute;
  let second = t2.second - t1.second;
  if (second < 0) {
    second += 60;
    minute--;
  }
  if (minute < 0) {
    minute += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    day += daysIn(t1.year, t1.month);
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, minute, second];
}

export const timeBuiltins: BuiltinDefinition[] = [
  builtin('time.now_ns', 0, (_args, bctx) => normalize(bctx.nowNs)),
  builtin('time.parse_ns', 2, (args) => normalize(checkRange(parseTime(str(args, 0), str(args, 1))))),
  builtin('time.parse_rfc3339_ns', 1, (args) => normalize(checkRange(parseTime('RFC3339', str(args, 0))))),
  builtin('time.parse_duration_ns', 1, (args) => normalize(parseDuration(str(args, 0)))),
  builtin('time.date', 1, (args) => {
    const { ns, zone } = instant(args, 0, 'time.date');
    const t = toCivil(ns, zone);
    return [t.year, t.month, t.day];
  }),
  builtin('time.clock', 1, (args) => {
    const { ns, zone } = instant(args, 0, 'time.clock');
    const t = toCivil(ns, zone);
    return [t.hour, t.minute, t.second];
  }),
  builtin('time.weekday', 1, (args) => {
    const { ns, zone } = instant(args, 0, 'time.weekday');
    return weekdayName(toCivil(ns, zone).weekday);
  }),
  builtin('time.add_date', 4, (args) => {
    const { ns } = instant(args, 0, 'time.add_date');
    const years = int(args, 1);
    const months = int(args, 2);
    const days = int(args, 3);
    const t = toCivil(ns, 'UTC');
    const out = fromCivil(t.year + years, t.month + months, t.day + days, t.hour, t.minute, t.second, t.nanos, 0);
    return normalize(checkRange(out));
  }),
  builtin('time.diff', 2, (args) => diff(instant(args, 0, 'time.diff'), instant(args, 1, 'time.diff'))),
  builtin('time.format', 1, (args) => {
    const { ns, zone, layout } = instant(args, 0, 'time.format');
    return formatTime(ns, zone, layout ?? 'RFC3339Nano');
  }),
];
