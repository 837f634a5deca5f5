import { posix } from 'node:path';
import type { Package } from '../../types.ts';
import { normalizeLicenseName } from '../license-names.ts';
import { isApkVersion } from './apk-version.ts';

export interface ApkPackages {
  packages: Package[];
  warnings: string[];
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `C:` holds the package checksum: `Q1` + base64 SHA-1, or plain base64 MD5 in old databases. */
export function decodeApkChecksum(value: string): string | undefined {
  const sha1 = value.startsWith('Q1');
  const encoded = sha1 ? value.slice(2) : value;
  if (!BASE64.test(encoded)) return undefined;
  return `${sha1 ? 'sha1' : 'md5'}:${Buffer.from(encoded, 'base64').toString('hex')}`;
}

/** `L:` is a space-separated list or expression: operators and brackets go, `MPL 2.0` is one name. */
function licenses(value: string): string[] | undefined {
  const raw: string[] = [];
  for (const word of value.split(/\s+/)) {
    const token = word.replace(/^[()]+|[()]+$/g, '');
    if (token === '' || token === 'AND' || token === 'OR') continue;
    if (raw.length > 0 && (token === '1.0' || token === '2.0' || token === '3.0')) raw[raw.length - 1] += token;
    else raw.push(token);
  }
  return raw.length > 0 ? raw.map(normalizeLicenseName) : undefined;
}

/** A dependency or provided name without its version constraint (`so:libssl.so.3=3.0.8` → `so:libssl.so.3`). */
const withoutConstraint = (name: string) => name.split(/[<>=]/, 1)[0] ?? name;

/**
 * Packages from apk's installed database (`lib/apk/db/installed`), as Trivy reads it: name,
 * version, origin as the source package, licences, maintainer, arch, the package checksum as a
 * digest, installed files from F:/R:, and dependencies (D:, resolved through names and p: provides)
 * as package IDs. A stanza without a valid name and version is dropped, and a repeated name keeps
 * its first stanza.
 */
export function parseApkInstalled(text: string): ApkPackages {
  const warnings: string[] = [];
  const stanzas: { pkg: Package; depends: string[] }[] = [];
  const provides = new Map<string, string>();
  let pkg: Package = { Name: '', Version: '' };
  let depends: string[] = [];
  // As in Trivy, the last V: and F: seen carry over until replaced.
  let version = '';
  let dir = '';
  const finish = () => {
    if (pkg.Name !== '' && pkg.Version !== '') stanzas.push({ pkg, depends });
    pkg = { Name: '', Version: '' };
    depends = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length < 2) {
      finish();
      continue;
    }
    const value = line.slice(2);
    switch (line.slice(0, 2)) {
      case 'P:':
        pkg.Name = value;
        break;
      case 'V:':
        version = value;
        if (isApkVersion(value)) pkg.Version = value;
        else warnings.push(`skipped ${pkg.Name || 'a package'}: invalid version ${value}`);
        break;
      case 'o:':
        pkg.SrcName = value;
        pkg.SrcVersion = version;
        break;
      case 'L:': {
        const found = licenses(value);
        if (found) pkg.Licenses = found;
        else delete pkg.Licenses;
        break;
      }
      case 'm:':
        if (value) pkg.Maintainer = value;
        break;
      case 'A:':
        if (value) pkg.Arch = value;
        break;
      case 'C:': {
        const digest = decodeApkChecksum(value);
        if (digest) pkg.Digest = digest;
        break;
      }
      case 'F:':
        dir = value;
        break;
      case 'R:':
        pkg.InstalledFiles = [...(pkg.InstalledFiles ?? []), posix.join(dir, value)];
        break;
      case 'p:':
        for (const name of value.split(/\s+/).filter(Boolean)) {
          if (pkg.ID) provides.set(withoutConstraint(name), pkg.ID);
        }
        break;
      case 'D:':
        depends = value
          .split(/\s+/)
          .filter((name) => name !== '' && !name.startsWith('!'))
          .map(withoutConstraint);
        break;
    }
    if (pkg.Name !== '' && pkg.Version !== '') {
      pkg.ID = `${pkg.Name}@${pkg.Version}`;
      provides.set(pkg.Name, pkg.ID);
    }
  }
  finish();
  const seen = new Set<string>();
  const packages: Package[] = [];
  for (const stanza of stanzas) {
    if (seen.has(stanza.pkg.Name)) continue;
    seen.add(stanza.pkg.Name);
    const ids = [...new Set(stanza.depends.flatMap((name) => provides.get(name) ?? []))].sort();
    if (ids.length > 0) stanza.pkg.DependsOn = ids;
    packages.push(stanza.pkg);
  }
  return { packages, warnings };
}
