import { osConstraintPredicate } from './os-constraint.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, ok, sign } from './types.ts';

/**
 * Debian and Ubuntu package versions, `[epoch:]upstream[-revision]` (deb-version(7)), ordered as
 * `dpkg --compare-versions` orders them. Trivy compares with knqyf263/go-deb-version, which agrees
 * with dpkg on every valid version except three leniencies kept here (`_` is accepted, `:` in the
 * upstream part needs no epoch) and two strictnesses taken from dpkg: a `-` must be followed by a
 * revision, and digit runs compare exactly at any length (go-deb-version caps them at 2^63-1).
 * Trivy also uses this order for Amazon Linux and to parse Bitnami package versions.
 */
export interface DebianVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

const UPSTREAM_CHARACTERS = /^[0-9][0-9A-Za-z.+~:_-]*$/;
const REVISION_CHARACTERS = /^[0-9A-Za-z.+~_]+$/;
/** dpkg refuses epochs above INT_MAX. */
const MAX_EPOCH = 2147483647;

export function parseDebianVersion(input: string): Checked<DebianVersion> {
  const text = input.trim();
  if (text === '') return failure('version string is empty');
  let rest = text;
  let epoch = 0;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const epochText = text.slice(0, colon);
    if (!/^[0-9]+$/.test(epochText)) return failure(`epoch '${epochText}' is not a number`);
    epoch = Number(epochText);
    if (epoch > MAX_EPOCH) return failure(`epoch '${epochText}' is too big`);
    rest = text.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '') return failure('upstream_version is empty');
  if (!/^[0-9]/.test(upstream)) return failure('upstream_version must start with digit');
  if (!UPSTREAM_CHARACTERS.test(upstream)) return failure('upstream_version includes invalid character');
  if (dash >= 0 && revision === '') return failure('debian_revision is empty');
  if (revision !== '' && !REVISION_CHARACTERS.test(revision)) {
    return failure('debian_revision includes invalid character');
  }
  return ok({ epoch, upstream, revision });
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** dpkg's character weight: `~` before the end of the string, the end before letters, letters before the rest. */
function weight(text: string, index: number): number {
  if (index >= text.length) return 0;
  const code = text.charCodeAt(index);
  if (isDigit(code)) return 0;
  if (isLetter(code)) return code;
  if (code === 126) return -1;
  return code + 256;
}

/** dpkg's verrevcmp: alternate non-digit runs (by weight) and digit runs (by value). */
export function compareDebianPart(a: string, b: string): Comparison {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const difference = weight(a, i) - weight(b, j);
      if (difference !== 0) return sign(difference);
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    let firstDifference = 0;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDifference === 0) firstDifference = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDifference !== 0) return sign(firstDifference);
  }
  return 0;
}

export function compareDebianVersions(a: DebianVersion, b: DebianVersion): Comparison {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return compareDebianPart(a.upstream, b.upstream) || compareDebianPart(a.revision, b.revision);
}

export class DebianScheme extends ParsedVersionScheme<DebianVersion> {
  readonly name = 'deb';

  protected parseVersion(version: string): Checked<DebianVersion> {
    return parseDebianVersion(version);
  }

  protected compareParsed(a: DebianVersion, b: DebianVersion): Comparison {
    return compareDebianVersions(a, b);
  }

  protected parseConstraint(constraint: string): Checked<VersionPredicate<DebianVersion>> {
    return osConstraintPredicate(constraint, (v) => this.parse(v), compareDebianVersions);
  }
}
