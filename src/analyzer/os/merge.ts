import type { OS } from '../types.ts';
import { OsFamily } from './families.ts';

const isEmpty = (os: OS) => !os.Family && !os.Name && !os.Extended && !os.EOSL;

/**
 * Trivy's OS merge, for combining what several OS files (or layers) say. A RHEL or Debian answer
 * is provisional, since Oracle Linux ships redhat-release and Ubuntu ships debian_version, so the
 * next answer replaces it. Otherwise the first answer stays, except that a fuller version of the
 * same family wins (os-release says `7`, centos-release `7.9.2009`) and Ubuntu's ESM flag, which
 * lives in its own file, is kept from either side. The result does not depend on the order.
 */
export function mergeOs(current: OS | undefined, found: OS): OS | undefined {
  if (isEmpty(found)) return current;
  if (!current || isEmpty(current) || current.Family === OsFamily.RedHat || current.Family === OsFamily.Debian) {
    return { ...found };
  }
  const merged: OS = { ...current };
  if (!merged.Family) merged.Family = found.Family;
  // Unlike Trivy, a version is only taken from the same family: ESM's family-only answer must not
  // pick up debian_version's `bookworm/sid` when that file happens to be read before lsb-release.
  if (merged.Family === found.Family && (!merged.Name || found.Name.startsWith(`${merged.Name}.`))) {
    merged.Name = found.Name;
  }
  if (current.Extended || found.Extended) merged.Extended = true;
  return merged;
}
