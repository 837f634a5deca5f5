import { VigilError } from '../../../errors/index.ts';
import type { AnalysisResult, Analyzer, CollectedFiles, Package } from '../../types.ts';
import { type RpmPackageInfo, rpmInstalledFileNames } from './rpm-package.ts';
import { listRpmPackages } from './rpmdb.ts';

/** Where rpm keeps its database: Berkeley DB `Packages`, NDB `Packages.db`, SQLite `rpmdb.sqlite`. */
export const RPMDB_PATHS = [
  'usr/lib/sysimage/rpm/Packages',
  'var/lib/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages.db',
  'var/lib/rpm/Packages.db',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'var/lib/rpm/rpmdb.sqlite',
] as const;

/** Databases of thousands of packages reach 100 MB and more (rpm allows 256 MB per header). */
const MAX_RPMDB_SIZE = 512 * 1024 * 1024;

// Vendors of distribution packages, whose installed files Trivy records (to skip them when it
// looks for language packages); files of third-party rpms are left for the language analyzers.
const OS_VENDORS = [
  'Amazon Linux',
  'Amazon.com',
  'CentOS',
  'Fedora Project',
  'Oracle America',
  'Red Hat',
  'AlmaLinux',
  'CloudLinux',
  'VMware',
  'SUSE',
  'openSUSE',
  'Microsoft Corporation',
  'Rocky',
];

/** Official Amazon Linux packages may carry no Vendor; their release names the distribution. */
function isDistributionPackage(info: RpmPackageInfo): boolean {
  if (info.Vendor === '') return info.Release.includes('amzn');
  return OS_VENDORS.some((vendor) => info.Vendor.startsWith(vendor));
}

/**
 * Name, version and release of a source rpm file name (`glibc-2.17-307.el7.1.src.rpm`), split as
 * yum's splitFilename does: the arch after the last dot, the release and version before the last
 * two hyphens. Undefined when the name does not have that shape.
 */
export function splitSourceRpmName(fileName: string): { name: string; version: string; release: string } | undefined {
  const base = fileName.endsWith('.rpm') ? fileName.slice(0, -4) : fileName;
  const archDot = base.lastIndexOf('.');
  if (archDot < 0) return undefined;
  const releaseDash = base.slice(0, archDot).lastIndexOf('-');
  if (releaseDash < 0) return undefined;
  const versionDash = base.slice(0, releaseDash).lastIndexOf('-');
  if (versionDash < 0) return undefined;
  return {
    name: base.slice(0, versionDash),
    version: base.slice(versionDash + 1, releaseDash),
    release: base.slice(releaseDash + 1, archDot),
  };
}

export interface RpmPackages {
  packages: Package[];
  warnings: string[];
}

/**
 * rpmdb packages as Trivy reports them: ID `name@version-release.arch`, the source package split
 * from SOURCERPM (its epoch taken from the binary, which SOURCERPM does not carry), vendor as
 * maintainer, the header's SIGMD5 as digest, installed files for distribution packages, and
 * Requires resolved through Provides to package IDs. Imported signing keys (`gpg-pubkey`) are
 * listed too, as Trivy lists them; they have no source package and no advisories.
 */
export function rpmPackagesToTrivy(list: readonly RpmPackageInfo[]): RpmPackages {
  const warnings: string[] = [];
  const provides = new Map<string, string>();
  const entries: { pkg: Package; requires: readonly string[] }[] = [];
  for (const info of list) {
    const id = `${info.Name}@${info.Version}-${info.Release}.${info.Arch}`;
    const pkg: Package = { ID: id, Name: info.Name, Version: info.Version, Release: info.Release };
    if (info.Epoch) pkg.Epoch = info.Epoch;
    pkg.Arch = info.Arch || 'None';
    const source = info.SourceRpm && info.SourceRpm !== '(none)' ? splitSourceRpmName(info.SourceRpm) : undefined;
    if (source) {
      pkg.SrcName = source.name;
      pkg.SrcVersion = source.version;
      pkg.SrcRelease = source.release;
    }
    if (info.Epoch) pkg.SrcEpoch = info.Epoch;
    if (info.License) pkg.Licenses = [info.License];
    if (info.Vendor) pkg.Maintainer = info.Vendor;
    if (info.Modularitylabel) pkg.Modularitylabel = info.Modularitylabel;
    if (info.SigMD5) pkg.Digest = `md5:${info.SigMD5}`;
    if (isDistributionPackage(info)) {
      try {
        const files = rpmInstalledFileNames(info);
        if (files.length > 0) pkg.InstalledFiles = files;
      } catch (error) {
        warnings.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    entries.push({ pkg, requires: info.Requires });
    for (const provided of info.Provides) provides.set(provided, id);
  }
  for (const { pkg, requires } of entries) {
    const ids = new Set<string>();
    for (const required of requires) {
      const id = provides.get(required);
      if (id !== undefined && id !== pkg.ID) ids.add(id);
    }
    if (ids.size > 0) pkg.DependsOn = [...ids].sort();
  }
  return { packages: entries.map((entry) => entry.pkg), warnings };
}

export const rpmAnalyzer: Analyzer = {
  type: 'rpm',
  version: 1,
  scanKinds: ['rootfs', 'image'],
  maxFileSize: MAX_RPMDB_SIZE,
  required: (path) => (RPMDB_PATHS as readonly string[]).includes(path),
  analyze: async (files: CollectedFiles): Promise<AnalysisResult> => {
    const result: AnalysisResult = { PackageInfos: [] };
    const warnings: string[] = [];
    // Each database stands alone: a corrupt one is reported without hiding the others.
    for (const path of [...files.paths()].sort()) {
      let listed: RpmPackages;
      try {
        listed = rpmPackagesToTrivy(listRpmPackages(await files.read(path)));
      } catch (error) {
        if (!(error instanceof VigilError)) throw error;
        warnings.push(`${path}: ${error.message}`);
        continue;
      }
      result.PackageInfos?.push({ FilePath: path, Packages: listed.packages });
      warnings.push(...listed.warnings.map((warning) => `${path}: ${warning}`));
    }
    if (result.PackageInfos?.length === 0) delete result.PackageInfos;
    if (warnings.length > 0) result.Warnings = warnings;
    return result;
  },
};
