import type { Package } from '../../types.ts';
import type { ParsedPackages } from '../application.ts';
import { isPep440Version } from './version-specifiers.ts';

export interface RequirementsOptions {
  /** Also take the lower bound of `>=` and `~=` (Trivy's comprehensive detection priority). */
  useMinVersion?: boolean;
}

/** Text of a requirements file, honouring a UTF-8 or UTF-16 byte-order mark (Windows editors). */
export function decodeRequirements(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}

/** Cuts the line at the first `key`, dropping trailing white space. */
function stripFrom(line: string, key: string): string {
  const at = line.indexOf(key);
  return at === -1 ? line : line.slice(0, at).trimEnd();
}

/** Drops `[extras]` (Trivy's quirk kept: an unclosed `[` repeats the line). */
function removeExtras(line: string): string {
  const start = line.indexOf('[');
  const end = line.indexOf(']') + 1;
  return start === -1 ? line : line.slice(0, start) + line.slice(end);
}

const NAME = /^[\p{L}\p{N}._-]*$/u;

function splitRequirement(line: string, useMinVersion: boolean): [string, string] | undefined {
  if (!useMinVersion) {
    const parts = line.split('==');
    if (parts.length !== 2) return undefined;
    return [parts[0] as string, (parts[1] as string).split(',')[0] as string];
  }
  const operator = /[=!<>~]/.exec(line);
  if (!operator) return undefined;
  const name = line.slice(0, operator.index);
  const specifiers = line.slice(operator.index).split(',');
  // A lower bound wins over a (possibly wildcard) pin: `pyjwt==1.*,>=1.2` means 1.2.
  const lower = specifiers.find((spec) => spec.startsWith('>=') || spec.startsWith('~='));
  if (lower) return [name, lower.slice(2)];
  const pinned = specifiers.find((spec) => spec.startsWith('==') && !spec.startsWith('==='));
  if (!pinned) return undefined;
  let version = pinned.slice(2);
  if (version.endsWith('.*')) version = `${version.slice(0, -1)}0`;
  return [name, version];
}

/**
 * requirements.txt: pinned `name==version` lines (and with `useMinVersion`, lower bounds),
 * with comments, environment markers, hashes, extras and line continuations stripped as Trivy
 * does. Lines that are not a valid name and PEP 440 version are skipped.
 */
export function parseRequirements(text: string, options: RequirementsOptions = {}): ParsedPackages {
  const packages: Package[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    let line = (lines[index] as string).replace(/\r$/, '');
    line = line.replaceAll(' ', '').replaceAll('\\', '');
    line = removeExtras(line);
    line = stripFrom(line, '#');
    line = stripFrom(line, ';');
    line = stripFrom(line, '--');
    const split = splitRequirement(line, options.useMinVersion ?? false);
    if (!split) continue;
    const [name, version] = split;
    if (!NAME.test(name) || !isPep440Version(version)) continue;
    packages.push({ Name: name, Version: version, Locations: [{ StartLine: index + 1, EndLine: index + 1 }] });
  }
  return { packages };
}
