import { type OsSchemeName, versionScheme } from '../../version/index.ts';
import { parseRpmVersion } from '../../version/rpm.ts';

/** The package version orders OS detectors use: dpkg, rpm and apk. */
export type OsVersionScheme = OsSchemeName;

/** Whether Trivy's parser for the scheme accepts the version (else the package or advisory is skipped). */
export function isValidOsVersion(scheme: OsVersionScheme, version: string): boolean {
  return versionScheme(scheme).isValid(version);
}

/** `a < b`, or undefined when either does not parse. */
export function osVersionLessThan(scheme: OsVersionScheme, a: string, b: string): boolean | undefined {
  const order = versionScheme(scheme).compare(a, b);
  return order.ok ? order.value < 0 : undefined;
}

/** An RPM version as go-rpm-version prints it: a zero epoch is dropped (`0:1.2-3` → `1.2-3`). */
export function rpmVersionText(version: string): string {
  const parsed = parseRpmVersion(version);
  if (!parsed.ok) return version;
  const { epoch, version: upstream, release } = parsed.value;
  return `${epoch > 0 ? `${epoch}:` : ''}${upstream}${release ? `-${release}` : ''}`;
}
