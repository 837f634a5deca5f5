/**
 * Names the licence in a LICENSE file by the sentences that define the common permissive
 * licences. Trivy runs a full text classifier here; this recognises the licences that cover
 * most package trees (MIT, ISC, 0BSD, BSD-2/3-Clause, Apache-2.0, Unlicense, CC0-1.0) and
 * returns nothing rather than guess at anything else.
 */
interface LicenseRule {
  id: string;
  all: readonly string[];
  none?: readonly string[];
}

const RULES: readonly LicenseRule[] = [
  {
    id: 'Apache-2.0',
    all: ['apache license', 'version 2 0', 'terms and conditions for use reproduction and distribution'],
  },
  {
    id: 'MIT',
    all: [
      'permission is hereby granted free of charge to any person obtaining a copy of this software',
      'the above copyright notice and this permission notice shall be included in all copies or substantial portions of the software',
    ],
  },
  {
    id: 'ISC',
    all: [
      'permission to use copy modify and/or distribute this software for any purpose with or without fee is hereby granted',
      'provided that the above copyright notice and this permission notice appear in all copies',
    ],
  },
  {
    id: '0BSD',
    all: [
      'permission to use copy modify and/or distribute this software for any purpose with or without fee is hereby granted',
    ],
    none: ['provided that the above copyright notice and this permission notice appear in all copies'],
  },
  {
    id: 'BSD-3-Clause',
    all: [
      'redistribution and use in source and binary forms with or without modification are permitted',
      'redistributions of source code must retain the above copyright notice',
      'redistributions in binary form must reproduce the above copyright notice',
      'may be used to endorse or promote products derived from this software without specific prior written permission',
    ],
    none: ['all advertising materials mentioning features or use of this software'],
  },
  {
    id: 'BSD-2-Clause',
    all: [
      'redistribution and use in source and binary forms with or without modification are permitted',
      'redistributions of source code must retain the above copyright notice',
      'redistributions in binary form must reproduce the above copyright notice',
    ],
    none: ['endorse or promote products derived from this software', 'all advertising materials mentioning'],
  },
  { id: 'Unlicense', all: ['this is free and unencumbered software released into the public domain'] },
  { id: 'CC0-1.0', all: ['cc0 1 0 universal'] },
];

/** Lower case, quotes dropped, everything but letters, digits and `/` as single spaces. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‘’“”"'`]/g, '')
    .replace(/[^a-z0-9/]+/g, ' ')
    .replace(/ ?\/ ?/g, '/')
    .trim();
}

const MAX_LICENSE_TEXT = 256 * 1024;

/** The SPDX identifier of the licence a LICENSE file holds, or none when it is not recognised. */
export function classifyLicenseText(text: string): string[] {
  const normalized = normalize(text.slice(0, MAX_LICENSE_TEXT));
  for (const rule of RULES) {
    if (!rule.all.every((phrase) => normalized.includes(phrase))) continue;
    if (rule.none?.some((phrase) => normalized.includes(phrase))) continue;
    return [rule.id];
  }
  return [];
}

/** File names Trivy looks at for a package's licence text. */
export function isLicenseFileName(name: string): boolean {
  return /^(licen[cs]e|copying)([.-][a-z0-9.]+)?$/i.test(name);
}

/**
 * Splits a free-text licence list the way Trivy does (`MIT, Apache-2.0`, `GPL-2.0 or MIT`),
 * keeping `…, Version 2` tails with the licence they qualify.
 */
export function splitLicenses(text: string): string[] {
  if (text === '') return [];
  const licenses: string[] = [];
  for (const part of text.split(/,?[_ ]+(?:or|and)[_ ]+|,[ ]*/)) {
    const lower = part.toLowerCase();
    if ((lower.startsWith('ver ') || lower.startsWith('version ')) && licenses.length > 0) {
      licenses[licenses.length - 1] += `, ${part}`;
    } else {
      licenses.push(part);
    }
  }
  return licenses;
}
