import type { OsDriver } from './driver.ts';
import { DEBIAN_EOL, UBUNTU_EOL } from './eol-dates.ts';
import { fixedVersionDriver } from './fixed-version-driver.ts';
import { type EolTable, majorVersion, supportedUntilEol } from './release.ts';

/**
 * Debian (Trivy pkg/detector/ospkg/debian): bucket `debian <major>`, source package names, dpkg
 * order on the source version; an advisory without a fixed version is an unfixed finding with the
 * tracker's status; an urgency on the advisory is a package-specific severity.
 */
export const debianDriver: OsDriver = fixedVersionDriver({
  label: 'debian',
  scheme: 'deb',
  bucket: (osVersion) => `debian ${majorVersion(osVersion)}`,
  packageName: (pkg) => pkg.SrcName || pkg.Name,
  compares: 'source',
  reportsUnfixed: true,
  keepsStatusAndVendorIds: true,
  packageSeveritySource: 'debian',
  eol: { debian: DEBIAN_EOL },
  eolRelease: majorVersion,
});

/**
 * Echo (Trivy pkg/detector/ospkg/echo): a Debian-based rolling distribution with its own feed in
 * one `echo` bucket, which also covers the third-party packages it ships.
 */
export const echoDriver: OsDriver = fixedVersionDriver({
  label: 'echo',
  scheme: 'deb',
  bucket: () => 'echo',
  packageName: (pkg) => pkg.SrcName || pkg.Name,
  compares: 'source',
  reportsUnfixed: true,
  packageSeveritySource: 'echo',
  rolling: true,
  keepsThirdPartyPackages: true,
});

/**
 * Ubuntu (Trivy pkg/detector/ospkg/ubuntu): bucket `ubuntu <major.minor>`. A `-ESM` release (Ubuntu
 * Pro) uses its own bucket only when the EOL table lists it or the base release is past its end of
 * life; while the base release is supported its bucket applies. The table is a parameter so tests
 * can give Trivy's test table.
 */
export function ubuntuDriver(eol: EolTable = UBUNTU_EOL): OsDriver {
  const release = (osVersion: string, now: Date): string => {
    if (eol.has(osVersion)) return osVersion;
    const base = osVersion.replace(/[-ESM]+$/, '');
    const baseEol = eol.get(base);
    return baseEol !== undefined && now.getTime() < baseEol.getTime() ? base : osVersion;
  };
  const driver = fixedVersionDriver({
    label: 'Ubuntu',
    scheme: 'deb',
    bucket: (osVersion, _repository, context) => `ubuntu ${release(osVersion, context.now)}`,
    packageName: (pkg) => pkg.SrcName || pkg.Name,
    compares: 'source',
    reportsUnfixed: true,
  });
  return {
    detect: driver.detect,
    isSupported: (family, osVersion, now, logger) =>
      supportedUntilEol(eol, family, release(osVersion, now), now, logger),
  };
}
