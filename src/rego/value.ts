/**
 * Rego values. Scalars are plain JS values (integers beyond 2^53 are bigints, see number.ts);
 * arrays are frozen-by-convention JS arrays; sets and objects are classes keyed by an encoded
 * key so that any value can be a set member or object key. Iteration follows OPA's sort order.
 */
export type Value = null | boolean | number | bigint | string | ArrayValue | SetValue | ObjectValue;
export type ArrayValue = readonly Value[];
export type Scalar = null | boolean | number | bigint | string;

/**
 * The map key of a value. Strings (by far the most common keys) are their own key unless they
 * start with the marker character; every other value is the marker plus a canonical text.
 */
const MARK = '\u0001';

export function keyOf(value: Value): string {
  if (typeof value === 'string') {
    return value.length > 0 && value.charCodeAt(0) <= 1 ? MARK + JSON.stringify(value) : value;
  }
  return MARK + canonical(value);
}

/** Canonical text: equal values give equal text. */
export function canonical(value: Value): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return `#${value}`;
    case 'bigint':
      return `#${value}`;
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value === null) return 'n';
      if (Array.isArray(value)) return `[${(value as ArrayValue).map(canonical).join(',')}]`;
      return (value as SetValue | ObjectValue).canonicalText();
  }
}

function decodeStringKey(key: string): string {
  return key.length > 0 && key.charCodeAt(0) === 1 ? (JSON.parse(key.slice(1)) as string) : key;
}

export class SetValue {
  readonly members: Map<string, Value>;
  private sortedCache: Value[] | undefined;
  private canonicalCache: string | undefined;

  constructor(members?: Map<string, Value>) {
    this.members = members ?? new Map();
  }

  static of(values: Iterable<Value>): SetValue {
    const set = new SetValue();
    for (const v of values) set.add(v);
    return set;
  }

  get size(): number {
    return this.members.size;
  }

  add(value: Value): void {
    const key = keyOf(value);
    if (!this.members.has(key)) {
      this.members.set(key, value);
      this.sortedCache = undefined;
      this.canonicalCache = undefined;
    }
  }

  has(value: Value): boolean {
    return this.members.has(keyOf(value));
  }

  /** Members in OPA order. */
  sorted(): Value[] {
    if (this.sortedCache === undefined) {
      this.sortedCache = [...this.members.values()].sort(compare);
    }
    return this.sortedCache;
  }

  canonicalText(): string {
    if (this.canonicalCache === undefined) {
      this.canonicalCache = `<${[...this.members.keys()].sort().join(',')}>`;
    }
    return this.canonicalCache;
  }
}

export class ObjectValue {
  /** Encoded key → value. */
  readonly values: Map<string, Value>;
  /** Encoded key → original key, only for keys that are not plain strings. */
  private otherKeys: Map<string, Value> | undefined;
  private sortedCache: Array<[Value, Value]> | undefined;
  private canonicalCache: string | undefined;

  constructor() {
    this.values = new Map();
  }

  static fromEntries(entries: Iterable<readonly [Value, Value]>): ObjectValue {
    const obj = new ObjectValue();
    for (const [k, v] of entries) obj.set(k, v);
    return obj;
  }

  get size(): number {
    return this.values.size;
  }

  set(key: Value, value: Value): void {
    const encoded = keyOf(key);
    if (typeof key !== 'string') {
      if (this.otherKeys === undefined) this.otherKeys = new Map();
      this.otherKeys.set(encoded, key);
    }
    this.values.set(encoded, value);
    this.sortedCache = undefined;
    this.canonicalCache = undefined;
  }

  get(key: Value): Value | undefined {
    return this.values.get(keyOf(key));
  }

  has(key: Value): boolean {
    return this.values.has(keyOf(key));
  }

  /** The key value for an encoded key. */
  keyFor(encoded: string): Value {
    const other = this.otherKeys?.get(encoded);
    return other !== undefined ? other : decodeStringKey(encoded);
  }

