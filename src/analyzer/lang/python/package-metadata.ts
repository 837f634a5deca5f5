import type { Package } from '../../types.ts';

/** Header fields of a core-metadata file, by lower-cased name, in order of appearance. */
export type MetadataHeaders = Map<string, string[]>;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The RFC 822 style header block of METADATA / PKG-INFO, read as Go's textproto reader does:
 * up to the first blank line, continuation lines folded in, and stopping early (keeping what
 * was read) at a malformed line, as Trivy tolerates those.
 */
export function readMetadataHeaders(text: string): MetadataHeaders {
  const headers: MetadataHeaders = new Map();
  let last: { key: string; index: number } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (!last) break;
      const values = headers.get(last.key) as string[];
      const joined = `${values[last.index]} ${line.trim()}`.trim();
      values[last.index] = joined;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) break;
    const key = line.slice(0, colon);
    if (!TOKEN.test(key)) break;
    const name = key.toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
    last = { key: name, index: values.length - 1 };
  }
  return headers;
}

const first = (headers: MetadataHeaders, name: string) => headers.get(name)?.[0] ?? '';

/**
 * Licences from core metadata, most specific first: `License-Expression` (PEP 639), the trove
 * `License ::` classifiers, the free-text `License`, else `file://<License-File>` for the
 * caller to resolve.
 */
export function metadataLicenses(headers: MetadataHeaders): string[] {
  const expression = first(headers, 'license-expression');
  if (expression !== '') return [expression];
  const classifiers = (headers.get('classifier') ?? [])
    .filter((classifier) => classifier.startsWith('License :: ') && classifier !== 'License :: OSI Approved')
    .map((classifier) => classifier.split(' :: ').at(-1) as string);
  if (classifiers.length > 0) return classifiers;
  const license = first(headers, 'license');
  if (license !== '') return [license];
  const file = first(headers, 'license-file');
  return file === '' ? [] : [`file://${file}`];
}

/** An installed distribution's METADATA or PKG-INFO: name, version and licences. */
export function parsePackageMetadata(text: string): Package {
  const headers = readMetadataHeaders(text);
  const name = first(headers, 'name');
  const version = first(headers, 'version');
  if (name === '' || version === '') throw new SyntaxError('name or version is empty');
  return { Name: name, Version: version, Licenses: metadataLicenses(headers) };
}
