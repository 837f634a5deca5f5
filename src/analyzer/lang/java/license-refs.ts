/**
 * Licence references in Java metadata, turned into SPDX identifiers where they are certain:
 * SPDX IDs written in any case, and the well-known licence URLs that poms and OSGi
 * `Bundle-License` headers point at. Anything else is left alone (or dropped where Trivy drops it).
 */
const SPDX_IDS = [
  '0BSD',
  'AFL-3.0',
  'AGPL-3.0',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'Apache-1.1',
  'Apache-2.0',
  'Artistic-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'BSD-4-Clause',
  'BSL-1.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'CDDL-1.0',
  'CDDL-1.1',
  'CPL-1.0',
  'EDL-1.0',
  'EPL-1.0',
  'EPL-2.0',
  'EUPL-1.1',
  'EUPL-1.2',
  'GPL-2.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-2.0-with-classpath-exception',
  'GPL-3.0',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'ICU',
  'ISC',
  'LGPL-2.0',
  'LGPL-2.1',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'MIT',
  'MIT-0',
  'MPL-1.0',
  'MPL-1.1',
  'MPL-2.0',
  'MS-PL',
  'NCSA',
  'OFL-1.1',
  'PostgreSQL',
  'Python-2.0',
  'Ruby',
  'Unicode-DFS-2016',
  'Unlicense',
  'UPL-1.0',
  'W3C',
  'WTFPL',
  'Zlib',
  'ZPL-2.1',
];
const SPDX_BY_LOWER = new Map(SPDX_IDS.map((id) => [id.toLowerCase(), id]));

/** `apache-2.0` → `Apache-2.0`; undefined for anything that is not an SPDX ID. */
export function canonicalSpdxId(text: string): string | undefined {
  return SPDX_BY_LOWER.get(text.trim().toLowerCase());
}

/** Known licence URLs, scheme, `www.`, trailing slash and file extension removed. */
const LICENSE_URLS: Readonly<Record<string, string>> = {
  'apache.org/licenses/license-2.0': 'Apache-2.0',
  'opensource.org/licenses/apache-2.0': 'Apache-2.0',
  'opensource.org/license/apache-2-0': 'Apache-2.0',
  'apache.org/licenses/license-1.1': 'Apache-1.1',
  'opensource.org/licenses/mit': 'MIT',
  'opensource.org/license/mit': 'MIT',
  'opensource.org/licenses/mit-license': 'MIT',
  'mit-license.org': 'MIT',
  'opensource.org/licenses/bsd-2-clause': 'BSD-2-Clause',
  'opensource.org/licenses/bsd-3-clause': 'BSD-3-Clause',
  'opensource.org/license/bsd-3-clause': 'BSD-3-Clause',
  'eclipse.org/org/documents/edl-v10': 'BSD-3-Clause',
  'eclipse.org/legal/epl-v10': 'EPL-1.0',
  'opensource.org/licenses/epl-1.0': 'EPL-1.0',
  'eclipse.org/legal/epl-2.0': 'EPL-2.0',
  'eclipse.org/legal/epl-v20': 'EPL-2.0',
  'opensource.org/licenses/epl-2.0': 'EPL-2.0',
  'gnu.org/licenses/old-licenses/lgpl-2.1': 'LGPL-2.1',
  'gnu.org/licenses/lgpl-2.1': 'LGPL-2.1',
  'gnu.org/licenses/lgpl': 'LGPL-3.0',
  'gnu.org/licenses/lgpl-3.0': 'LGPL-3.0',
  'gnu.org/licenses/old-licenses/gpl-2.0': 'GPL-2.0',
  'gnu.org/licenses/gpl-2.0': 'GPL-2.0',
  'gnu.org/licenses/gpl': 'GPL-3.0',
  'gnu.org/licenses/gpl-3.0': 'GPL-3.0',
  'gnu.org/licenses/agpl-3.0': 'AGPL-3.0',
  'mozilla.org/mpl/2.0': 'MPL-2.0',
  'mozilla.org/mpl/mpl-1.1': 'MPL-1.1',
  'opensource.org/licenses/mpl-2.0': 'MPL-2.0',
  'opensource.org/licenses/cddl-1.0': 'CDDL-1.0',
  'opensource.org/licenses/isc': 'ISC',
  'opensource.org/licenses/isc-license': 'ISC',
  'creativecommons.org/publicdomain/zero/1.0': 'CC0-1.0',
  'creativecommons.org/publicdomain/zero/1.0/legalcode': 'CC0-1.0',
  'unlicense.org': 'Unlicense',
  'boost.org/license_1_0': 'BSL-1.0',
  'opensource.org/licenses/upl': 'UPL-1.0',
  'oss.oracle.com/licenses/upl': 'UPL-1.0',
};

function urlKey(url: string): string | undefined {
  const match = /^\s*(?:https?:)?\/\/(?:www\.)?([^?#\s]+)/i.exec(url);
  if (!match) return undefined;
  return (match[1] ?? '')
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.(txt|html?|php|md)$/, '');
}

/** The SPDX ID a licence URL stands for, when it is a known one. */
export function licenseFromUrl(url: string): string | undefined {
  const key = urlKey(url);
  if (!key) return undefined;
  const spdx = /^spdx\.org\/licenses\/([^/]+?)(?:\.json)?$/.exec(key);
  if (spdx) return canonicalSpdxId(spdx[1] ?? '');
  return LICENSE_URLS[key];
}

/** A pom `<license>`: its name as written, else its URL when that is a known licence. */
export function pomLicenseName(name: string, url: string): string {
  const trimmed = name.trim();
  if (trimmed !== '') return trimmed;
  return licenseFromUrl(url.trim()) ?? '';
}

/** Splits on `separator` outside double quotes, honouring backslash escapes inside them. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (quoted && c === '\\') {
      current += c + (text[i + 1] ?? '');
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return trimmed;
}

/**
 * An OSGi `Bundle-License` header (`name;link="…";description="…", …`) as SPDX IDs: an entry's
 * name when it is an SPDX ID or a known licence URL, else its `link`; free text is dropped.
 */
export function parseBundleLicense(header: string): string[] {
  const licenses: string[] = [];
  for (const entry of splitOutsideQuotes(header, ',')) {
    const [rawName = '', ...attributes] = splitOutsideQuotes(entry, ';');
    const name = unquote(rawName);
    if (name === '' || name === '<<EXTERNAL>>') continue;
    let link: string | undefined;
    for (const attribute of attributes) {
      const eq = attribute.indexOf('=');
      if (eq !== -1 && attribute.slice(0, eq).trim().toLowerCase() === 'link') link = unquote(attribute.slice(eq + 1));
    }
    const resolved = canonicalSpdxId(name) ?? licenseFromUrl(name) ?? (link ? licenseFromUrl(link) : undefined);
    if (resolved) licenses.push(resolved);
  }
  return licenses;
}
