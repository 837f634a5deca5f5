import type { StoredAdvisory } from '../advisory-store.ts';
import type { DetectablePackage } from '../types.ts';
import { advisoriesForArch, modularPackageName, type OsDriver } from './driver.ts';
import {
  ALMA_EOL,
  AMAZON_EOL,
  MARINER_EOL,
  OPENSUSE_LEAP_EOL,
  ORACLE_EOL,
  PHOTON_EOL,
  ROCKY_EOL,
  SLE_MICRO_EOL,
  SLES_EOL,
} from './eol-dates.ts';
import { fixedVersionDriver } from './fixed-version-driver.ts';
import { majorVersion, minorVersion } from './release.ts';
import { rpmVersionText } from './rpm-version-text.ts';

/** Amazon Linux releases with their own bucket; anything else (2018.03, …) is Amazon Linux 1. */
const AMAZON_RELEASES = new Set(['2', '2022', '2023']);

function amazonRelease(osVersion: string): string {
  const release = majorVersion(osVersion.trim().split(/\s+/)[0] ?? '');
  return AMAZON_RELEASES.has(release) ? release : '1';
}

/**
 * Amazon Linux (Trivy pkg/detector/ospkg/amazon): bucket `amazon linux <1|2|2022|2023>`, binary
 * package names, and (as Trivy does) Debian version order on the full binary version.
 */
export const amazonDriver: OsDriver = fixedVersionDriver({
  label: 'amazon',
  scheme: 'deb',
  bucket: (osVersion) => `amazon linux ${amazonRelease(osVersion)}`,
  packageName: (pkg) => pkg.Name,
  compares: 'binary',
  reportsUnfixed: false,
  eol: { amazon: AMAZON_EOL },
  eolRelease: amazonRelease,
});

const byArch = (pkg: DetectablePackage, advisories: StoredAdvisory[]) => advisoriesForArch(advisories, pkg.Arch);

/**
 * AlmaLinux: bucket `alma <major>`, binary names with the module stream prefix, per-architecture
 * fixed versions. A module build (`.module_el` release) without its modularity label cannot be
 * matched to a stream, so it is skipped as Trivy does.
 */
export const almaDriver: OsDriver = fixedVersionDriver({
  label: 'AlmaLinux',
  scheme: 'rpm',
  bucket: (osVersion) => `alma ${majorVersion(osVersion)}`,
  packageName: (pkg) => modularPackageName(pkg.Name, pkg.Modularitylabel),
  compares: 'binary',
  reportsUnfixed: false,
  skipPackage: (pkg) =>
    !pkg.Modularitylabel && (pkg.Release ?? '').includes('.module_el')
      ? 'a module package without its label'
      : undefined,
  advisoriesFor: byArch,
  fixedVersionText: rpmVersionText,
  eol: { alma: ALMA_EOL },
  eolRelease: majorVersion,
});

/** Rocky Linux: bucket `rocky <major>`, module stream prefix, per-architecture fixed versions. */
export const rockyDriver: OsDriver = fixedVersionDriver({
  label: 'Rocky Linux',
  scheme: 'rpm',
  bucket: (osVersion) => `rocky ${majorVersion(osVersion)}`,
  packageName: (pkg) => modularPackageName(pkg.Name, pkg.Modularitylabel),
  compares: 'binary',
  reportsUnfixed: false,
  advisoriesFor: byArch,
  fixedVersionText: rpmVersionText,
  eol: { rocky: ROCKY_EOL },
  eolRelease: majorVersion,
});

/**
 * Oracle Linux builds one package in flavours: plain, FIPS (`_fips`) and Ksplice user-space
 * patches (`.ksplice1.`, `.ksplice2.`). An advisory applies only to packages of its own flavour.
 */
function oracleFlavour(version: string): string {
  const lower = version.toLowerCase();
  const ksplice = lower.split('.').find((part) => part.startsWith('ksplice'));
  if (ksplice !== undefined) return ksplice;
  return lower.includes('_fips') ? 'fips' : '';
}

