import { BuiltinError } from '../errors.ts';
import { zoneAbbreviation } from './tzif.ts';

/**
 * Go's time layouts (reference time "Mon Jan 2 15:04:05 MST 2006") for time.format and
 * time.parse_ns, with instants as nanoseconds since the epoch (bigint) and zones resolved
 * through the platform's IANA time-zone data (Intl).
 */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const MIN_NS = -9223372036854775808n;
export const MAX_NS = 9223372036854775807n;

export function checkRange(ns: bigint): bigint {
  if (ns < MIN_NS || ns > MAX_NS) throw new BuiltinError('time outside of valid range');
  return ns;
}

/** Wall-clock fields of an instant in a zone. */
export interface Civil {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number; // 0 = Sunday
  yday: number;
  offsetSeconds: number;
  zoneName: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new BuiltinError(`unknown time zone ${zone}`);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** Offset in seconds east of UTC of `zone` at the given epoch milliseconds, and its abbreviation. */
export function zoneOffset(zone: string, epochMs: number): { offset: number; name: string } {
  if (zone === '' || zone === 'UTC') return { offset: 0, name: 'UTC' };
  const tz = zone === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
  const parts = zoneFormatter(tz).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  let year = Number(get('year'));
  if (get('era') === 'BC') year = 1 - year;
  const wall = Date.UTC(
    year,
    Number(get('month')) - 1,
    Number(get('day')),
    Number(get('hour')),
    Number(get('minute')),
    Number(get('second')),
  );
  const base = Math.floor(epochMs / 1000) * 1000;
  const offset = Math.round((wall - base) / 1000);
  const name = zoneAbbreviation(tz, Math.floor(epochMs / 1000), offset) ?? formatOffsetName(offset);
  return { offset, name };
}

function formatOffsetName(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  return `${sign}${String(h).padStart(2, '0')}${m ? String(m).padStart(2, '0') : ''}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function toCivil(ns: bigint, zone: string): Civil {
  const ms = floorDiv(ns, 1_000_000n);
  const nanos = Number(ns - floorDiv(ns, 1_000_000_000n) * 1_000_000_000n);
  const { offset, name } = zoneOffset(zone, Number(ms));
  const d = new Date(Number(ms) + offset * 1000);
  const year = d.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  const startOfDay = Date.UTC(year, d.getUTCMonth(), d.getUTCDate());
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos,
    weekday: d.getUTCDay(),
    yday: Math.round((startOfDay - startOfYear) / 86_400_000) + 1,
    offsetSeconds: offset,
    zoneName: name,
  };
}

export function weekdayName(i: number): string {
  return DAYS[i] as string;
}

/** Epoch nanoseconds of wall-clock fields at a fixed offset (fields may overflow, as Go's time.Date). */
export function fromCivil(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  nanos: number,
  offsetSeconds: number,
): bigint {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new BuiltinError('time outside of valid range');
  return BigInt(ms - offsetSeconds * 1000) * 1_000_000n + BigInt(nanos);
}

type Chunk =
  | { kind: 'lit'; text: string }
  | { kind: 'std'; std: string; digits?: number; trim?: boolean; sep?: string };

/** Splits a Go layout into literal text and standard fields (Go's nextStdChunk). */
export function layoutChunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  const push = (c: Chunk) => {
    if (lit) out.push({ kind: 'lit', text: lit });
    lit = '';
    out.push(c);
  };
  let i = 0;
  const starts = (s: string) => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i] as string;
    let std: string | undefined;
    switch (c) {
      case 'J':
        if (starts('January')) std = 'January';
        else if (starts('Jan')) std = 'Jan';
        break;
      case 'M':
        if (starts('Monday')) std = 'Monday';
        else if (starts('Mon')) std = 'Mon';
        else if (starts('MST')) std = 'MST';
        break;
      case '0':
        if (/^0[1-6]/.test(layout.slice(i))) std = layout.slice(i, i + 2);
        else if (starts('002')) std = '002';
        break;
      case '1':
        std = starts('15') ? '15' : '1';
        break;
      case '2':
        std = starts('2006') ? '2006' : '2';
        break;
      case '_':
        if (starts('_2006')) {
          lit += '_';
          i++;
          std = '2006';
        } else if (starts('__2')) std = '__2';
        else if (starts('_2')) std = '_2';
        break;
      case '3':
      case '4':
      case '5':
        std = c;
        break;
      case 'P':
        if (starts('PM')) std = 'PM';
        break;
      case 'p':
        if (starts('pm')) std = 'pm';
        break;
      case '-':
        for (const z of ['-07:00:00', '-070000', '-07:00', '-0700', '-07']) {
          if (starts(z)) {
            std = z;
            break;
          }
        }
        break;
      case 'Z':
        for (const z of ['Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07']) {
          if (starts(z)) {
            std = z;
            break;
          }
        }
        break;
      case '.':
      case ',': {
        const m = /^[.,](0+|9+)/.exec(layout.slice(i));
        if (m && !/[0-9]/.test(layout[i + m[0].length] ?? '')) {
          push({ kind: 'std', std: 'frac', digits: (m[1] as string).length, trim: m[1]?.[0] === '9', sep: c });
          i += m[0].length;
          continue;
        }
        break;
      }
    }
    if (std === undefined) {
      lit += c;
      i++;
      continue;
    }
    push({ kind: 'std', std });
    i += std.length;
  }
  if (lit) out.push({ kind: 'lit', text: lit });
  return out;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

function formatZone(offset: number, std: string): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  const spec = std.slice(1);
  switch (spec) {
    case '07':
      return sign + h;
    case '0700':
      return sign + h + m;
    case '07:00':
      return `${sign}${h}:${m}`;
    case '070000':
      return sign + h + m + s;
    default:
      return `${sign}${h}:${m}:${s}`;
  }
}

export function formatTime(ns: bigint, zone: string, layout: string): string {
  const t = toCivil(ns, zone);
  let out = '';
  for (const chunk of layoutChunks(NAMED_LAYOUTS[layout] ?? layout)) {
    if (chunk.kind === 'lit') {
      out += chunk.text;
      continue;
    }
    const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (chunk.std) {
      case 'January':
        out += MONTHS[t.month - 1];
        break;
      case 'Jan':
        out += (MONTHS[t.month - 1] as string).slice(0, 3);
        break;
      case 'Monday':
        out += DAYS[t.weekday];
        break;
      case 'Mon':
        out += (DAYS[t.weekday] as string).slice(0, 3);
        break;
      case 'MST':
        out += t.zoneName;
        break;
      case '01':
        out += pad(t.month, 2);
        break;
      case '1':
        out += String(t.month);
        break;
      case '02':
        out += pad(t.day, 2);
        break;
      case '_2':
        out += String(t.day).padStart(2, ' ');
        break;
      case '2':
        out += String(t.day);
        break;
      case '002':
        out += pad(t.yday, 3);
        break;
      case '__2':
        out += String(t.yday).padStart(3, ' ');
        break;
      case '2006':
        out += pad(t.year, 4);
        break;
      case '06':
        out += pad(t.year % 100, 2);
        break;
      case '15':
        out += pad(t.hour, 2);
        break;
      case '03':
        out += pad(hour12, 2);
        break;
      case '3':
        out += String(hour12);
        break;
      case '04':
        out += pad(t.minute, 2);
        break;
      case '4':
        out += String(t.minute);
        break;
      case '05':
        out += pad(t.second, 2);
        break;
      case '5':
        out += String(t.second);
        break;
      case 'PM':
        out += t.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += t.hour >= 12 ? 'pm' : 'am';
        break;
      case 'frac': {
        let digits = String(t.nanos).padStart(9, '0').slice(0, chunk.digits);
        if (chunk.trim) {
          digits = digits.replace(/0+$/, '');
          if (digits === '') break;
        }
        out += (chunk.sep ?? '.') + digits;
        break;
      }
      default:
        out += formatZone(t.offsetSeconds, chunk.std);
    }
  }
  return out;
}

function parseFail(layout: string, value: string, detail = ''): BuiltinError {
  return new BuiltinError(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse${detail}`);
}

