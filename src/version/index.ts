/**
 * Version comparison and range matching for every ecosystem Vigil scans, with the semantics of
 * the libraries Trivy uses, so findings match Trivy's. One interface (`VersionScheme`), one
 * instance per scheme in a registry (`versionScheme(name)`), and the advisory rules built on them.
 */
import { versionScheme } from './registry.ts';
import type { Checked, Comparison, MatchOptions, SchemeName } from './types.ts';

export type { AdvisoryRanges, AdvisoryVerdict } from './advisory.ts';
export { advisoryFixedVersion, isVulnerable, matchAdvisory } from './advisory.ts';
export type { Ecosystem, LanguageEcosystem } from './ecosystem.ts';
export {
  advisoryBucketPrefix,
  ecosystemMatchOptions,
  ecosystemScheme,
  languageEcosystem,
  normalizePackageName,
  UNCHECKED_APPLICATION_TYPES,
} from './ecosystem.ts';
export { matchMavenRange } from './maven.ts';
export { mavenVersionsEqual } from './maven-version.ts';
export type { AlpineAdvisoryVersions, OsSchemeName } from './os-packages.ts';
export {
  formatPackageVersion,
  isAlpineVulnerable,
  isOlderThanFixed,
  osVersionScheme,
} from './os-packages.ts';
export { isSchemeName, SCHEME_NAMES, versionScheme } from './registry.ts';
export type { Checked, Comparison, MatchOptions, SchemeName, VersionScheme } from './types.ts';

/** Orders two versions in a scheme; an error value when either does not parse. */
export function compareVersions(scheme: SchemeName, a: string, b: string): Checked<Comparison> {
  return versionScheme(scheme).compare(a, b);
}

/** Whether a version satisfies a constraint in the scheme's syntax; an error value for bad input. */
export function satisfiesConstraint(
  scheme: SchemeName,
  version: string,
  constraint: string,
  options?: MatchOptions,
): Checked<boolean> {
  return versionScheme(scheme).satisfies(version, constraint, options);
}
