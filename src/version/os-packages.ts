import { versionScheme } from './registry.ts';
import { type Checked, failure, ok } from './types.ts';

export type OsSchemeName = 'deb' | 'rpm' | 'apk';

/**
 * The version order Trivy's detector uses for each OS family (pkg/detector/ospkg/*): dpkg for
 * Debian, Ubuntu and Echo, and also for Amazon Linux (Trivy compares Amazon's RPM versions with
 * go-deb-version); rpmvercmp for the Red Hat family, SUSE, Photon, Mariner and Azure Linux; apk for
 * Alpine, Wolfi, Chainguard and MinimOS. Families Trivy cannot scan (Bottlerocket, CoreOS) have none.
 */
const OS_SCHEMES: Readonly<Record<string, OsSchemeName>> = {
  debian: 'deb',
  ubuntu: 'deb',
  echo: 'deb',
  amazon: 'deb',
  redhat: 'rpm',
  centos: 'rpm',
  'centos-stream': 'rpm',
  rocky: 'rpm',
  alma: 'rpm',
  oracle: 'rpm',
  fedora: 'rpm',
  sles: 'rpm',
  slem: 'rpm',
  opensuse: 'rpm',
  'opensuse-leap': 'rpm',
  'opensuse-tumbleweed': 'rpm',
  photon: 'rpm',
  'cbl-mariner': 'rpm',
  azurelinux: 'rpm',
  alpine: 'apk',
  wolfi: 'apk',
  chainguard: 'apk',
  minimos: 'apk',
};

export function osVersionScheme(family: string): OsSchemeName | undefined {
  return Object.hasOwn(OS_SCHEMES, family) ? OS_SCHEMES[family] : undefined;
}

/**
 * A package version as Trivy prints and compares it (`utils.FormatVersion`):
 * `[epoch:]version[-release]`, the epoch only when not 0.
 */
export function formatPackageVersion(epoch: number | undefined, version: string, release?: string): string {
  const withRelease = release ? `${version}-${release}` : version;
  return epoch ? `${epoch}:${withRelease}` : withRelease;
}

/**
 * Whether an installed version is older than the version an advisory says fixes it; an error
 * value when either does not parse (Trivy then skips the package or the advisory).
 */
export function isOlderThanFixed(scheme: OsSchemeName, installed: string, fixed: string): Checked<boolean> {
  const order = versionScheme(scheme).compare(installed, fixed);
  return order.ok ? ok(order.value < 0) : order;
}

export interface AlpineAdvisoryVersions {
  readonly FixedVersion?: string;
  readonly AffectedVersion?: string;
}

/**
 * Alpine's rule (also Trivy's for advisories with an affected lower bound): not vulnerable below
 * `AffectedVersion`; vulnerable when there is no `FixedVersion`, else when older than it. A version
 * that does not parse gives an error value (Trivy: not vulnerable).
 */
export function isAlpineVulnerable(installed: string, advisory: AlpineAdvisoryVersions): Checked<boolean> {
  const apk = versionScheme('apk');
  if (!apk.isValid(installed)) return failure(`invalid apk version '${installed}'`);
  if (advisory.AffectedVersion) {
    const order = apk.compare(advisory.AffectedVersion, installed);
    if (!order.ok) return order;
    if (order.value > 0) return ok(false);
  }
  if (!advisory.FixedVersion) return ok(true);
  return isOlderThanFixed('apk', installed, advisory.FixedVersion);
}
