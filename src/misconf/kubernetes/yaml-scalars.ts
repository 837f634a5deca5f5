import { ManifestSyntaxError, type ScalarValue } from './manifest-node.ts';

/**
 * YAML scalars resolved the way Trivy's manifest parser sees them: go-yaml v3 picks the tag (YAML
 * 1.2 core plus its extras: 0755 octals, `_` digit separators, timestamps), then Trivy converts
 * the original text with Go's strconv, which refuses some of what go-yaml accepted (`0x1F` as an
 * int) and so rejects the file.
 */

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TAG_PREFIX = 'tag:yaml.org,2002:';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) or ParseUint: decimal, 0x, 0o, 0b or a leading-zero octal. */
function isGoInteger(text: string): boolean {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return false;
  const body = match[2] as string;
  let digits = body;
  if (/^0[0-7]+$/.test(body)) digits = `0o${body.slice(1)}`;
  const value = BigInt(digits);
  const signed = match[1] === '-' ? -value : value;
  return signed >= INT64_MIN && signed <= 2n ** 64n - 1n;
}

/** Go's strconv.Atoi: an optional sign and decimal digits within int64. */
function goAtoi(text: string): number | bigint {
  if (!/^[-+]?[0-9]+$/.test(text))
    throw new ManifestSyntaxError(`failed to parse int: invalid syntax ${JSON.stringify(text)}`);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX)
    throw new ManifestSyntaxError(`failed to parse int: ${text} out of range`);
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

function goParseFloat(text: string): number | null {
  const lower = text.toLowerCase().replace(/^[+-]/, '');
  if (['inf', 'infinity', 'nan'].includes(lower)) return null; // not representable in the JSON Trivy passes to Rego
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new ManifestSyntaxError(`failed to parse float: invalid syntax ${JSON.stringify(text)}`);
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function goParseBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new ManifestSyntaxError(`failed to parse bool: invalid syntax ${JSON.stringify(text)}`);
}

const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** go-yaml's timestamp forms, printed as Go's time.RFC3339 (no fractional seconds, zone kept). */
export function yamlTimestamp(text: string): string | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = Number(m[4] ?? m[8] ?? 0);
  const minute = Number(m[5] ?? m[9] ?? 0);
  const second = Number(m[6] ?? m[10] ?? 0);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || month < 1) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[7] ?? 'Z';
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return undefined;
  const printedZone = zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${printedZone}`;
}

function binaryAsJson(text: string): string {
  const cleaned = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned) || cleaned.length % 4 !== 0) {
    throw new ManifestSyntaxError('failed to decode binary data: illegal base64 data');
  }
  // Trivy passes the bytes through JSON, which prints them as standard base64 again.
  return Buffer.from(cleaned, 'base64').toString('base64');
}

export type ScalarStyle = 'plain' | 'quoted' | 'block';

/** The value of one scalar given its text, style and explicit tag (full `tag:yaml.org,2002:` form or a local `!tag`). */
export function resolveScalar(text: string, style: ScalarStyle, tag: string | undefined): ScalarValue {
  const shortTag = tag?.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : tag;
  if (shortTag !== undefined && shortTag !== '!') {
    switch (shortTag) {
      case 'str':
      case 'string':
        return text;
      case 'int':
        return goAtoi(text);
      case 'float':
        return goParseFloat(text);
      case 'bool':
        return goParseBool(text);
      case 'null':
        return null;
      case 'binary':
        return binaryAsJson(text);
      case 'timestamp': {
        const stamp = yamlTimestamp(text);
        if (stamp === undefined) throw new ManifestSyntaxError(`failed to decode timestamp ${JSON.stringify(text)}`);
        return stamp;
      }
      default:
        return null; // Trivy skips values with tags it does not know
    }
  }
  if (style !== 'plain') return text;
  if (['', '~', 'null', 'Null', 'NULL'].includes(text)) return null;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  if (
    ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'].includes(
      text,
    )
  ) {
    return null;
  }
  const first = text[0] as string;
  if (/[-+0-9]/.test(first)) {
    const stamp = yamlTimestamp(text);
    if (stamp !== undefined) return stamp;
    const plain = text.replaceAll('_', '');
    if (isGoInteger(plain) || /^-?0b[01]+$/.test(plain) || /^-?0o[0-7]+$/.test(plain)) return goAtoi(text);
    if (YAML_FLOAT.test(plain)) return goParseFloat(text);
    return text;
  }
  if (first === '.' && /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return goParseFloat(text);
  return text;
}
