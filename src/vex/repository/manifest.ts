import { VigilError } from '../../errors/index.ts';
import { isObject } from '../json-fields.ts';

/** `vex-repository.json` (vex-repo-spec §2) and the choice of version and locations in it. */
export const SPEC_VERSION = '0.1';
export const MANIFEST_FILE = 'vex-repository.json';

export interface RepositoryLocation {
  /** The archive URL with any `//subdir` removed. */
  readonly url: string;
  /** The repository root inside the archive ('' for the archive root). */
  readonly subdir: string;
  /** The URL as the manifest wrote it, the key for its stored ETag. */
  readonly raw: string;
}

export interface RepositoryVersion {
  readonly specVersion: string;
  readonly locations: readonly RepositoryLocation[];
  /** Milliseconds. */
  readonly updateInterval: number;
}

export interface RepositoryManifest {
  readonly name: string;
  readonly description: string;
  readonly versions: readonly RepositoryVersion[];
}

/**
 * `baseUrl` (where the manifest was fetched from) resolves relative location URLs, which
 * `vigil vex repo build` writes when no --base-url is given, so a built repository works from
 * any server path. Trivy itself needs absolute https locations.
 */
export function parseManifest(text: string, source: string, baseUrl?: string): RepositoryManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw manifestError(source, 'not valid JSON');
  }
  if (!isObject(json)) throw manifestError(source, 'the top level must be an object');
  if (!Array.isArray(json.versions)) throw manifestError(source, '`versions` must be an array');
  const versions = json.versions.map((raw, index): RepositoryVersion => {
    const where = `versions[${index}]`;
    if (!isObject(raw)) throw manifestError(source, `${where} must be an object`);
    if (typeof raw.spec_version !== 'string') throw manifestError(source, `${where}.spec_version must be a string`);
    if (!Array.isArray(raw.locations)) throw manifestError(source, `${where}.locations must be an array`);
    const locations = raw.locations.map((location, i) => {
      if (!isObject(location) || typeof location.url !== 'string') {
        throw manifestError(source, `${where}.locations[${i}].url must be a string`);
      }
      return splitLocation(location.url, source, baseUrl);
    });
    const interval = typeof raw.update_interval === 'string' ? parseGoDuration(raw.update_interval) : undefined;
    if (interval === undefined) {
      throw manifestError(source, `${where}.update_interval must be a Go duration such as "24h"`);
    }
    return { specVersion: raw.spec_version, locations, updateInterval: interval };
  });
  return {
    name: typeof json.name === 'string' ? json.name : '',
    description: typeof json.description === 'string' ? json.description : '',
    versions,
  };
}

/** v0.Y versions may break between minor versions, so only an exact 0.1 is used (spec §5.1). */
export function selectVersion(manifest: RepositoryManifest, source: string): RepositoryVersion {
  const version = manifest.versions.find((candidate) => candidate.specVersion === SPEC_VERSION);
  if (version === undefined) {
    const offered = manifest.versions.map((v) => v.specVersion).join(', ') || 'none';
    throw new VigilError(
      'VEX_REPO_VERSION',
      `VEX repository ${source} offers spec versions ${offered}, not ${SPEC_VERSION}`,
      { hint: 'this Vigil reads VEX repository spec 0.1; disable the repository in repository.yaml' },
    );
  }
  if (version.locations.length === 0) throw manifestError(source, `version ${SPEC_VERSION} lists no locations`);
  return version;
}

/** `https://host/a.tar.gz//sub/dir?x=1` → url `https://host/a.tar.gz?x=1`, subdir `sub/dir` (go-getter's rule). */
export function splitLocation(raw: string, source: string, baseUrl?: string): RepositoryLocation {
  const scheme = raw.indexOf('://');
  const absolute = scheme > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(raw.slice(0, scheme));
  if (absolute && !/^https?$/i.test(raw.slice(0, scheme))) {
    throw manifestError(source, `location ${JSON.stringify(raw)} is not an http(s) URL`);
  }
  if (!absolute && baseUrl === undefined) {
    throw manifestError(source, `location ${JSON.stringify(raw)} is not an absolute http(s) URL`);
  }
  const afterScheme = absolute ? scheme + 3 : 0;
  const queryAt = raw.indexOf('?', afterScheme);
  const end = queryAt < 0 ? raw.length : queryAt;
  const split = raw.indexOf('//', afterScheme);
  let subdir = '';
  let url = raw;
  if (split >= 0 && split < end) {
    subdir = raw.slice(split + 2, end).replace(/\/+$/, '');
    const segments = subdir.split('/');
    if (subdir.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) {
      throw manifestError(source, `location ${JSON.stringify(raw)} has an unsafe subdirectory`);
    }
    url = raw.slice(0, split) + raw.slice(end);
  }
  if (!absolute) {
    try {
      url = new URL(url, baseUrl).toString();
    } catch {
      throw manifestError(source, `location ${JSON.stringify(raw)} is not a valid URL`);
    }
  }
  return { url, subdir, raw };
}

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration (`24h`, `1h30m`, `1.5h`, `90s`) in milliseconds; undefined when invalid or negative. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const term = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let position = 0;
  while (position < text.length) {
    term.lastIndex = position;
    const match = term.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (GO_UNITS[match[2] as string] as number);
    position = term.lastIndex;
  }
  return position === 0 || !Number.isFinite(total) ? undefined : total;
}

function manifestError(source: string, detail: string): VigilError {
  return new VigilError('VEX_REPO_MANIFEST', `VEX repository manifest ${source}: ${detail}`, {
    hint: 'the repository publishes a broken vex-repository.json; tell its maintainers, or disable it in repository.yaml',
  });
}
