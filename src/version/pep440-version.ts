import {
  compareLists,
  INFINITY,
  listPart,
  NEGATIVE_INFINITY,
  normalizeParts,
  numberPart,
  type Part,
  padParts,
  parseUint64,
} from './go-parts.ts';
import { type Checked, type Comparison, failure, ok } from './types.ts';

/**
 * A Python version (PEP 440) as aquasecurity/go-pep440-version parses and orders it, following
 * pypa/packaging: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]` with the spelling variants PEP 440
 * normalises (`alpha`, `c`, `pre`, `preview`, `rev`, `r`, `-N` post-releases, `_`/`-`/`.`
 * separators, a `v` prefix, any case).
 */
export interface Pep440Version {
  readonly epoch: bigint;
  readonly release: readonly bigint[];
  /** `a`, `b` or `rc`, or '' for none. */
  readonly preLetter: string;
  readonly preNumber: bigint;
  /** `post`, or '' for none. */
  readonly postLetter: string;
  readonly postNumber: bigint;
  /** `dev`, or '' for none. */
  readonly devLetter: string;
  readonly devNumber: bigint;
  /** Lower-cased local label, '' for none. */
  readonly local: string;
}

/** The version pattern without anchors (go-pep440-version `regex`); used case-insensitively. */
export const PEP440_PATTERN =
  String.raw`v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)` +
  `(?<pre>[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?` +
  `(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?` +
  `(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)` +
  String.raw`(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?`;

const WHOLE_VERSION = new RegExp(String.raw`^\s*${PEP440_PATTERN}\s*$`, 'i');

const PRE_RELEASE_ALIASES: Readonly<Record<string, string>> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  rc: 'rc',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
};

export function parsePep440Version(text: string): Checked<Pep440Version> {
  const groups = WHOLE_VERSION.exec(text)?.groups;
  if (groups === undefined) return failure(`malformed version: ${text}`);
  const number = (raw: string | undefined): bigint | undefined => (raw === undefined ? 0n : parseUint64(raw));
  const release = (groups.release ?? '').split('.').map((segment) => parseUint64(segment));
  const fields = [groups.epoch, groups.preN, groups.postN1 ?? groups.postN2, groups.devN].map(number);
  if ([...release, ...fields].some((value) => value === undefined)) {
    return failure(`failed to parse version (${text}): number out of range`);
  }
  const [epoch, preNumber, postNumber, devNumber] = fields as bigint[];
  const hasPost = groups.post !== undefined;
  return ok({
    epoch: epoch as bigint,
    release: release as bigint[],
    preLetter: groups.preL === undefined ? '' : (PRE_RELEASE_ALIASES[groups.preL.toLowerCase()] ?? ''),
    preNumber: preNumber as bigint,
    postLetter: hasPost ? 'post' : '',
    postNumber: postNumber as bigint,
    devLetter: groups.devL === undefined ? '' : 'dev',
    devNumber: devNumber as bigint,
    local: (groups.local ?? '').toLowerCase(),
  });
}

const hasPre = (v: Pep440Version) => v.preLetter !== '' || v.preNumber !== 0n;
const hasPost = (v: Pep440Version) => v.postLetter !== '' || v.postNumber !== 0n;
const hasDev = (v: Pep440Version) => v.devLetter !== '' || v.devNumber !== 0n;

export function isPep440Prerelease(v: Pep440Version): boolean {
  return hasPre(v) || hasDev(v);
}

export function isPep440PostRelease(v: Pep440Version): boolean {
  return hasPost(v);
}

/** packaging's sort key: pre, post and dev releases and local labels placed by ±infinity. */
function sortKey(v: Pep440Version, releaseLength: number): Part[] {
  const letterNumber = (letter: string, n: bigint) => listPart([{ kind: 'string', value: letter }, numberPart(n)]);
  let pre: Part = letterNumber(v.preLetter, v.preNumber);
  if (!hasPre(v) && !hasPost(v) && hasDev(v)) pre = NEGATIVE_INFINITY;
  else if (!hasPre(v)) pre = INFINITY;
  const post = hasPost(v) ? letterNumber(v.postLetter, v.postNumber) : NEGATIVE_INFINITY;
  const dev = hasDev(v) ? letterNumber(v.devLetter, v.devNumber) : INFINITY;
  const local =
    v.local === ''
      ? NEGATIVE_INFINITY
      : listPart(
          v.local.split('.').map((label): Part => {
            const n = parseUint64(label);
            return n === undefined ? { kind: 'prestring', value: label } : numberPart(n);
          }),
        );
  const release = padParts(normalizeParts(v.release.map(numberPart)), releaseLength);
  return [numberPart(v.epoch), listPart(release), pre, post, dev, local];
}

export function comparePep440Versions(a: Pep440Version, b: Pep440Version): Comparison {
  const length = Math.max(
    normalizeParts(a.release.map(numberPart)).length,
    normalizeParts(b.release.map(numberPart)).length,
  );
  return compareLists(sortKey(a, length), sortKey(b, length));
}

/** The normalised form (`1.0rc1.post2.dev3+local`), as go-pep440-version's String(). */
export function pep440ToString(v: Pep440Version): string {
  let text = `${pep440BaseVersion(v)}`;
  if (hasPre(v)) text += `${v.preLetter}${v.preNumber}`;
  if (hasPost(v)) text += `.post${v.postNumber}`;
  if (hasDev(v)) text += `.dev${v.devNumber}`;
  if (v.local !== '') text += `+${v.local}`;
  return text;
}

/** Without the local label. */
export function pep440Public(v: Pep440Version): Pep440Version {
  return { ...v, local: '' };
}

/** Epoch and release only (`1!2.3`). */
export function pep440BaseVersion(v: Pep440Version): string {
  return `${v.epoch !== 0n ? `${v.epoch}!` : ''}${v.release.join('.')}`;
}
