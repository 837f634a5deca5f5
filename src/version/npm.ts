import semver from 'semver';
import {
  MAX_CONSTRAINT_LENGTH,
  MAX_VERSION_LENGTH,
  ParsedVersionScheme,
  type VersionPredicate,
} from './scheme-base.ts';
import { type Checked, type Comparison, failure, type MatchOptions, ok, sign } from './types.ts';

/**
 * npm versions and ranges with node-semver's semantics (the `semver` package npm itself uses):
 * x-ranges, `~`, `^`, hyphen ranges, `||`, and pre-releases matching only ranges that name the
 * same release unless `includePrerelease`. Trivy matches npm advisories with
 * aquasecurity/go-npm-version and pre-releases included; that library's extra syntax is accepted
 * too: `,` for AND, `==`, `=>` and `=<`.
 *
 * Deviation from Trivy: versions are parsed as npm parses them, so a `v` or `=` prefix and
 * surrounding spaces are accepted where go-npm-version refuses the version.
 */
export interface NpmVersion {
  readonly semver: semver.SemVer;
  readonly loose: boolean;
}

/** go-npm-version's operators rewritten to node-semver's. */
function toNodeRange(constraint: string): string {
  return constraint.replaceAll(',', ' ').replaceAll('==', '=').replaceAll('=>', '>=').replaceAll('=<', '<=');
}

function parse(version: string, loose: boolean): Checked<NpmVersion> {
  const parsed = semver.parse(version, { loose });
  return parsed === null ? failure(`invalid npm version '${version}'`) : ok({ semver: parsed, loose });
}

export class NpmScheme extends ParsedVersionScheme<NpmVersion> {
  readonly name = 'npm';

  protected parseVersion(version: string): Checked<NpmVersion> {
    return parse(version, false);
  }

  protected compareParsed(a: NpmVersion, b: NpmVersion): Comparison {
    return sign(a.semver.compare(b.semver));
  }

  protected parseConstraint(constraint: string, options: MatchOptions): Checked<VersionPredicate<NpmVersion>> {
    const nodeOptions = { loose: options.loose === true, includePrerelease: options.includePrerelease === true };
    let range: semver.Range;
    try {
      range = new semver.Range(toNodeRange(constraint), nodeOptions);
    } catch {
      return failure(`invalid npm range '${constraint}'`);
    }
    return ok((version) => range.test(version.semver));
  }

  /** With `loose`, versions are read as node-semver's loose mode reads them (`01.2.3`, `1.2.3beta`). */
  override satisfies(version: string, constraint: string, options: MatchOptions = {}): Checked<boolean> {
    if (options.loose !== true) return super.satisfies(version, constraint, options);
    if (version.length > MAX_VERSION_LENGTH) return failure(`npm version longer than ${MAX_VERSION_LENGTH} characters`);
    if (constraint.length > MAX_CONSTRAINT_LENGTH) {
      return failure(`npm constraint longer than ${MAX_CONSTRAINT_LENGTH} characters`);
    }
    const parsed = parse(version, true);
    if (!parsed.ok) return parsed;
    const predicate = this.parseConstraint(constraint, options);
    return predicate.ok ? ok(predicate.value(parsed.value)) : predicate;
  }

  /** Loose comparison, as node-semver's `compare(a, b, true)`. */
  compareLoose(a: string, b: string): Checked<Comparison> {
    const left = parse(a, true);
    if (!left.ok) return left;
    const right = parse(b, true);
    if (!right.ok) return right;
    return ok(sign(left.value.semver.compare(right.value.semver)));
  }
}
