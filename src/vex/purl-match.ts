import { PackageURL } from 'packageurl-js';

/**
 * PURL matching as go-vex and Trivy do it: the statement's PURL is the general one. Type,
 * namespace and name must be equal; a statement PURL without a version matches every version;
 * qualifiers it names must be present with equal values; extra qualifiers on the finding's PURL
 * do not matter. CSAF matching (Trivy's) also requires an equal subpath when the statement has one.
 */
export interface ParsedPurl {
  readonly type: string;
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
  readonly qualifiers: Readonly<Record<string, string>>;
  readonly subpath: string;
}

// Real VEX documents repeat the same few PURLs thousands of times: parse each string once.
const MAX_CACHED = 200_000;
const parsedCache = new Map<string, ParsedPurl | null>();

export function parsePurl(text: string): ParsedPurl | undefined {
  const cached = parsedCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  let parsed: ParsedPurl | null = null;
  if (text.startsWith('pkg:')) {
    try {
      const purl = PackageURL.fromString(text);
      parsed = {
        type: purl.type,
        namespace: purl.namespace ?? '',
        name: purl.name,
        version: purl.version ?? '',
        qualifiers: { ...(purl.qualifiers ?? {}) } as Record<string, string>,
        subpath: purl.subpath ?? '',
      };
    } catch {
      parsed = null;
    }
  }
  if (parsedCache.size >= MAX_CACHED) parsedCache.clear();
  parsedCache.set(text, parsed);
  return parsed ?? undefined;
}

export interface PurlMatchOptions {
  /** Compare subpaths too (CSAF, as Trivy does). */
  readonly subpath?: boolean;
}

export function purlMatches(statement: ParsedPurl, target: ParsedPurl, options: PurlMatchOptions = {}): boolean {
  if (statement.type !== target.type || statement.namespace !== target.namespace || statement.name !== target.name) {
    return false;
  }
  if (statement.version !== '' && statement.version !== target.version) return false;
  if (options.subpath && statement.subpath !== '' && statement.subpath !== target.subpath) return false;
  for (const [key, value] of Object.entries(statement.qualifiers)) {
    if (target.qualifiers[key] !== value) return false;
  }
  return true;
}

/**
 * The key a VEX repository index uses for a package: the PURL without version, qualifiers and
 * subpath, except that OCI images keep `repository_url` (vex-repo-spec §3.2). Undefined for
 * strings that are not PURLs.
 */
const keyCache = new Map<string, string | null>();

export function repositoryPackageKey(text: string): string | undefined {
  const cached = keyCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const key = computePackageKey(text);
  if (keyCache.size >= MAX_CACHED) keyCache.clear();
  keyCache.set(text, key ?? null);
  return key;
}

function computePackageKey(text: string): string | undefined {
  const purl = parsePurl(text);
  if (!purl) return undefined;
  const repositoryUrl = purl.type === 'oci' ? purl.qualifiers.repository_url : undefined;
  try {
    return new PackageURL(
      purl.type,
      purl.namespace === '' ? undefined : purl.namespace,
      purl.name,
      undefined,
      repositoryUrl === undefined ? undefined : { repository_url: repositoryUrl },
      undefined,
    ).toString();
  } catch {
    return undefined;
  }
}
