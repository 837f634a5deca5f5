import type { Package } from '../../analyzer/types.ts';
import { formatPackageVersion } from '../../version/index.ts';

/** `epoch:version-release`, as Trivy prints installed and fixed versions. */
export function formatOsVersion(pkg: Pick<Package, 'Epoch' | 'Version' | 'Release'>): string {
  return formatPackageVersion(pkg.Epoch, pkg.Version, pkg.Release);
}

/** The same for the source package, falling back to the binary's fields as Trivy does. */
export function formatOsSourceVersion(pkg: Package): string {
  if (!pkg.SrcVersion) return formatOsVersion(pkg);
  return formatPackageVersion(pkg.SrcEpoch, pkg.SrcVersion, pkg.SrcRelease);
}
