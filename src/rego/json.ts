import { formatNumber, normalize, parseNumber } from './number.ts';
import { type ArrayValue, compareStrings, ObjectValue, SetValue, type Value } from './value.ts';

/** Converts parsed JSON/YAML (plain objects, arrays, scalars, bigints) into Rego values. */
export function fromJS(input: unknown): Value {
  switch (typeof input) {
    case 'string':
    case 'boolean':
      return input;
    case 'number':
      if (!Number.isFinite(input)) throw new TypeError(`not a JSON number: ${input}`);
      return normalize(input);
    case 'bigint':
      return normalize(input);
    case 'undefined':
      return null;
    case 'object': {
      if (input === null) return null;
      if (Array.isArray(input)) return input.map(fromJS);
      if (input instanceof ObjectValue || input instanceof SetValue) return input;
      if (input instanceof Map) {
        const obj = new ObjectValue();
        for (const [k, v] of input) obj.set(fromJS(k), fromJS(v));
        return obj;
      }
      if (input instanceof Set) return SetValue.of([...input].map(fromJS));
      if (input instanceof Date) return input.toISOString();
      const obj = new ObjectValue();
      for (const key of Object.keys(input)) obj.set(key, fromJS((input as Record<string, unknown>)[key]));
      return obj;
    }
    default:
      throw new TypeError(`cannot convert ${typeof input} to a Rego value`);
  }
}

/** Parses JSON text; integers beyond 2^53 stay exact. Throws SyntaxError on bad input. */
export function parseJSON(text: string): Value {
  return fromJS(
    JSON.parse(text, (_key, value, context?: { source?: string }) => {
      if (typeof value === 'number' && context?.source !== undefined && !Number.isSafeInteger(value)) {
        return parseNumber(context.source) ?? value;
      }
      return value;
    }),
  );
}

/** The key text used when a non-string key must become a JSON object key. */
function jsonKey(key: Value): string {
  return typeof key === 'string' ? key : formatValue(key);
}

/** Rego value → plain JS for JSON output: sets become sorted arrays, bigints stay bigints. */
export function toJS(value: Value): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (value as ArrayValue).map(toJS);
  if (value instanceof SetValue) return value.sorted().map(toJS);
  const out: Record<string, unknown> = {};
  for (const [k, v] of (value as ObjectValue).sorted()) out[jsonKey(k)] = toJS(v);
  return out;
}

/** JSON text with sorted keys; `indent` as JSON.stringify. */
export function toJSONText(value: Value, indent = 0): string {
  const pad = (depth: number) => (indent > 0 ? `\n${' '.repeat(indent * depth)}` : '');
  const colon = indent > 0 ? ': ' : ':';
  const write = (v: Value, depth: number): string => {
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'number':
      case 'bigint':
        return formatNumber(v);
      case 'boolean':
        return v ? 'true' : 'false';
      default: {
        if (v === null) return 'null';
        const items: string[] = [];
        if (Array.isArray(v) || v instanceof SetValue) {
          const list = Array.isArray(v) ? (v as ArrayValue) : (v as SetValue).sorted();
          if (list.length === 0) return '[]';
          for (const item of list) items.push(pad(depth + 1) + write(item, depth + 1));
          return `[${items.join(',')}${pad(depth)}]`;
        }
        const entries = (v as ObjectValue).sorted().map(([k, x]) => [jsonKey(k), x] as const);
        if (entries.length === 0) return '{}';
        entries.sort((a, b) => compareStrings(a[0], b[0]));
        for (const [k, x] of entries) items.push(`${pad(depth + 1)}${JSON.stringify(k)}${colon}${write(x, depth + 1)}`);
        return `{${items.join(',')}${pad(depth)}}`;
      }
    }
  };
  return write(value, 0);
}

/** Rego's own text form of a value (OPA's `Value.String()`): `{"a": 1}`, `{1, 2}`, `set()`. */
export function formatValue(value: Value): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'bigint':
      return formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${(value as ArrayValue).map(formatValue).join(', ')}]`;
      if (value instanceof SetValue) {
        if (value.size === 0) return 'set()';
        return `{${value.sorted().map(formatValue).join(', ')}}`;
      }
      return `{${(value as ObjectValue)
        .sorted()
        .map(([k, v]) => `${formatValue(k)}: ${formatValue(v)}`)
        .join(', ')}}`;
  }
}
