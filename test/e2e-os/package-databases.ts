import { readFileSync } from 'node:fs';

/**
 * Package databases written from real package metadata: the package lists Trivy's fanal
 * integration tests record for real images (test/fixtures/os-images/packages, see SOURCES.md),
 * or short hand-written lists of real packages.
 */

/** A package as Trivy's package goldens record it (old goldens keep the revision inside Version). */
export interface ListedPackage {
  Name: string;
  Version: string;
  Release?: string;
  Epoch?: number;
  Arch?: string;
  SrcName?: string;
  SrcVersion?: string;
  SrcRelease?: string;
  SrcEpoch?: number;
  Maintainer?: string;
  Licenses?: string[];
}

export function readPackageList(path: string): ListedPackage[] {
  return JSON.parse(readFileSync(path, 'utf8')) as ListedPackage[];
}

/** `epoch:version-release` as dpkg writes it. */
export function debianVersion(epoch: number | undefined, version: string, release: string | undefined): string {
  return `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
}

/**
 * `/var/lib/dpkg/status` for the packages: `Source: name (version)` when the source version
 * differs from the binary's (binNMUs), as dpkg writes it.
 */
export function dpkgStatus(packages: readonly ListedPackage[], defaultArch = 'amd64'): string {
  return packages
    .map((pkg) => {
      const version = debianVersion(pkg.Epoch, pkg.Version, pkg.Release);
      const source = pkg.SrcName ?? pkg.Name;
      const sourceVersion = debianVersion(pkg.SrcEpoch, pkg.SrcVersion ?? pkg.Version, pkg.SrcRelease ?? pkg.Release);
      const lines = [
        `Package: ${pkg.Name}`,
        'Status: install ok installed',
        'Priority: optional',
        `Architecture: ${pkg.Arch || defaultArch}`,
      ];
      if (pkg.Maintainer) lines.push(`Maintainer: ${pkg.Maintainer}`);
      if (source !== pkg.Name || sourceVersion !== version) {
        lines.push(sourceVersion === version ? `Source: ${source}` : `Source: ${source} (${sourceVersion})`);
      }
      lines.push(`Version: ${version}`, `Description: ${pkg.Name}`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** `/lib/apk/db/installed`: one stanza per package with name, version, arch, origin, maintainer, licence. */
export function apkInstalled(packages: readonly ListedPackage[]): string {
  return packages
    .map((pkg) => {
      const lines = [`P:${pkg.Name}`, `V:${pkg.Version}`, `A:${pkg.Arch ?? 'x86_64'}`, `T:${pkg.Name}`];
      if (pkg.Licenses?.length) lines.push(`L:${pkg.Licenses.join(' ')}`);
      lines.push(`o:${pkg.SrcName ?? pkg.Name}`);
      if (pkg.Maintainer) lines.push(`m:${pkg.Maintainer}`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** A hand-written apk package: name, version and origin. */
export const apk = (name: string, version: string, origin = name, arch = 'x86_64'): ListedPackage => ({
  Name: name,
  Version: version,
  SrcName: origin,
  Arch: arch,
});
