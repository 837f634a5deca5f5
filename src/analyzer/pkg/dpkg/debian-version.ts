/** A Debian version split into its parts: `[epoch:]upstream[-revision]`. */
export interface DebianVersionParts {
  epoch: number;
  upstream: string;
  revision: string;
}

// After a leading ASCII digit, letters and digits in any script are accepted, as go-deb-version
// (Trivy's parser) does.
const UPSTREAM = /^[0-9][\p{L}\p{Nd}.+~:_-]*$/u;
const REVISION = /^[\p{L}\p{Nd}+.~_]*$/u;

/**
 * Splits a Debian version the way Trivy does (go-deb-version): the epoch before the first colon,
 * the revision after the last hyphen. Returns undefined for a version Trivy rejects, which drops
 * the package.
 */
export function splitDebianVersion(version: string): DebianVersionParts | undefined {
  let rest = version.trim();
  let epoch = 0;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const digits = rest.slice(0, colon);
    if (!/^[+-]?\d+$/.test(digits)) return undefined;
    epoch = Number(digits);
    if (epoch < 0 || !Number.isSafeInteger(epoch)) return undefined;
    rest = rest.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (!UPSTREAM.test(upstream) || !REVISION.test(revision)) return undefined;
  return { epoch, upstream, revision };
}
