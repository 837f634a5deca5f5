import type { ImageSpec, LayerSpec } from './image-builder.ts';
import { fixture, osRelease } from './os-files.ts';
import { apk, apkInstalled, dpkgStatus, readPackageList } from './package-databases.ts';
import { RPM_IMAGES } from './rpm-images.ts';

/**
 * One small image per OS family. Package metadata is real: the dpkg and apk lists are the ones
 * Trivy's own integration images hold (test/fixtures/os-images/packages); the rpm-based images
 * are in rpm-images.ts. OS files are those the distributions ship.
 */

const debianLayer: LayerSpec = {
  files: {
    'etc/os-release': osRelease({
      PRETTY_NAME: 'Debian GNU/Linux 10 (buster)',
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '10',
      VERSION: '10 (buster)',
      VERSION_CODENAME: 'buster',
      ID: 'debian',
    }),
    'etc/debian_version': '10.1\n',
    'var/lib/dpkg/status': dpkgStatus(readPackageList(fixture('packages/debian-buster.json'))),
  },
};

const ubuntuLayer: LayerSpec = {
  files: {
    'etc/lsb-release':
      'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION="Ubuntu 18.04.3 LTS"\n',
    'etc/os-release': osRelease({
      NAME: 'Ubuntu',
      VERSION: '18.04.3 LTS (Bionic Beaver)',
      ID: 'ubuntu',
      ID_LIKE: 'debian',
      PRETTY_NAME: 'Ubuntu 18.04.3 LTS',
      VERSION_ID: '18.04',
      VERSION_CODENAME: 'bionic',
    }),
    'etc/debian_version': 'buster/sid\n',
    // Trivy's list predates its Arch field; every package of the image is amd64 or all.
    'var/lib/dpkg/status': dpkgStatus(readPackageList(fixture('packages/ubuntu-18.04.json'))),
  },
};

/** What `pro attach` leaves behind: ESM infra enabled. */
const ubuntuProLayer: LayerSpec = {
  files: {
    'var/lib/ubuntu-advantage/status.json': `${JSON.stringify({
      _schema_version: '0.1',
      attached: true,
      services: [
        { name: 'esm-apps', entitled: 'yes', status: 'enabled' },
        { name: 'esm-infra', entitled: 'yes', status: 'enabled' },
        { name: 'livepatch', entitled: 'yes', status: 'n/a' },
      ],
      version: '27.14.4~18.04',
    })}\n`,
  },
};

const alpinePackages = readPackageList(fixture('packages/alpine-310.json'));
const alpineLayer: LayerSpec = {
  files: {
    'etc/alpine-release': '3.10.2\n',
    'etc/os-release': osRelease({
      NAME: 'Alpine Linux',
      ID: 'alpine',
      VERSION_ID: '3.10.2',
      PRETTY_NAME: 'Alpine Linux v3.10',
    }),
    'etc/apk/repositories': 'https://mirror.example/alpine/v3.10/main\nhttps://mirror.example/alpine/v3.10/community\n',
    'lib/apk/db/installed': apkInstalled(alpinePackages),
  },
};

/** `apk add git` from edge on top: the repositories now name edge, and the database gains git. */
const alpineEdgeLayer: LayerSpec = {
  files: {
    'etc/apk/repositories':
      'https://mirror.example/alpine/v3.10/main\nhttps://mirror.example/alpine/v3.10/community\nhttps://mirror.example/alpine/edge/main\n',
    'lib/apk/db/installed': apkInstalled([...alpinePackages, apk('git', '2.35.1-r2')]),
  },
};

const wolfiPackages = [
  apk('wolfi-baselayout', '20230201-r3'),
  apk('ca-certificates-bundle', '20230506-r0', 'ca-certificates'),
  apk('glibc', '2.38-r1'),
  apk('glibc-locale-posix', '2.38-r1', 'glibc'),
  apk('libcrypto3', '3.1.2-r0', 'openssl'),
  apk('libssl3', '3.1.2-r0', 'openssl'),
  apk('busybox', '1.36.1-r2'),
];
const rollingApkLayer = (id: 'wolfi' | 'chainguard', name: string): LayerSpec => ({
  files: {
    'etc/os-release': osRelease({ ID: id, NAME: name, PRETTY_NAME: name, VERSION_ID: '20230201' }),
    'lib/apk/db/installed': apkInstalled(wolfiPackages),
  },
});

export const OS_IMAGES: readonly ImageSpec[] = [
  { name: 'debian-10', layers: [debianLayer] },
  { name: 'ubuntu-18.04', layers: [ubuntuLayer] },
  { name: 'ubuntu-18.04-esm', layers: [ubuntuLayer, ubuntuProLayer] },
  { name: 'alpine-3.10', layers: [alpineLayer] },
  { name: 'alpine-3.10-edge', layers: [alpineLayer, alpineEdgeLayer] },
  ...RPM_IMAGES,
  { name: 'wolfi', layers: [rollingApkLayer('wolfi', 'Wolfi')] },
  { name: 'chainguard', layers: [rollingApkLayer('chainguard', 'Chainguard')] },
];

/**
 * The Alpine 3.10 image built for one platform of a multi-platform index. The arm64 build has
 * aarch64 packages and a newer libcrypto1.1, so the platform picked shows in the findings.
 */
export function alpinePlatformImage(architecture: 'amd64' | 'arm64'): ImageSpec {
  const packages =
    architecture === 'amd64'
      ? alpinePackages
      : alpinePackages.map((pkg) => ({
          ...pkg,
          Arch: 'aarch64',
          ...(pkg.Name === 'libcrypto1.1' ? { Version: '1.1.1d-r0', SrcVersion: '1.1.1d-r0' } : {}),
        }));
  const files = { ...alpineLayer.files, 'lib/apk/db/installed': apkInstalled(packages) };
  return { name: `alpine-3.10-${architecture}`, architecture, layers: [{ files }] };
}

export function osImage(name: string): ImageSpec {
  const spec = OS_IMAGES.find((image) => image.name === name);
  if (!spec) throw new Error(`no image ${name}`);
  return spec;
}
