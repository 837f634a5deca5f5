/**
 * JSON text as Go's encoding/json writes it, so DBs built here hold the same bytes trivy-db's
 * builders would: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. Objects built by
 * this module list struct fields in Go declaration order themselves and pass `sortKeys: false`.
 */
export function goJson(value: unknown, options: { sortKeys: boolean } = { sortKeys: true }): string {
  const text = JSON.stringify(options.sortKeys ? sortObjectKeys(value) : value);
  return text.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortObjectKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortObjectKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareUtf8))
      sorted[key] = sortObjectKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
