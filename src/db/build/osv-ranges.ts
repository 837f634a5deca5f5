import * as pep440 from '@renovatebot/pep440';
import * as rubySemver from '@renovatebot/ruby-semver';
import semver from 'semver';

/**
 * OSV `ranges[].events` → trivy-db version constraint strings, as trivy-db's OSV sources write
 * them (pkg/vulnsrc/osv range.go): every `introduced` opens a range, `fixed` closes it exclusively
 * and is a patched version, `last_affected` closes it inclusively. A range prints as `>=A, <B`,
 * `>=A, <=B`, `>=A` or `=A` (when introduced equals last_affected), and `>=0, ` is dropped.
 */
export interface VersionRange {
  from: string;
  to?: string;
  toIncluded: boolean;
}

export function rangeText(range: VersionRange): string {
  if (range.toIncluded && range.from === range.to) return `=${range.from}`;
  if (range.to === undefined) return `>=${range.from}`;
  const upper = `${range.toIncluded ? '<=' : '<'}${range.to}`;
  return range.from === '0' ? upper : `>=${range.from}, ${upper}`;
}

export interface OsvRange {
  type?: string;
  events?: Array<{ introduced?: string; fixed?: string; last_affected?: string }>;
}

/** Vulnerable and patched version strings for one `affected` entry (GIT ranges are ignored). */
export function parseAffectedVersions(
  ecosystem: string,
  ranges: readonly OsvRange[],
  versions: readonly string[],
): { vulnerable: string[]; patched: string[] } {
  const parsed: VersionRange[] = [];
  const patched: string[] = [];
  for (const range of ranges) {
    if (range.type === 'GIT') continue;
    let current: VersionRange | undefined;
    for (const event of range.events ?? []) {
      if (event.introduced) {
        current = { from: event.introduced, toIncluded: false };
        parsed.push(current);
      } else if (event.fixed) {
        if (current !== undefined) {
          current.to = event.fixed;
          current.toIncluded = false;
        }
        patched.push(event.fixed);
      } else if (event.last_affected && current !== undefined) {
        current.to = event.last_affected;
        current.toIncluded = true;
      }
    }
  }
  const vulnerable = parsed.map(rangeText);
  const compare = comparatorFor(ecosystem);
  for (const version of versions) {
    // Listed versions already inside a range add nothing.
    if (!parsed.some((range) => rangeContains(range, version, compare))) vulnerable.push(`=${version}`);
  }
  return { vulnerable, patched };
}

type Compare = (a: string, b: string) => number | undefined;

function rangeContains(range: VersionRange, version: string, compare: Compare): boolean {
  const lower = range.from === '0' ? 1 : compare(version, range.from);
  if (lower === undefined || lower < 0) return false;
  if (range.to === undefined) return true;
  const upper = compare(version, range.to);
  if (upper === undefined) return false;
  return range.toIncluded ? upper <= 0 : upper < 0;
}

/** The version order of an OSV ecosystem; undefined when a version does not parse. */
export function comparatorFor(osvEcosystem: string): Compare {
  switch (osvEcosystem.toLowerCase()) {
    case 'pypi':
      return (a, b) => {
        try {
          return pep440.valid(a) && pep440.valid(b) ? pep440.compare(a, b) : undefined;
        } catch {
          return undefined;
        }
      };
    case 'rubygems':
      return (a, b) => {
        if (!rubySemver.valid(a) || !rubySemver.valid(b)) return undefined;
        return rubySemver.eq(a, b) ? 0 : rubySemver.gt(a, b) ? 1 : -1;
      };
    case 'maven':
      return compareGeneric;
    default:
      return (a, b) => {
        const x = semver.valid(a, { loose: true });
        const y = semver.valid(b, { loose: true });
        if (x !== null && y !== null) return semver.compare(x, y, { loose: true });
        return compareGeneric(a, b);
      };
  }
}

/** Dot/dash separated parts, numbers numerically, other parts as text. */
function compareGeneric(a: string, b: string): number {
  const left = a.split(/[.\-+_]/);
  const right = b.split(/[.\-+_]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '0';
    const y = right[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx < ny ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
