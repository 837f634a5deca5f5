import type { OS, Repository } from '../../analyzer/types.ts';
import type { Logger } from '../../log/index.ts';
import type { RawFinding } from '../finding.ts';
import type { DetectablePackage } from '../types.ts';
import { alpineDriver, chainguardDriver, minimosDriver, wolfiDriver } from './apk-family.ts';
import { debianDriver, echoDriver, ubuntuDriver } from './debian-family.ts';
import type { OsDetectContext, OsDriver } from './driver.ts';
import { redHatDriver } from './redhat.ts';
import {
  almaDriver,
  amazonDriver,
  azureLinuxDriver,
  bottlerocketDriver,
  marinerDriver,
  oracleDriver,
  photonDriver,
  rockyDriver,
  suseDriver,
} from './rpm-family.ts';

/** Detectors by OS family, with Trivy's family names (pkg/fanal/types OSType). */
export const OS_DRIVERS: ReadonlyMap<string, OsDriver> = new Map<string, OsDriver>([
  ['alpine', alpineDriver],
  ['alma', almaDriver],
  ['amazon', amazonDriver],
  ['azurelinux', azureLinuxDriver],
  ['bottlerocket', bottlerocketDriver],
  ['cbl-mariner', marinerDriver],
  ['centos', redHatDriver],
  ['chainguard', chainguardDriver],
  ['debian', debianDriver],
  ['echo', echoDriver],
  ['minimos', minimosDriver],
  ['opensuse-leap', suseDriver('opensuse-leap')],
  ['opensuse-tumbleweed', suseDriver('opensuse-tumbleweed')],
  ['oracle', oracleDriver],
  ['photon', photonDriver],
  ['redhat', redHatDriver],
  ['rocky', rockyDriver],
  ['sles', suseDriver('sles')],
  ['slem', suseDriver('slem')],
  ['ubuntu', ubuntuDriver()],
  ['wolfi', wolfiDriver],
]);

export interface OsFindings {
  findings: RawFinding[];
  eosl: boolean;
  supported: boolean;
}

/** `gpg-pubkey` entries in rpm databases are keys, not software: never matched (Trivy drops them too). */
const NOT_SOFTWARE = new Set(['gpg-pubkey']);

/**
 * Trivy's ospkg Detector: picks the family's driver, asks it whether the release is past its end
 * of life, drops packages that advisories cannot describe (keys; third-party repositories unless
 * the driver's feed covers them), and detects.
 */
export function detectOsFindings(
  os: OS,
  repository: Repository | undefined,
  packages: readonly DetectablePackage[],
  context: OsDetectContext,
  drivers: ReadonlyMap<string, OsDriver> = OS_DRIVERS,
): OsFindings {
  const driver = drivers.get(os.Family);
  if (driver === undefined) return { findings: [], eosl: false, supported: false };
  // Ubuntu Pro images: the OS analyzer flags ESM and the release name gets its `-ESM` suffix.
  const osVersion = os.Extended && !os.Name.endsWith('-ESM') ? `${os.Name}-ESM` : os.Name;
  const eosl = !driver.isSupported(os.Family, osVersion, context.now, context.logger);
  const candidates = packages.filter((pkg) => !NOT_SOFTWARE.has(pkg.Name));
  const detected = driver.keepsThirdPartyPackages ? candidates : dropThirdPartyPackages(candidates, context.logger);
  return { findings: driver.detect(osVersion, repository, detected, context), eosl, supported: true };
}

/** Packages installed from third-party repositories (EPEL, Docker…): the vendor's advisories do not describe them. */
export function dropThirdPartyPackages(packages: readonly DetectablePackage[], logger: Logger): DetectablePackage[] {
  const kept = packages.filter((pkg) => pkg.Repository?.Class !== 'third-party');
  if (kept.length < packages.length) {
    const skipped = packages.filter((pkg) => pkg.Repository?.Class === 'third-party').map((pkg) => pkg.Name);
    logger.debug(`Skipping third-party packages: ${skipped.join(', ')}`);
  }
  return kept;
}
