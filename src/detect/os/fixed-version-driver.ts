import type { Repository } from '../../analyzer/types.ts';
import { severityName } from '../../db/trivydb/index.ts';
import type { Logger } from '../../log/index.ts';
import {
  type AlpineAdvisoryVersions,
  type Checked,
  isOlderThanFixed,
  type OsSchemeName,
  versionScheme,
} from '../../version/index.ts';
import { lookupAdvisories, type StoredAdvisory } from '../advisory-store.ts';
import { osFinding, type RawFinding } from '../finding.ts';
import type { DetectablePackage } from '../types.ts';
import type { OsDetectContext, OsDriver } from './driver.ts';
import { formatOsSourceVersion, formatOsVersion } from './package-version.ts';
import { type EolTable, supportedUntilEol } from './release.ts';

/**
 * The shape most of Trivy's OS detectors share: look a package up in the release's platform
 * bucket, and report each advisory whose fixed version is newer than the installed one. What
 * differs per family is declared here rather than coded again.
 */
export interface FixedVersionDriverSpec {
  /** Names the family in logs and, as "<label> advisories", in lookup errors. */
  readonly label: string;
  /** What a failed lookup failed to get, when Trivy words it otherwise ("SUSE advisory"). */
  readonly lookupSubject?: string;
  readonly scheme: OsSchemeName;
  /** The platform bucket for an OS version (and the Alpine-style repository release). */
  bucket(osVersion: string, repository: Repository | undefined, context: OsDetectContext): string;
  /** The name advisories are filed under (source or binary package). */
  packageName(pkg: DetectablePackage): string;
  /** Which version is compared with the fixed version; the binary version is always the one reported. */
  readonly compares: 'binary' | 'source';
  /** Advisories without a fixed version are findings too (the package is affected, no fix yet). */
  readonly reportsUnfixed: boolean;
  /** The advisory's own severity is package-specific and reported with this source ID. */
  readonly packageSeveritySource?: string;
  /** The advisory's status and vendor IDs (DSA, …) are passed on, as Debian's detector does. */
  readonly keepsStatusAndVendorIds?: boolean;
  /**
   * The family's own rule for whether an advisory affects the compared version (Alpine's, with
   * `AffectedVersion` as a lower bound); by default, being older than the fixed version.
   */
  isVulnerable?(installed: string, advisory: AlpineAdvisoryVersions): Checked<boolean>;
  /** Narrows or reshapes a package's advisories (per-architecture entries, flavours). */
  advisoriesFor?(pkg: DetectablePackage, advisories: StoredAdvisory[]): StoredAdvisory[];
  /** The fixed version as reported. */
  fixedVersionText?(fixedVersion: string): string;
  /** Packages this family cannot match (logged at debug level). */
  skipPackage?(pkg: DetectablePackage): string | undefined;
  /** EOL tables by family (several families may share a driver) and the release key for them. */
  readonly eol?: Readonly<Record<string, EolTable>>;
  eolRelease?(osVersion: string): string;
  /** Rolling releases are always supported. */
  readonly rolling?: boolean;
  readonly keepsThirdPartyPackages?: boolean;
}

export function fixedVersionDriver(spec: FixedVersionDriverSpec): OsDriver {
  return {
    keepsThirdPartyPackages: spec.keepsThirdPartyPackages,
    isSupported(family, osVersion, now, logger) {
      if (spec.rolling) return true;
      const release = spec.eolRelease ? spec.eolRelease(osVersion) : osVersion;
      return supportedUntilEol(spec.eol?.[family], family, release, now, logger);
    },
    detect(osVersion, repository, packages, context) {
      const bucket = spec.bucket(osVersion, repository, context);
      context.logger.debug(`${spec.label}: bucket "${bucket}", ${packages.length} packages`);
      const findings: RawFinding[] = [];
      for (const pkg of packages) {
        const skip = spec.skipPackage?.(pkg);
        if (skip !== undefined) {
          context.logger.debug(`${spec.label}: skipping ${pkg.Name}: ${skip}`);
          continue;
        }
        findings.push(...detectPackage(spec, bucket, pkg, context));
      }
      return findings;
    },
  };
}

function detectPackage(
  spec: FixedVersionDriverSpec,
  bucket: string,
  pkg: DetectablePackage,
  context: OsDetectContext,
): RawFinding[] {
  const name = spec.packageName(pkg);
  let advisories = lookupAdvisories(spec.lookupSubject ?? `${spec.label} advisories`, () =>
    context.store.platform(bucket, name),
  );
  if (advisories.length === 0) return [];
  if (spec.advisoriesFor) advisories = spec.advisoriesFor(pkg, advisories);
  const compared = spec.compares === 'source' ? formatOsSourceVersion(pkg) : formatOsVersion(pkg);
  if (compared === '' || !versionScheme(spec.scheme).isValid(compared)) {
    context.logger.debug(`${spec.label}: cannot parse the installed version "${compared}" of ${pkg.Name}`);
    return [];
  }
  const installedVersion = formatOsVersion(pkg);
  const findings: RawFinding[] = [];
  for (const advisory of advisories) {
    if (!isAffected(spec, compared, advisory, context.logger)) continue;
    const fixed = advisory.FixedVersion ?? '';
    const severity =
      spec.packageSeveritySource !== undefined && advisory.Severity ? severityName(advisory.Severity) : undefined;
    findings.push(
      osFinding(pkg, advisory, {
        installedVersion,
        fixedVersion: fixed && spec.fixedVersionText ? spec.fixedVersionText(fixed) : fixed,
        status: spec.keepsStatusAndVendorIds ? advisory.Status : undefined,
        vendorIds: spec.keepsStatusAndVendorIds ? advisory.VendorIDs : undefined,
        severity,
        severitySource: severity === undefined ? undefined : spec.packageSeveritySource,
      }),
    );
  }
  return findings;
}

function isAffected(
  spec: FixedVersionDriverSpec,
  installed: string,
  advisory: StoredAdvisory,
  logger: Logger,
): boolean {
  if (spec.isVulnerable) return verdict(spec, spec.isVulnerable(installed, advisory), advisory, logger);
  const fixed = advisory.FixedVersion ?? '';
  if (fixed === '' && spec.reportsUnfixed) return true;
  return verdict(spec, isOlderThanFixed(spec.scheme, installed, fixed), advisory, logger);
}

/** A version that does not parse makes an advisory not apply (as in Trivy), with a debug line. */
function verdict(
  spec: FixedVersionDriverSpec,
  vulnerable: Checked<boolean>,
  advisory: StoredAdvisory,
  logger: Logger,
): boolean {
  if (vulnerable.ok) return vulnerable.value;
  logger.debug(`${spec.label}: cannot compare with ${advisory.VulnerabilityID}: ${vulnerable.error}`);
  return false;
}
