/**
 * OS family names exactly as Trivy spells them (`pkg/fanal/types` OSType), since detectors pick
 * vulnerability buckets and reports print targets from these strings.
 */
export const OsFamily = {
  ActiveState: 'activestate',
  Alma: 'alma',
  Alpine: 'alpine',
  Amazon: 'amazon',
  Azure: 'azurelinux',
  Bottlerocket: 'bottlerocket',
  CBLMariner: 'cbl-mariner',
  CentOS: 'centos',
  CentOSStream: 'centos-stream',
  Chainguard: 'chainguard',
  CoreOS: 'coreos',
  Debian: 'debian',
  Echo: 'echo',
  Fedora: 'fedora',
  MinimOS: 'minimos',
  OpenSUSE: 'opensuse',
  OpenSUSELeap: 'opensuse-leap',
  OpenSUSETumbleweed: 'opensuse-tumbleweed',
  Oracle: 'oracle',
  Photon: 'photon',
  RedHat: 'redhat',
  Rocky: 'rocky',
  SLEMicro: 'slem',
  SLES: 'sles',
  Ubuntu: 'ubuntu',
  Wolfi: 'wolfi',
} as const;

export type OsFamilyName = (typeof OsFamily)[keyof typeof OsFamily];
