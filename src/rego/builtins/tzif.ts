import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Zone abbreviations ("CET", "IST", "PDT") from the system's TZif files, the data Go's time
 * package reads, so `MST` in a layout prints what OPA prints. Offsets come from Intl; only the
 * names are looked up here. Without zone files, callers fall back to numeric names.
 */
interface ZoneType {
  readonly offset: number;
  readonly abbr: string;
}

interface ZoneData {
  readonly transitions: number[];
  readonly typeIndex: number[];
  readonly types: ZoneType[];
  /** POSIX TZ rule for instants after the last transition, e.g. `CET-1CEST,M3.5.0,M10.5.0/3`. */
  readonly footer: { std: ZoneType; dst: ZoneType | undefined } | undefined;
}

const MAX_ZONE_FILE = 1024 * 1024;
const zones = new Map<string, ZoneData | null>();

function zoneDirs(env: NodeJS.ProcessEnv): string[] {
  return [env.ZONEINFO, '/usr/share/zoneinfo', '/usr/lib/zoneinfo', '/usr/share/lib/zoneinfo'].filter(
    (d): d is string => typeof d === 'string' && d !== '',
  );
}

function readZone(name: string): ZoneData | undefined {
  const cached = zones.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let data: ZoneData | undefined;
  if (/^[A-Za-z0-9_+\-/]+$/.test(name) && !name.split('/').includes('..')) {
    for (const dir of zoneDirs(process.env)) {
      try {
        const bytes = readFileSync(join(dir, name));
        if (bytes.length <= MAX_ZONE_FILE) data = parseTzif(bytes);
        if (data) break;
      } catch {
        // try the next directory
      }
    }
  }
  zones.set(name, data ?? null);
  return data;
}

function parseTzif(b: Buffer): ZoneData | undefined {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = b[4] ?? 0;
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + i * 4));
  let at = 0;
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(at) as [number, number, number, number, number, number];
  let timeSize = 4;
  if (version >= 0x32) {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    at = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    if (b.length < at + 44) return undefined;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(at) as [number, number, number, number, number, number];
    timeSize = 8;
  }
  let p = at + 44;
  const need = timecnt * (timeSize + 1) + typecnt * 6 + charcnt + leap * (timeSize + 4) + isstd + isut;
  if (b.length < p + need || typecnt === 0) return undefined;
  const transitions: number[] = [];
  for (let i = 0; i < timecnt; i++, p += timeSize) {
    transitions.push(timeSize === 8 ? Number(b.readBigInt64BE(p)) : b.readInt32BE(p));
  }
  const typeIndex: number[] = [];
  for (let i = 0; i < timecnt; i++) typeIndex.push(b[p++] as number);
  const raw: Array<{ offset: number; abbrAt: number }> = [];
  for (let i = 0; i < typecnt; i++, p += 6) raw.push({ offset: b.readInt32BE(p), abbrAt: b[p + 5] as number });
  const chars = b.toString('latin1', p, p + charcnt);
  const types = raw.map((t) => ({ offset: t.offset, abbr: chars.slice(t.abbrAt, chars.indexOf('\0', t.abbrAt)) }));
  p += charcnt + leap * (timeSize + 4) + isstd + isut;
  const footerText = timeSize === 8 ? b.toString('latin1', p).split('\n')[1] : undefined;
  return { transitions, typeIndex, types, footer: footerText ? parseRule(footerText) : undefined };
}

/** Names and offsets of a POSIX TZ string (`std offset [dst [offset]][,rules]`). */
function parseRule(rule: string): { std: ZoneType; dst: ZoneType | undefined } | undefined {
  const name = /^(<[^>]*>|[A-Za-z]{3,})/;
  const offset = /^([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?/;
  let rest = rule;
  const take = (re: RegExp) => {
    const m = re.exec(rest);
    if (m) rest = rest.slice(m[0].length);
    return m;
  };
  const seconds = (m: RegExpExecArray) =>
    (m[1] === '-' ? 1 : -1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
  const stdName = take(name);
  const stdOffset = take(offset);
  if (!stdName || !stdOffset) return undefined;
  const std = { abbr: (stdName[1] as string).replace(/[<>]/g, ''), offset: seconds(stdOffset) };
  const dstName = take(name);
  if (!dstName) return { std, dst: undefined };
  const dstOffset = take(offset);
  return {
    std,
    dst: {
      abbr: (dstName[1] as string).replace(/[<>]/g, ''),
      offset: dstOffset ? seconds(dstOffset) : std.offset + 3600,
    },
  };
}

/** The zone's abbreviation at an instant, given the offset in effect then; undefined when unknown. */
export function zoneAbbreviation(zone: string, epochSeconds: number, offset: number): string | undefined {
  const data = readZone(zone);
  if (data === undefined) return undefined;
  const { transitions } = data;
  if (transitions.length > 0 && epochSeconds >= (transitions[0] as number)) {
    let lo = 0;
    let hi = transitions.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((transitions[mid] as number) <= epochSeconds) lo = mid;
      else hi = mid - 1;
    }
    const type = data.types[data.typeIndex[lo] as number];
    const beyond = lo === transitions.length - 1 && data.footer !== undefined;
    if (type !== undefined && type.offset === offset && !beyond) return type.abbr;
  } else if (transitions.length > 0 || data.footer === undefined) {
    const first = data.types.find((t) => t.offset === offset) ?? data.types[0];
    if (first !== undefined && first.offset === offset) return first.abbr;
  }
  const footer = data.footer;
  if (footer?.std.offset === offset) return footer.std.abbr;
  if (footer?.dst?.offset === offset) return footer.dst.abbr;
  return data.types.find((t) => t.offset === offset)?.abbr;
}
