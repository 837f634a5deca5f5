import type { OS } from '../types.ts';
import { OsFamily, type OsFamilyName } from './families.ts';
import { scanLines } from './text-lines.ts';

/** Where os-release lives, including Bottlerocket's host sysroots; etc/ wins over usr/lib/. */
export const OS_RELEASE_PATHS = [
  'etc/os-release',
  'usr/lib/os-release',
  'aarch64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release',
  'x86_64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release',
] as const;

// The os-release IDs Trivy's release analyzer recognises. Debian and Ubuntu are absent on purpose:
// their own files (debian_version, lsb-release) give the versions Trivy reports.
const FAMILY_BY_ID: Readonly<Record<string, OsFamilyName>> = {
  activestate: OsFamily.ActiveState,
  alpine: OsFamily.Alpine,
  almalinux: OsFamily.Alma,
  azurelinux: OsFamily.Azure,
  bottlerocket: OsFamily.Bottlerocket,
  centos: OsFamily.CentOS,
  chainguard: OsFamily.Chainguard,
  coreos: OsFamily.CoreOS,
  echo: OsFamily.Echo,
  fedora: OsFamily.Fedora,
  mariner: OsFamily.CBLMariner,
  minimos: OsFamily.MinimOS,
  ol: OsFamily.Oracle,
  // `opensuse` is Leap 42, `opensuse-leap` is Leap 15.
  opensuse: OsFamily.OpenSUSELeap,
  'opensuse-leap': OsFamily.OpenSUSELeap,
  'opensuse-tumbleweed': OsFamily.OpenSUSETumbleweed,
  photon: OsFamily.Photon,
  rhel: OsFamily.RedHat,
  rocky: OsFamily.Rocky,
  // SLE Micro has been rebranded several times, including "SLE Micro for Rancher".
  'sle-micro': OsFamily.SLEMicro,
  'sl-micro': OsFamily.SLEMicro,
  'sle-micro-rancher': OsFamily.SLEMicro,
  sles: OsFamily.SLES,
  wolfi: OsFamily.Wolfi,
};

const unquote = (value: string) => value.replace(/^["']+|["']+$/g, '');

/**
 * The OS an os-release file names, or undefined when its ID is not one Trivy detects or a
 * VERSION_ID is missing. CentOS Stream shares `ID=centos` and is told apart by its NAME.
 */
export function parseOsRelease(text: string): OS | undefined {
  const values = new Map<string, string>();
  for (const line of scanLines(text)) {
    const equals = line.indexOf('=');
    if (equals < 0) continue;
    const key = line.slice(0, equals).trim();
    if (key !== 'ID' && key !== 'VERSION_ID' && key !== 'NAME') continue;
    if (!values.has(key)) values.set(key, unquote(line.slice(equals + 1).trim()));
  }
  const id = values.get('ID') ?? '';
  const versionId = values.get('VERSION_ID') ?? '';
  let family = Object.hasOwn(FAMILY_BY_ID, id) ? FAMILY_BY_ID[id] : undefined;
  if (family === undefined || versionId === '') return undefined;
  if (family === OsFamily.CentOS && /\bstream\b/i.test(values.get('NAME') ?? '')) family = OsFamily.CentOSStream;
  return { Family: family, Name: versionId };
}
