import { normalizeLicenseName } from '../license-names.ts';

const COPYRIGHT_PATH = /^usr\/share\/doc\/([^/]+)\/copyright$/;
// A reference to a licence text shipped in base-files.
const COMMON_LICENSE = /\/?usr\/share\/common-licenses\/([0-9A-Za-z_.+-]+[0-9A-Za-z+])/;
// "GPL-1+ or Artistic, and BSD-4-clause-POWERDOG": operators and commas separate names.
const LICENSE_SEPARATOR = /,?[_ ]+or[_ ]+|,?[_ ]+and[_ ]|,[ ]*/;

/** The package a `usr/share/doc/<package>/copyright` file belongs to, or undefined for other paths. */
export function debianCopyrightPackage(path: string): string | undefined {
  return COPYRIGHT_PATH.exec(path)?.[1];
}

/**
 * Licence names in a Debian copyright file, as Trivy's dpkg licence analyzer finds them without
 * full-text classification: `License:` fields of the machine-readable format, split on and/or and
 * commas, and references to /usr/share/common-licenses/<name>. Each name is normalised to SPDX where
 * known and listed once, in order of appearance.
 */
export function parseDebianCopyright(text: string): string[] {
  const licenses: string[] = [];
  const add = (name: string) => {
    const normalized = normalizeLicenseName(name);
    if (normalized !== '' && !licenses.includes(normalized)) licenses.push(normalized);
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('License:')) {
      for (const name of line.slice('License:'.length).trim().split(LICENSE_SEPARATOR)) add(name);
    } else if (line.includes('/usr/share/common-licenses/')) {
      const match = COMMON_LICENSE.exec(line);
      if (match?.[1]) add(match[1]);
    }
  }
  return licenses;
}
