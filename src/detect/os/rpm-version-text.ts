import { formatPackageVersion } from '../../version/index.ts';
import { parseRpmVersion } from '../../version/rpm.ts';

/** An RPM version as go-rpm-version prints it: a zero epoch is dropped (`0:1.2-3` → `1.2-3`). */
export function rpmVersionText(version: string): string {
  const parsed = parseRpmVersion(version);
  if (!parsed.ok) return version;
  const { epoch, version: upstream, release } = parsed.value;
  return formatPackageVersion(epoch, upstream, release);
}
