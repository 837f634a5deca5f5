/**
 * Package URLs for language packages, byte for byte as Trivy writes them (pkg/purl/purl.go on
 * top of packageurl-go v0.1.3). packageurl-js parses these strings back (the tests check it), but
 * it is not used to build them: its encoding differs from Go's for `+`, `:` and subpaths, and
 * Trivy's JSON reports carry the Go bytes (`pkg:golang/…@v28.3.3%2Bincompatible`).
 */

/** The fields of a package that its PURL depends on. */
export interface PurlPackage {
  Name: string;
  Version: string;
  /** Julia packages carry their UUID here; it becomes the `uuid` qualifier. */
  ID?: string;
  Release?: string;
  Arch?: string;
  Epoch?: number;
}

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Readonly<Record<string, string>>;
  subpath?: string;
}

/** Trivy's application type (`npm`, `yarn`, `pip`, `gomod`, `jar`, …) → PURL type. */
const PURL_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    jar: 'maven',
    pom: 'maven',
    gradle: 'maven',
    sbt: 'maven',
    bundler: 'gem',
    gemspec: 'gem',
    nuget: 'nuget',
    'dotnet-core': 'nuget',
    'packages-props': 'nuget',
    composer: 'composer',
    'composer-vendor': 'composer',
    'conda-pkg': 'conda',
    'conda-environment': 'conda',
    'python-pkg': 'pypi',
    pip: 'pypi',
    pipenv: 'pypi',
    poetry: 'pypi',
    uv: 'pypi',
    pylock: 'pypi',
    gobinary: 'golang',
    gomod: 'golang',
    npm: 'npm',
    'node-pkg': 'npm',
    yarn: 'npm',
    pnpm: 'npm',
    bun: 'npm',
    javascript: 'npm',
    cocoapods: 'cocoapods',
    swift: 'swift',
    hex: 'hex',
    conan: 'conan',
    pub: 'pub',
    rustbinary: 'cargo',
    cargo: 'cargo',
    julia: 'julia',
  }),
);

/** The PURL type Trivy uses for an application type; unknown types pass through unchanged. */
export function purlTypeOf(appType: string): string {
  return PURL_TYPES.get(appType) ?? appType;
}

/** Splits `a/b/c` into namespace `a/b` and name `c`, as Trivy's parsePkgName does. */
function splitAtLastSlash(name: string): { namespace: string; name: string } {
  const slash = name.lastIndexOf('/');
  return slash === -1 ? { namespace: '', name } : { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
}

/**
 * The PURL Trivy gives a language package of application type `appType`, or undefined where
 * Trivy gives none (a Go module replaced by a local path) or the package has no name.
 */
export function languagePurl(appType: string, pkg: PurlPackage): string | undefined {
  if (pkg.Name === '') return undefined;
  const type = purlTypeOf(appType);
  const qualifiers: Record<string, string> = {};
  if (pkg.Arch) qualifiers.arch = pkg.Arch;
  if (pkg.Epoch) qualifiers.epoch = String(pkg.Epoch);
  let namespace = '';
  let name = pkg.Name;
  let subpath = '';
  switch (type) {
    case 'maven':
      ({ namespace, name } = splitAtLastSlash(pkg.Name.replaceAll(':', '/')));
      break;
    case 'pypi':
      name = pkg.Name.replaceAll('_', '-').toLowerCase();
      break;
    case 'composer':
    case 'swift':
      ({ namespace, name } = splitAtLastSlash(pkg.Name));
      break;
    case 'golang':
      if (pkg.Name.startsWith('./') || pkg.Name.startsWith('../')) return undefined;
      ({ namespace, name } = splitAtLastSlash(pkg.Name.toLowerCase()));
      break;
    case 'npm':
      ({ namespace, name } = splitAtLastSlash(pkg.Name.toLowerCase()));
      break;
    case 'cocoapods': {
      // `GoogleUtilities/NSData+zlib` is a subspec: the pod is the name, the subspec the subpath.
      const slash = pkg.Name.indexOf('/');
      if (slash !== -1) {
        name = pkg.Name.slice(0, slash);
        subpath = pkg.Name.slice(slash + 1);
      }
      break;
    }
    case 'julia':
      if (pkg.ID) qualifiers.uuid = pkg.ID;
      break;
  }
  const version = pkg.Release ? `${pkg.Version}-${pkg.Release}` : pkg.Version;
  return formatPurl({ type, namespace, name, version, qualifiers, subpath });
}

const HEX = '0123456789ABCDEF';

/** Percent-encodes the UTF-8 bytes of `text`, keeping the bytes `keep` accepts. */
function percentEncode(text: string, keep: (byte: number) => boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += keep(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

const isUnreserved = (byte: number): boolean =>
  (byte >= 0x30 && byte <= 0x39) ||
  (byte >= 0x41 && byte <= 0x5a) ||
  (byte >= 0x61 && byte <= 0x7a) ||
  byte === 0x2d || // -
  byte === 0x2e || // .
  byte === 0x5f || // _
  byte === 0x7e; // ~

/** Go's url.QueryEscape: everything but unreserved characters, with a space as `+`. */
function queryEscape(text: string): string {
  return percentEncode(text, isUnreserved).replaceAll('%20', '+');
}

/** packageurl-go's path escape: QueryEscape with the space as `%20`. */
function segmentEscape(text: string): string {
  return percentEncode(text, isUnreserved);
}

/** Go's url.URL fragment escaping: reserved characters and `!()*` stay. */
const FRAGMENT_KEEP = new Set([...'$&+,/:;=?@!()*'].map((c) => c.charCodeAt(0)));
function fragmentEscape(text: string): string {
  return percentEncode(text, (byte) => isUnreserved(byte) || FRAGMENT_KEEP.has(byte));
}

/**
 * Writes a PURL as packageurl-go v0.1.3 does: namespace segments, name and version query-escaped
 * (space as `%20`), qualifiers sorted by key and query-escaped, the subpath fragment-escaped.
 */
export function formatPurl(parts: PurlParts): string {
  const path = [parts.type];
  for (const segment of (parts.namespace ?? '').split('/')) {
    if (segment !== '') path.push(segmentEscape(segment));
  }
  path.push(parts.version ? `${segmentEscape(parts.name)}@${segmentEscape(parts.version)}` : segmentEscape(parts.name));
  let purl = `pkg:${path.join('/')}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${queryEscape(key)}=${queryEscape(value)}`);
  if (qualifiers.length > 0) purl += `?${qualifiers.join('&')}`;
  if (parts.subpath) purl += `#${fragmentEscape(parts.subpath)}`;
  return purl;
}
