import { createHash } from 'node:crypto';
import type { OS, Package } from '../analyzer/types.ts';

/** OS families whose packages are rpm, deb or apk, for PURLs (Trivy's family names). */
const APK_FAMILIES = new Set(['alpine', 'wolfi', 'chainguard', 'minimos']);
const DEB_FAMILIES = new Set(['debian', 'ubuntu', 'echo']);

/** Percent-encodes what a PURL component must not carry raw (`+` included, as packageurl-go does). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Trivy's PURL namespace per family (`OSType.PurlNamespace`): SUSE's enterprise products share
 * `suse` and openSUSE's releases `opensuse`; every other family is its own namespace.
 */
const PURL_NAMESPACES: Readonly<Record<string, string>> = {
  sles: 'suse',
  slem: 'suse',
  opensuse: 'opensuse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
};

/**
 * The PURL Trivy gives an OS package: type from the family, the namespace above, the family and
 * release as `distro` (the release alone for apk), epoch as a qualifier, qualifiers sorted by key.
 */
export function osPackagePurl(os: OS, pkg: Package): string | undefined {
  const family = os.Family.toLowerCase();
  let type: string;
  if (APK_FAMILIES.has(family)) type = 'apk';
  else if (DEB_FAMILIES.has(family)) type = 'deb';
  else type = 'rpm';
  const namespace = Object.hasOwn(PURL_NAMESPACES, family) ? (PURL_NAMESPACES[family] as string) : family;
  const version = pkg.Release ? `${pkg.Version}-${pkg.Release}` : pkg.Version;
  const qualifiers: Record<string, string> = {};
  if (pkg.Arch) qualifiers.arch = pkg.Arch;
  qualifiers.distro = type === 'apk' ? os.Name : `${family}-${os.Name}`;
  if (pkg.Epoch) qualifiers.epoch = String(pkg.Epoch);
  if (pkg.Modularitylabel) qualifiers.modularitylabel = pkg.Modularitylabel;
  // Not formatPurl: Trivy's OS PURLs escape a space in `distro` as %20 (`amazon-2%20%28Karoo%29`).
  const query = Object.keys(qualifiers)
    .sort()
    .map((key) => `${key}=${encode(qualifiers[key] as string)}`)
    .join('&');
  return `pkg:${type}/${encode(namespace)}/${encode(pkg.Name)}@${encode(version)}${query ? `?${query}` : ''}`;
}

/** A stable 16-hex-digit identity for a package occurrence (Trivy's UID plays the same role). */
export function packageUid(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