  /** Entries in OPA key order. */
  sorted(): Array<[Value, Value]> {
    if (this.sortedCache === undefined) {
      const entries: Array<[Value, Value]> = [];
      for (const [encoded, v] of this.values) entries.push([this.keyFor(encoded), v]);
      if (this.otherKeys === undefined) {
        entries.sort((a, b) => compareStrings(a[0] as string, b[0] as string));
      } else {
        entries.sort((a, b) => compare(a[0], b[0]));
      }
      this.sortedCache = entries;
    }
    return this.sortedCache;
  }

  keys(): Value[] {
    return this.sorted().map((e) => e[0]);
  }

  canonicalText(): string {
    if (this.canonicalCache === undefined) {
      const parts: string[] = [];
      const keys = [...this.values.keys()].sort();
      for (const k of keys) {
        const key = this.keyFor(k);
        parts.push(`${canonical(key)}:${canonical(this.values.get(k) as Value)}`);
      }
      this.canonicalCache = `{${parts.join(',')}}`;
    }
    return this.canonicalCache;
  }

  /** A shallow copy that can be changed without touching this object. */
  copy(): ObjectValue {
    const out = new ObjectValue();
    for (const [k, v] of this.sorted()) out.set(k, v);
    return out;
  }
}

export function isArray(v: Value | undefined): v is ArrayValue {
  return Array.isArray(v);
}

export function isObject(v: Value | undefined): v is ObjectValue {
  return v instanceof ObjectValue;
}

export function isSet(v: Value | undefined): v is SetValue {
  return v instanceof SetValue;
}

export function isNumber(v: Value | undefined): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** OPA's type names, as type_name and error messages spell them. */
export function typeName(v: Value): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'array';
      return v instanceof SetValue ? 'set' : 'object';
  }
}

function rank(v: Value): number {
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    default:
      if (v === null) return 0;
      if (Array.isArray(v)) return 4;
      return v instanceof SetValue ? 6 : 5;
  }
}

/** Strings compare by code point, as Go compares UTF-8 bytes. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF in code point order.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys && (x >= 0xe000 || y >= 0xe000)) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

/** OPA's total order: null < booleans < numbers < strings < arrays < objects < sets. */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 3:
      return compareStrings(a as string, b as string);
    case 4:
      return compareSequences(a as ArrayValue, b as ArrayValue);
    case 5: {
      const x = (a as ObjectValue).sorted();
      const y = (b as ObjectValue).sorted();
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const ex = x[i] as [Value, Value];
        const ey = y[i] as [Value, Value];
        const c = compare(ex[0], ey[0]);
        if (c !== 0) return c;
        const d = compare(ex[1], ey[1]);
        if (d !== 0) return d;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    default:
      return compareSequences((a as SetValue).sorted(), (b as SetValue).sorted());
  }
}

function compareSequences(x: ArrayValue, y: ArrayValue): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const c = compare(x[i] as Value, y[i] as Value);
    if (c !== 0) return c;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta !== 'object' || a === null || b === null || typeof b !== 'object') {
    // Scalars: numbers are normalised, so bigint never equals an equal-valued number.
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i] as Value, b[i] as Value)) return false;
    return true;
  }
  if (a instanceof ObjectValue) {
    if (!(b instanceof ObjectValue) || a.size !== b.size) return false;
    for (const [k, v] of a.values) {
      const w = b.values.get(k);
      if (w === undefined || !equals(v, w)) return false;
    }
    return true;
  }
  if (a instanceof SetValue) {
    if (!(b instanceof SetValue) || a.size !== b.size) return false;
    for (const k of a.members.keys()) if (!b.members.has(k)) return false;
    return true;
  }
  return false;
}

/** Truthiness in a query: every defined value except `false` succeeds. */
export function isTruthy(v: Value | undefined): boolean {
  return v !== undefined && v !== false;
}
