import { ParsedVersionScheme, type VersionPredicate } from './scheme-base.ts';
import {
  compareSemanticVersions,
  parseSemanticVersion,
  type SemanticVersion,
  semanticConstraintPredicate,
} from './semver.ts';
import type { Checked, Comparison, MatchOptions } from './types.ts';

/**
 * Bitnami package versions, as Trivy reads them through github.com/bitnami/go-version:
 * `MAJOR.MINOR.PATCH[-revision][+build]`, where the revision is Bitnami's package rebuild number
 * and sorts after the bare version (`1.2.3` < `1.2.3-0` < `1.2.3-1`). Constraints are the SemVer
 * scheme's, with revisions never treated as pre-releases.
 */
export class BitnamiScheme extends ParsedVersionScheme<SemanticVersion> {
  readonly name = 'bitnami';

  protected parseVersion(version: string): Checked<SemanticVersion> {
    return parseSemanticVersion(version);
  }

  protected compareParsed(a: SemanticVersion, b: SemanticVersion): Comparison {
    return compareSemanticVersions(a, b, true);
  }

  protected parseConstraint(constraint: string, options: MatchOptions): Checked<VersionPredicate<SemanticVersion>> {
    return semanticConstraintPredicate(constraint, options, true);
  }
}
