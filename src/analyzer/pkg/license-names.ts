/**
 * Free-form licence names (apk `L:`, copyright files) mapped to SPDX identifiers the way Trivy's
 * licensing.Normalize does for the names it knows: GPL-family names become `-only` or, with a
 * trailing `+`, `-or-later`; a bare "GPL" is GPL-2.0-or-later; SPDX identifiers get their
 * canonical case. Anything else is returned trimmed but otherwise unchanged.
 */

const GPL_FAMILY: readonly [RegExp, string][] = [
  [/^(?:GNU )?(?:GENERAL PUBLIC LICENSE|GPL)[- ]?V?(\d)(?:\.0)?(\+|-OR-LATER|-ONLY)?$/, 'GPL-$1.0'],
  [/^(?:GNU )?(?:LESSER GENERAL PUBLIC LICENSE|LGPL)[- ]?V?(2\.1|\d)(?:\.0)?(\+|-OR-LATER|-ONLY)?$/, 'LGPL-$1'],
  [/^(?:GNU )?(?:AFFERO GENERAL PUBLIC LICENSE|AGPL)[- ]?V?(\d)(?:\.0)?(\+|-OR-LATER|-ONLY)?$/, 'AGPL-$1.0'],
];

const ALIASES: Readonly<Record<string, string>> = {
  GPL: 'GPL-2.0-or-later',
  'GPL+': 'GPL-2.0-or-later',
  LGPL: 'LGPL-2.0-or-later',
  'LGPL+': 'LGPL-2.0-or-later',
  'GPL-2+ WITH AUTOCONF EXCEPTION': 'GPL-2.0-with-autoconf-exception',
  'GPL-3+ WITH AUTOCONF EXCEPTION': 'GPL-3.0-with-autoconf-exception',
  'GPL-2+-WITH-BISON-EXCEPTION': 'GPL-2.0-with-bison-exception',
  MPL1: 'MPL-1.0',
  'MPL1.0': 'MPL-1.0',
  'MPL 1': 'MPL-1.0',
  'MPL 1.0': 'MPL-1.0',
  'MPL1.1': 'MPL-1.1',
  'MPL 1.1': 'MPL-1.1',
  MPL2: 'MPL-2.0',
  'MPL2.0': 'MPL-2.0',
  'MPL 2': 'MPL-2.0',
  'MPL 2.0': 'MPL-2.0',
  BSD: 'BSD-3-Clause',
  ARTISTIC: 'Artistic-2.0',
  APACHE: 'Apache-2.0',
  'APACHE 2': 'Apache-2.0',
  'APACHE 2.0': 'Apache-2.0',
  'APACHE-2': 'Apache-2.0',
  APACHE2: 'Apache-2.0',
  'ASL 2.0': 'Apache-2.0',
  'ASL-2.0': 'Apache-2.0',
  RUBY: 'Ruby',
  'PUBLIC DOMAIN': 'Unlicense',
};

// SPDX identifiers seen in OS package metadata, for case-insensitive matching.
const SPDX_IDS = [
  '0BSD',
  'AFL-2.1',
  'AFL-3.0',
  'Apache-1.1',
  'Apache-2.0',
  'Artistic-1.0',
  'Artistic-2.0',
  'BSD-1-Clause',
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
  'EPL-1.0',
  'EPL-2.0',
  'FTL',
  'GFDL-1.3-or-later',
  'ICU',
  'IJG',
  'ISC',
  'LGPL-2.1-only',
  'Libpng',
  'MIT',
  'MIT-0',
  'MPL-1.1',
  'MPL-2.0',
  'NCSA',
  'OFL-1.1',
  'OLDAP-2.8',
  'OpenSSL',
  'PHP-3.01',
  'PSF-2.0',
  'Python-2.0',
  'Ruby',
  'Sleepycat',
  'Unicode-DFS-2016',
  'Unlicense',
  'Vim',
  'W3C',
  'WTFPL',
  'X11',
  'Zlib',
  'ZPL-2.1',
  'curl',
  'libtiff',
  'bzip2-1.0.6',
];
const SPDX_BY_UPPER = new Map(SPDX_IDS.map((id) => [id.toUpperCase(), id]));

export function normalizeLicenseName(name: string): string {
  const trimmed = name.trim();
  const upper = trimmed.toUpperCase();
  if (Object.hasOwn(ALIASES, upper)) return ALIASES[upper] as string;
  for (const [pattern, replacement] of GPL_FAMILY) {
    const match = pattern.exec(upper);
    if (!match) continue;
    const base = upper.replace(pattern, replacement).replace(/^LGPL-(\d)$/, 'LGPL-$1.0');
    const later = match[2] === '+' || match[2] === '-OR-LATER';
    return `${base}-${later ? 'or-later' : 'only'}`;
  }
  return SPDX_BY_UPPER.get(upper) ?? trimmed;
}