/** Oracle Linux: bucket `Oracle Linux <major>`, binary names, per-architecture fixes of the same flavour. */
export const oracleDriver: OsDriver = fixedVersionDriver({
  label: 'Oracle Linux',
  lookupSubject: 'Oracle Linux advisory',
  scheme: 'rpm',
  bucket: (osVersion) => `Oracle Linux ${majorVersion(osVersion)}`,
  packageName: (pkg) => pkg.Name,
  compares: 'binary',
  reportsUnfixed: false,
  advisoriesFor: (pkg, advisories) => {
    const flavour = oracleFlavour(pkg.Release ?? '');
    return byArch(pkg, advisories).filter((advisory) => oracleFlavour(advisory.FixedVersion ?? '') === flavour);
  },
  fixedVersionText: rpmVersionText,
  eol: { oracle: ORACLE_EOL },
  eolRelease: majorVersion,
});

/** SUSE products and the bucket names trivy-db files their CVRF advisories under. */
const SUSE_BUCKETS: Readonly<Record<string, (osVersion: string) => string>> = {
  sles: (v) => `SUSE Linux Enterprise ${v}`,
  slem: (v) => `SUSE Linux Enterprise Micro ${v}`,
  'opensuse-leap': (v) => `openSUSE Leap ${v}`,
  'opensuse-tumbleweed': () => 'openSUSE Tumbleweed',
};

/** SUSE Linux Enterprise (Server, Micro) and openSUSE Leap/Tumbleweed: binary names, rpm order. */
export function suseDriver(family: keyof typeof SUSE_BUCKETS & string): OsDriver {
  const bucket = SUSE_BUCKETS[family] ?? ((v: string) => `SUSE Linux Enterprise ${v}`);
  return fixedVersionDriver({
    label: 'SUSE',
    lookupSubject: 'SUSE advisory',
    scheme: 'rpm',
    bucket,
    packageName: (pkg) => pkg.Name,
    compares: 'binary',
    reportsUnfixed: false,
    fixedVersionText: rpmVersionText,
    eol: { sles: SLES_EOL, slem: SLE_MICRO_EOL, 'opensuse-leap': OPENSUSE_LEAP_EOL },
    rolling: family === 'opensuse-tumbleweed',
  });
}

/** Photon OS: bucket `Photon OS <version>`, source names, rpm order. */
export const photonDriver: OsDriver = fixedVersionDriver({
  label: 'Photon Linux',
  lookupSubject: 'Photon Linux advisory',
  scheme: 'rpm',
  bucket: (osVersion) => `Photon OS ${osVersion}`,
  packageName: (pkg) => pkg.SrcName || pkg.Name,
  compares: 'binary',
  reportsUnfixed: false,
  fixedVersionText: rpmVersionText,
  eol: { photon: PHOTON_EOL },
});

/**
 * Azure Linux and CBL-Mariner: bucket `<product> <major.minor>`, source names (their OVAL lists
 * source packages only) and source versions; advisories without a fix are unfixed findings.
 */
function azureDriver(product: string): OsDriver {
  return fixedVersionDriver({
    label: 'Azure Linux',
    scheme: 'rpm',
    bucket: (osVersion) => `${product} ${minorVersion(osVersion)}`,
    packageName: (pkg) => pkg.SrcName || pkg.Name,
    compares: 'source',
    reportsUnfixed: true,
    fixedVersionText: rpmVersionText,
    eol: { 'cbl-mariner': MARINER_EOL },
    eolRelease: minorVersion,
  });
}

export const azureLinuxDriver = azureDriver('Azure Linux');
export const marinerDriver = azureDriver('CBL-Mariner');

/** Bottlerocket: one `bottlerocket` bucket from its update advisories; binary names, rpm order. */
export const bottlerocketDriver: OsDriver = fixedVersionDriver({
  label: 'Bottlerocket',
  scheme: 'rpm',
  bucket: () => 'bottlerocket',
  packageName: (pkg) => pkg.Name,
  compares: 'binary',
  reportsUnfixed: false,
  fixedVersionText: rpmVersionText,
  rolling: true,
});
