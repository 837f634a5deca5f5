import { flattenRedHatAdvisories, RED_HAT_BUCKET, severityName } from '../../db/trivydb/index.ts';
import { VigilError } from '../../errors/index.ts';
import { isOlderThanFixed } from '../../version/index.ts';
import { lookupAdvisories, type StoredAdvisory } from '../advisory-store.ts';
import { osFinding, type RawFinding } from '../finding.ts';
import type { DetectablePackage } from '../types.ts';
import { byVulnerabilityId, modularPackageName, type OsDetectContext, type OsDriver } from './driver.ts';
import { CENTOS_EOL, REDHAT_EOL } from './eol-dates.ts';
import { formatOsVersion } from './package-version.ts';
import { majorVersion, supportedUntilEol } from './release.ts';
import { rpmVersionText } from './rpm-version-text.ts';

/** Content sets assumed for an image without build information (Trivy's defaults per major release). */
const DEFAULT_CONTENT_SETS: Readonly<Record<string, readonly string[]>> = {
  '6': ['rhel-6-server-rpms', 'rhel-6-server-extras-rpms'],
  '7': ['rhel-7-server-rpms', 'rhel-7-server-extras-rpms'],
  '8': ['rhel-8-for-x86_64-baseos-rpms', 'rhel-8-for-x86_64-appstream-rpms'],
  '9': ['rhel-9-for-x86_64-baseos-rpms', 'rhel-9-for-x86_64-appstream-rpms'],
};

/** Image builds add `__8`-style suffixes to content sets; EUS sets (`__9_DOT_2`) keep theirs. */
function cleanContentSet(contentSet: string): string {
  return contentSet.replace(/__\d+$/, '');
}

interface CpeQuery {
  repositories: string[];
  nvrs: string[];
}

function cpeQuery(major: string, pkg: DetectablePackage): CpeQuery {
  if (pkg.BuildInfo === undefined) {
    return { repositories: [...(DEFAULT_CONTENT_SETS[major] ?? [])], nvrs: [] };
  }
  return {
    repositories: (pkg.BuildInfo.ContentSets ?? []).map(cleanContentSet),
    nvrs: [`${pkg.BuildInfo.Nvr ?? ''}-${pkg.BuildInfo.Arch ?? ''}`],
  };
}

/**
 * Red Hat Enterprise Linux and CentOS (Trivy pkg/detector/ospkg/redhat): one `Red Hat` bucket for
 * every release, binary names with the module stream prefix. An advisory entry applies when its
 * CPE indices meet those of the image's content sets (from build information, else the release's
 * defaults) or NVR, and its architectures include the package's. Per CVE the entry with the
 * highest fixed version wins; an unfixed entry stands only when no entry has a fix. Severities
 * are Red Hat's, per package.
 */
export const redHatDriver: OsDriver = {
  isSupported(family, osVersion, now, logger) {
    return supportedUntilEol(
      family === 'centos' ? CENTOS_EOL : REDHAT_EOL,
      family,
      majorVersion(osVersion),
      now,
      logger,
    );
  },
  detect(osVersion, _repository, packages, context) {
    const major = majorVersion(osVersion);
    const indicesByQuery = new Map<string, number[]>();
    const findings: RawFinding[] = [];
    for (const pkg of packages) {
      const query = cpeQuery(major, pkg);
      const key = JSON.stringify(query);
      let indices = indicesByQuery.get(key);
      if (indices === undefined) {
        indices = lookupAdvisories('Red Hat advisories', () => context.store.redHatCpeIndices(query));
        indicesByQuery.set(key, indices);
      }
      if (indices.length === 0) throw missingCpeIndices(query);
      findings.push(...detectPackage(pkg, indices, context));
    }
    return findings;
  },
};

function missingCpeIndices(query: CpeQuery): VigilError {
  const sets = query.repositories.length > 0 ? query.repositories.join(', ') : 'none';
  const nvrs = query.nvrs.length > 0 ? query.nvrs.join(', ') : 'none';
  return new VigilError(
    'REDHAT_CPE_MISSING',
    `failed to get Red Hat advisories: unable to find CPE indices (content sets: ${sets}; NVR: ${nvrs}). ` +
      'See https://github.com/aquasecurity/trivy-db/issues/435 for details',
    { hint: 'the DB has no Red Hat CPE mapping for this image; update it with vigil db pull' },
  );
}

function detectPackage(pkg: DetectablePackage, indices: number[], context: OsDetectContext): RawFinding[] {
  const name = modularPackageName(pkg.Name, pkg.Modularitylabel);
  const advisories: StoredAdvisory[] = lookupAdvisories('Red Hat advisories', () =>
    flattenRedHatAdvisories(
      context.store.redHatEntries(name),
      new Set(indices),
      context.store.dataSource(RED_HAT_BUCKET),
    ),
  );
  const chosen = new Map<string, StoredAdvisory>();
  const fixed = new Map<string, StoredAdvisory[]>();
  for (const advisory of advisories) {
    // No architectures, or a noarch package: every architecture is affected.
    const arches = advisory.Arches ?? [];
    if (arches.length > 0 && pkg.Arch !== 'noarch' && !arches.includes(pkg.Arch ?? '')) continue;
    const id = advisory.VulnerabilityID;
    if (!advisory.FixedVersion) {
      if (!chosen.has(id)) chosen.set(id, advisory);
      continue;
    }
    fixed.set(id, [...(fixed.get(id) ?? []), advisory]);
  }
  for (const [id, candidates] of fixed) {
    let winner = candidates[0] as StoredAdvisory;
    for (const candidate of candidates.slice(1)) {
      const newer = isOlderThanFixed('rpm', winner.FixedVersion ?? '', candidate.FixedVersion ?? '');
      if (newer.ok && newer.value) winner = candidate;
    }
    chosen.set(id, winner);
  }

  const installedVersion = formatOsVersion(pkg);
  const findings: RawFinding[] = [];
  for (const advisory of chosen.values()) {
    const fixedVersion = advisory.FixedVersion ?? '';
    if (fixedVersion !== '') {
      const older = isOlderThanFixed('rpm', installedVersion, fixedVersion);
      if (!older.ok || !older.value) continue;
    }
    findings.push(
      osFinding(pkg, advisory, {
        installedVersion,
        fixedVersion: fixedVersion === '' ? '' : rpmVersionText(fixedVersion),
        vendorIds: advisory.VendorIDs,
        status: advisory.Status,
        severity: severityName(advisory.Severity),
        severitySource: 'redhat',
      }),
    );
  }
  return findings.sort(byVulnerabilityId);
}
