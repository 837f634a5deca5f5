/**
 * Narrowing of values read from untrusted documents (JSON, YAML, TOML): a field of the wrong type
 * reads as absent, so a hand-edited or hostile lock file degrades instead of crashing a parser.
 */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** A `{name: version}` map (dependencies, requires…), keeping string values only. */
export function asStringMap(value: unknown): Map<string, string> {
  const map = new Map<string, string>();
  const record = asRecord(value);
  if (!record) return map;
  for (const [key, entry] of Object.entries(record)) if (typeof entry === 'string') map.set(key, entry);
  return map;
}
