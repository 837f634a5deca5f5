import type { Package } from '../../analyzer/types.ts';
import type { Logger } from '../../log/index.ts';
import {
  advisoryBucketPrefix,
  advisoryFixedVersion,
  type Ecosystem,
  isVulnerable,
  languageEcosystem,
  type MatchOptions,
  normalizePackageName,
  UNCHECKED_APPLICATION_TYPES,
} from '../../version/index.ts';
import { type AdvisoryStore, lookupAdvisories, type StoredAdvisory } from '../advisory-store.ts';
import type { RawFinding } from '../finding.ts';
import { DEFAULT_SUPPLIERS, lookupSupplier, type Supplier } from './suppliers.ts';

export interface LanguageDetectContext {
  readonly store: AdvisoryStore;
  readonly logger: Logger;
  readonly suppliers?: readonly Supplier[];
}

interface AdvisorySet {
  advisories: StoredAdvisory[];
  /** Options on top of the ecosystem's own (a supplier's stricter matching). */
  options: MatchOptions;
}

/**
 * Trivy's library detection (pkg/detector/library): the packages of one application are looked
 * up across every `<ecosystem>::` bucket under their normalised names (or a supplier's buckets for
 * patched builds), matched with the ecosystem's version ranges, and reported with the fixed
 * versions Trivy derives. Packages without a version are skipped.
 */
export function detectLanguageFindings(
  applicationType: string,
  packages: readonly Package[],
  context: LanguageDetectContext,
): RawFinding[] {
  const ecosystem = languageEcosystem(applicationType);
  if (ecosystem === undefined) {
    if (UNCHECKED_APPLICATION_TYPES.has(applicationType)) {
      context.logger.warn(`${applicationType} packages are inventoried but not checked for vulnerabilities`);
    } else {
      context.logger.warn(`the application type ${applicationType} is not supported for vulnerability scanning`);
    }
    return [];
  }
  const findings: RawFinding[] = [];
  for (const pkg of packages) {
    if (!pkg.Version) {
      context.logger.debug(`Skipping vulnerability scan as no version is detected for the package ${pkg.Name}`);
      continue;
    }
    const name = normalizePackageName(ecosystem.ecosystem, pkg.Name);
    const set = lookupAdvisories(`${ecosystem.ecosystem} advisories`, () =>
      advisoriesFor(ecosystem.ecosystem, name, pkg.Version, context),
    );
    for (const advisory of set.advisories) {
      const verdict = isVulnerable(ecosystem.ecosystem, pkg.Version, advisory, set.options);
      if (verdict.error !== undefined) {
        context.logger.debug(`${advisory.VulnerabilityID} for ${pkg.Name}: ${verdict.error}`);
      }
      if (verdict.vulnerable) findings.push(languageFinding(pkg, advisory));
    }
  }
  return findings;
}

function advisoriesFor(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  context: LanguageDetectContext,
): AdvisorySet {
  const supplied = lookupSupplier(context.suppliers ?? DEFAULT_SUPPLIERS, ecosystem, name, version);
  if (supplied !== undefined) {
    const advisories = context.store.ecosystem(supplied.supplier.bucketPrefix(ecosystem), name);
    // A candidate (a suffix real packages may carry too) counts only when the supplier knows the package.
    if (supplied.match === 'matched' || advisories.length > 0) {
      return { advisories, options: supplied.supplier.matchOptions(ecosystem) ?? {} };
    }
  }
  return { advisories: context.store.ecosystem(advisoryBucketPrefix(ecosystem), name), options: {} };
}

function languageFinding(pkg: Package, advisory: StoredAdvisory): RawFinding {
  const finding: RawFinding = { VulnerabilityID: advisory.VulnerabilityID, PkgName: pkg.Name, InstalledVersion: '' };
  if (advisory.VendorIDs !== undefined && advisory.VendorIDs.length > 0) finding.VendorIDs = [...advisory.VendorIDs];
  if (pkg.ID) finding.PkgID = pkg.ID;
  finding.PkgName = pkg.Name;
  if (pkg.FilePath) finding.PkgPath = pkg.FilePath;
  if (pkg.Identifier !== undefined) finding.PkgIdentifier = { ...pkg.Identifier };
  finding.InstalledVersion = pkg.Version;
  const fixed = advisoryFixedVersion(advisory);
  if (fixed) finding.FixedVersion = fixed;
  if (pkg.Layer !== undefined && (pkg.Layer.Digest || pkg.Layer.DiffID || pkg.Layer.CreatedBy)) {
    finding.Layer = { ...pkg.Layer };
  }
  if (advisory.DataSource !== undefined) finding.DataSource = { ...advisory.DataSource };
  if (advisory.Custom !== undefined) finding.Custom = advisory.Custom;
  return finding;
}
