import { osConstraintPredicate } from './os-constraint.ts';
import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import { type Checked, type Comparison, failure, ok } from './types.ts';

/**
 * RPM versions, `[epoch:]version[-release]`, ordered by rpmvercmp with `~` (sorts before anything,
 * even the end) and `^` (sorts after the end, before anything else). Split and order follow
 * knqyf263/go-rpm-version as Trivy uses it for Red Hat, CentOS, Alma, Rocky, Oracle, SUSE,
 * Photon, CBL-Mariner and Azure Linux: the release starts at the first `-` after the epoch, and a
 * non-numeric epoch counts as 0. (rpm itself splits at the last `-`; versions never hold one.)
 */
export interface RpmVersion {
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
}

export function parseRpmVersion(input: string): Checked<RpmVersion> {
  let rest = input;
  let epoch = 0;
  const colon = input.indexOf(':');
  if (colon >= 0) {
    // Go's strconv.Atoi after trimming leading space; anything else (or overflow) counts as 0.
    const epochText = input.slice(0, colon).replace(/^\s+/, '');
    epoch = /^[+-]?[0-9]+$/.test(epochText) ? Number(epochText) : 0;
    if (!Number.isSafeInteger(epoch)) return failure(`epoch '${epochText}' is too big`);
    rest = input.slice(colon + 1);
  }
  const dash = rest.indexOf('-');
  return ok({
    epoch,
    version: dash >= 0 ? rest.slice(0, dash) : rest,
    release: dash >= 0 ? rest.slice(dash + 1) : '',
  });
}

/** Alphabetic runs, digit runs, and `~` / `^` as segments of their own; everything else separates. */
const SEGMENT = /[a-zA-Z]+|[0-9]+|[~^]/g;

function compareSegments(a: string, b: string): Comparison {
  if (a === b) return 0;
  const left = a.match(SEGMENT) ?? [];
  const right = b.match(SEGMENT) ?? [];
  const common = Math.min(left.length, right.length);
  for (let i = 0; i < common; i++) {
    let x = left[i] as string;
    let y = right[i] as string;
    if (x === '~' || y === '~') {
      if (x !== '~') return 1;
      if (y !== '~') return -1;
    }
    if (x === '^' || y === '^') {
      if (x !== '^') return 1;
      if (y !== '^') return -1;
    }
    const xNumeric = /^[0-9]/.test(x);
    const yNumeric = /^[0-9]/.test(y);
    if (xNumeric) {
      if (!yNumeric) return 1;
      x = x.replace(/^0+/, '');
      y = y.replace(/^0+/, '');
      if (x.length !== y.length) return x.length > y.length ? 1 : -1;
    } else if (yNumeric) {
      return -1;
    }
    if (x !== y) return x < y ? -1 : 1;
  }
  if (left.length === right.length) return 0;
  // A `~` past the common part makes its side older; otherwise the side with more segments is newer.
  if (left.length > common && left[common] === '~') return -1;
  if (right.length > common && right[common] === '~') return 1;
  return left.length > right.length ? 1 : -1;
}

/** rpmvercmp on one field (version or release). */
export function compareRpmSegments(a: string, b: string): Comparison {
  return compareSegments(a, b);
}

export function compareRpmVersions(a: RpmVersion, b: RpmVersion): Comparison {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return compareSegments(a.version, b.version) || compareSegments(a.release, b.release);
}

export class RpmScheme extends ParsedVersionScheme<RpmVersion> {
  readonly name = 'rpm';

  protected parseVersion(version: string): Checked<RpmVersion> {
    return parseRpmVersion(version);
  }

  protected compareParsed(a: RpmVersion, b: RpmVersion): Comparison {
    return compareRpmVersions(a, b);
  }

  protected parseConstraint(constraint: string): Checked<VersionPredicate<RpmVersion>> {
    return osConstraintPredicate(constraint, (v) => this.parse(v), compareRpmVersions);
  }

  /** Any string is an RPM version, but an empty one satisfies no constraint (Trivy errors). */
  override satisfies(version: string, constraint: string): Checked<boolean> {
    if (version.trim() === '') return failure('version is empty');
    return super.satisfies(version, constraint);
  }
}