/** Go's time.Parse; returns epoch nanoseconds. */
export function parseTime(layoutName: string, value: string): bigint {
  const layout = NAMED_LAYOUTS[layoutName] ?? layoutName;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let yday: number | undefined;
  let i = 0;
  const take = (re: RegExp): string => {
    const m = re.exec(value.slice(i));
    if (!m) throw parseFail(layout, value);
    i += m[0].length;
    return m[0];
  };
  const chunks = layoutChunks(layout);
  for (const chunk of chunks) {
    if (chunk.kind === 'lit') {
      if (!value.startsWith(chunk.text, i)) throw parseFail(layout, value);
      i += chunk.text.length;
      continue;
    }
    switch (chunk.std) {
      case 'January':
      case 'Jan': {
        const names = chunk.std === 'Jan' ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
        const idx = names.findIndex((n) => value.slice(i, i + n.length).toLowerCase() === n.toLowerCase());
        if (idx < 0) throw parseFail(layout, value);
        i += (names[idx] as string).length;
        month = idx + 1;
        break;
      }
      case 'Monday':
      case 'Mon': {
        const names = chunk.std === 'Mon' ? DAYS.map((d) => d.slice(0, 3)) : DAYS;
        const idx = names.findIndex((n) => value.slice(i, i + n.length).toLowerCase() === n.toLowerCase());
        if (idx < 0) throw parseFail(layout, value);
        i += (names[idx] as string).length;
        break;
      }
      case 'MST': {
        const z = take(/^([A-Z]{3,5}|[+-]\d{2,4})/);
        if (z === 'UTC' || z === 'GMT') offset = offset ?? 0;
        break;
      }
      case '01':
        month = Number(take(/^\d{2}/));
        break;
      case '1':
        month = Number(take(/^\d{1,2}/));
        break;
      case '02':
        day = Number(take(/^\d{2}/));
        break;
      case '_2':
        day = Number(take(/^( \d|\d{1,2})/).trim());
        break;
      case '2':
        day = Number(take(/^\d{1,2}/));
        break;
      case '002':
        yday = Number(take(/^\d{3}/));
        break;
      case '__2':
        yday = Number(take(/^[ \d]{3}/).trim());
        break;
      case '2006':
        year = Number(take(/^[+-]?\d{4}/));
        break;
      case '06': {
        const y = Number(take(/^\d{2}/));
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '15':
        hour = Number(take(/^\d{1,2}/));
        break;
      case '03':
        hour = Number(take(/^\d{2}/));
        break;
      case '3':
        hour = Number(take(/^\d{1,2}/));
        break;
      case '04':
        minute = Number(take(/^\d{2}/));
        break;
      case '4':
        minute = Number(take(/^\d{1,2}/));
        break;
      case '05':
      case '5': {
        second = Number(take(chunk.std === '05' ? /^\d{2}/ : /^\d{1,2}/));
        // Go accepts a fractional second after seconds even when the layout has none.
        const next = chunks[chunks.indexOf(chunk) + 1];
        if (!(next?.kind === 'std' && next.std === 'frac') && /^[.,]\d/.test(value.slice(i))) {
          const frac = take(/^[.,]\d+/).slice(1);
          nanos = Number(frac.padEnd(9, '0').slice(0, 9));
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const ampm = take(/^(AM|PM|am|pm)/i).toUpperCase();
        pm = ampm === 'PM';
        break;
      }
      case 'frac': {
        if (chunk.trim) {
          if (/^[.,]\d/.test(value.slice(i))) {
            const frac = take(/^[.,]\d+/).slice(1);
            nanos = Number(frac.padEnd(9, '0').slice(0, 9));
          }
        } else {
          const frac = take(new RegExp(`^[.,]\\d{${chunk.digits}}`)).slice(1);
          nanos = Number(frac.padEnd(9, '0').slice(0, 9));
        }
        break;
      }
      default: {
        if (chunk.std.startsWith('Z') && value[i] === 'Z') {
          i++;
          offset = 0;
          break;
        }
        const z = take(/^[+-]\d{2}(:?\d{2}(:?\d{2})?)?/);
        const sign = z[0] === '-' ? -1 : 1;
        const digits = z.slice(1).replace(/:/g, '');
        const h = Number(digits.slice(0, 2));
        const m = Number(digits.slice(2, 4) || '0');
        const s = Number(digits.slice(4, 6) || '0');
        offset = sign * (h * 3600 + m * 60 + s);
      }
    }
  }
  if (i !== value.length) throw parseFail(layout, value, ` ${JSON.stringify(value.slice(i))} as extra text`);
  if (pm !== undefined) {
    if (hour > 12) throw parseFail(layout, value);
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12) throw new BuiltinError(`parsing time ${JSON.stringify(value)}: month out of range`);
  if (hour > 23 || minute > 59 || second > 59) {
    throw new BuiltinError(`parsing time ${JSON.stringify(value)}: hour, minute or second out of range`);
  }
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    throw new BuiltinError(`parsing time ${JSON.stringify(value)}: day out of range`);
  }
  if (yday !== undefined) {
    const d = new Date(Date.UTC(year, 0, yday));
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  return fromCivil(year, month, day, hour, minute, second, nanos, offset ?? 0);
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): bigint {
  const invalid = () => new BuiltinError(`time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) {
      if (/^[\d.]+$/.test(rest)) throw new BuiltinError(`time: missing unit in duration ${JSON.stringify(s)}`);
      throw invalid();
    }
    const unit = DURATION_UNITS[m[3] as string] as bigint;
    const whole = BigInt(m[1] || '0');
    const frac = m[2] ?? '';
    let value = whole * unit;
    if (frac !== '') value += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += value;
    rest = rest.slice(m[0].length);
  }
  total *= sign;
  if (total < MIN_NS || total > MAX_NS) throw invalid();
  return total;
}
