/**
 * Seeded random version strings for oracle cross-checks. Pairs are built from a small alphabet
 * and mutated from each other, so equal, nearly equal and tie-breaking cases are frequent; the
 * seed is fixed so a failure reproduces.
 */
export type Random = () => number;

/** mulberry32: a small, well-mixed 32-bit generator. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function number(random: Random): string {
  return pick(random, ['0', '1', '2', '9', '10', '01', '00', '123', '007', '20230101']);
}

/** A run of pieces, each a number or one of `words`, joined by separators. */
function pieces(random: Random, words: readonly string[], separators: readonly string[], max: number): string {
  const count = 1 + Math.floor(random() * max);
  let text = '';
  for (let i = 0; i < count; i++) {
    if (i > 0) text += pick(random, separators);
    text += random() < 0.6 ? number(random) : pick(random, words);
  }
  return text;
}

/** Valid dpkg versions: `[epoch:]upstream[-revision]` within dpkg's character rules. */
export function debianVersion(random: Random): string {
  const epoch = random() < 0.2 ? `${pick(random, ['0', '1', '2'])}:` : '';
  const hasRevision = random() < 0.6;
  const upstreamSeparators = ['.', '.', '+', '~', ...(hasRevision ? ['-'] : []), ...(epoch ? [':'] : [])];
  const upstream = `${number(random)}${random() < 0.8 ? pick(random, upstreamSeparators) + pieces(random, ['a', 'b', 'rc', 'dfsg', 'Z', '~', 'git'], upstreamSeparators, 4) : ''}`;
  const revision = hasRevision
    ? `-${pieces(random, ['ubuntu', 'deb', 'a', '~bpo', '+b'], ['.', '+', '~', ''], 3)}`
    : '';
  return `${epoch}${upstream}${revision}`;
}

/** RPM versions with numeric epochs and at most one `-`, where rpm and go-rpm-version split alike. */
export function rpmVersion(random: Random, caret: boolean): string {
  const epoch = random() < 0.2 ? `${pick(random, ['0', '1', '2'])}:` : '';
  const separators = ['.', '.', '_', '+', '~', ...(caret ? ['^'] : [])];
  const words = ['a', 'b', 'rc', 'el', 'git', 'fc', 'Z', 'post', '~', ...(caret ? ['^'] : [])];
  const version = pieces(random, words, separators, 4);
  const release = random() < 0.6 ? `-${pieces(random, words, separators, 3)}` : '';
  return `${epoch}${version}${release}`;
}

/** APK-shaped versions, mostly valid, sometimes not (apk rejects many shapes). */
export function apkVersion(random: Random): string {
  let text = number(random);
  const parts = Math.floor(random() * 4);
  for (let i = 0; i < parts; i++) text += `.${number(random)}`;
  if (random() < 0.3) text += pick(random, ['a', 'b', 'z', 'ab']);
  const suffixes = Math.floor(random() * 3);
  for (let i = 0; i < suffixes; i++) {
    text += `_${pick(random, ['alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p', 'foo'])}`;
    if (random() < 0.7) text += number(random);
  }
  if (random() < 0.5) text += `-r${number(random)}`;
  return text;
}

/** A variant of a version: one character changed, added or removed, so pairs are close. */
export function mutate(random: Random, version: string, alphabet: string): string {
  const position = Math.floor(random() * (version.length + 1));
  const character = alphabet[Math.floor(random() * alphabet.length)] as string;
  switch (Math.floor(random() * 3)) {
    case 0:
      return version.slice(0, position) + character + version.slice(position);
    case 1:
      return version.slice(0, position) + version.slice(position + 1);
    default:
      return version.slice(0, position) + character + version.slice(position + 1);
  }
}

/** `count` pairs: half independent, half a version against a mutation of itself. */
export function versionPairs(
  random: Random,
  count: number,
  generate: (random: Random) => string,
  alphabet: string,
): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const a = generate(random);
    pairs.push([a, i % 2 === 0 ? generate(random) : mutate(random, a, alphabet)]);
  }
  return pairs;
}
