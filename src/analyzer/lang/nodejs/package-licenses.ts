import { asArray, asRecord } from '../document-values.ts';

/**
 * The `license` field of a package.json or package-lock.json entry: an SPDX string, the legacy
 * `{type, url}` object, or a legacy array of such objects (bare strings in an array are not a
 * form npm ever wrote, and Trivy ignores them).
 */
export function packageJsonLicenses(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  const array = asArray(value);
  const entries = array ?? [value];
  const licenses: string[] = [];
  for (const entry of entries) {
    const type = asRecord(entry)?.type;
    if (typeof type === 'string' && type !== '') licenses.push(type);
  }
  return licenses;
}
