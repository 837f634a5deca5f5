import type { ImageSpec, LayerSpec, RpmPackage } from './image-builder.ts';
import { fixture, osRelease } from './os-files.ts';

/**
 * The rpm-based images. Packages carry the name, epoch, version, release, architecture and source
 * of the packages in the matching real images (listed in Trivy's integration goldens); the SLES,
 * RHEL 8 and CBL-Mariner 2.0 images hold real rpm databases (NDB, Berkeley DB, SQLite).
 */

/** `rpm('bash', '1:4.2-3.el7', 'x86_64', 'bash', vendor)`: a package from its EVR. */
const rpm = (
  name: string,
  evr: string,
  arch: RpmPackage['arch'],
  source: string,
  vendor: string,
  license = 'GPLv2+',
  extra: Pick<RpmPackage, 'sourceEvr' | 'modularityLabel'> = {},
): RpmPackage => {
  const colon = evr.indexOf(':');
  const epoch = colon > 0 ? Number(evr.slice(0, colon)) : undefined;
  const rest = colon > 0 ? evr.slice(colon + 1) : evr;
  const dash = rest.lastIndexOf('-');
  return {
    name,
    version: rest.slice(0, dash),
    release: rest.slice(dash + 1),
    ...(epoch ? { epoch } : {}),
    arch,
    source,
    vendor,
    license,
    ...extra,
  };
};

const RPMDB = 'var/lib/rpm';
const SUSE_RPMDB = 'usr/lib/sysimage/rpm';

const CENTOS = 'CentOS';
const centosLayer: LayerSpec = {
  files: {
    'etc/centos-release': 'CentOS Linux release 7.6.1810 (Core)\n',
    'etc/redhat-release': 'CentOS Linux release 7.6.1810 (Core)\n',
    'etc/os-release': osRelease({ NAME: 'CentOS Linux', VERSION: '7 (Core)', ID: 'centos', VERSION_ID: '7' }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('bash', '4.2.46-31.el7', 'x86_64', 'bash', CENTOS, 'GPLv3+'),
      rpm('openssl-libs', '1:1.0.2k-16.el7', 'x86_64', 'openssl', CENTOS, 'OpenSSL'),
      rpm('glibc', '2.17-260.el7', 'x86_64', 'glibc', CENTOS, 'LGPLv2+'),
      rpm('glibc-common', '2.17-260.el7', 'x86_64', 'glibc', CENTOS, 'LGPLv2+'),
      rpm('vim-minimal', '2:7.4.160-5.el7', 'x86_64', 'vim', CENTOS, 'Vim'),
      rpm('centos-release', '7-6.1810.2.el7.centos', 'x86_64', 'centos-release', CENTOS),
    ],
  },
};

const RED_HAT = 'Red Hat, Inc.';
const ubi7Layer: LayerSpec = {
  files: {
    'etc/redhat-release': 'Red Hat Enterprise Linux Server release 7.7 (Maipo)\n',
    'etc/os-release': osRelease({
      NAME: 'Red Hat Enterprise Linux Server',
      VERSION: '7.7 (Maipo)',
      ID: 'rhel',
      VERSION_ID: '7.7',
    }),
    // Build information of the real ubi7 7.7-140 image (content sets and the image's NVR labels).
    'root/buildinfo/content_manifests/ubi7-container-7.7-140.json': `${JSON.stringify({
      metadata: { icm_version: 1, image_layer_index: 0 },
      content_sets: ['rhel-7-server-rpms'],
      image_contents: [],
    })}\n`,
    'root/buildinfo/Dockerfile-ubi7-7.7-140':
      'FROM scratch\nLABEL com.redhat.component="ubi7-container" name="ubi7" version="7.7" release="140" architecture="x86_64"\n',
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('bash', '4.2.46-33.el7', 'x86_64', 'bash', RED_HAT, 'GPLv3+'),
      rpm('openssl-libs', '1:1.0.2k-19.el7', 'x86_64', 'openssl', RED_HAT, 'OpenSSL'),
      rpm('glibc', '2.17-292.el7', 'x86_64', 'glibc', RED_HAT, 'LGPLv2+'),
      rpm('curl', '7.29.0-54.el7', 'x86_64', 'curl', RED_HAT, 'MIT'),
      rpm('libcurl', '7.29.0-54.el7', 'x86_64', 'curl', RED_HAT, 'MIT'),
      rpm('vim-minimal', '2:7.4.629-6.el7', 'x86_64', 'vim', RED_HAT, 'Vim'),
      rpm('redhat-release-server', '7.7-10.el7', 'x86_64', 'redhat-release-server', RED_HAT),
    ],
  },
};

/** A UBI 8 root whose rpm database is a real Berkeley DB `Packages` file (one package, libuuid). */
const rhel8BdbLayer: LayerSpec = {
  files: {
    'etc/redhat-release': 'Red Hat Enterprise Linux release 8.8 (Ootpa)\n',
    'etc/os-release': osRelease({
      NAME: 'Red Hat Enterprise Linux',
      VERSION: '8.8 (Ootpa)',
      ID: 'rhel',
      VERSION_ID: '8.8',
    }),
  },
  fixtures: [[fixture('libuuid.Packages'), `${RPMDB}/Packages`]],
};

const almaLayer: LayerSpec = {
  files: {
    'etc/almalinux-release': 'AlmaLinux release 8.5 (Arctic Sphynx)\n',
    'etc/redhat-release': 'AlmaLinux release 8.5 (Arctic Sphynx)\n',
    'etc/os-release': osRelease({
      NAME: 'AlmaLinux',
      VERSION: '8.5 (Arctic Sphynx)',
      ID: 'almalinux',
      VERSION_ID: '8.5',
    }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('openssl-libs', '1:1.1.1k-4.el8', 'x86_64', 'openssl', 'AlmaLinux', 'OpenSSL and ASL 2.0'),
      rpm('bash', '4.4.20-2.el8', 'x86_64', 'bash', 'AlmaLinux', 'GPLv3+'),
      // From the nodejs:14 module stream: advisories file it as `nodejs:14::npm`.
      rpm('npm', '1:6.14.14-1.14.17.5.1.module_el8.4.0+2519+614b07b8', 'x86_64', 'nodejs', 'AlmaLinux', 'MIT and ISC', {
        sourceEvr: '1:14.17.5-1.module_el8.4.0+2519+614b07b8',
        modularityLabel: 'nodejs:14:8040020210817085720:522a0ee4',
      }),
      rpm('almalinux-release', '8.5-3.el8', 'x86_64', 'almalinux-release', 'AlmaLinux'),
    ],
  },
};

const ROCKY = 'Rocky Enterprise Software Foundation';
const rockyLayer: LayerSpec = {
  files: {
    'etc/rocky-release': 'Rocky Linux release 8.5 (Green Obsidian)\n',
    'etc/redhat-release': 'Rocky Linux release 8.5 (Green Obsidian)\n',
    'etc/os-release': osRelease({
      NAME: 'Rocky Linux',
      VERSION: '8.5 (Green Obsidian)',
      ID: 'rocky',
      VERSION_ID: '8.5',
    }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('openssl-libs', '1:1.1.1k-4.el8', 'x86_64', 'openssl', ROCKY, 'OpenSSL and ASL 2.0'),
      rpm('bash', '4.4.20-2.el8', 'x86_64', 'bash', ROCKY, 'GPLv3+'),
      rpm('rocky-release', '8.5-3.el8', 'noarch', 'rocky-release', ROCKY),
    ],
  },
};

const ORACLE = 'Oracle America';
const oracleLayer: LayerSpec = {
  files: {
    'etc/oracle-release': 'Oracle Linux Server release 8.0\n',
    'etc/redhat-release': 'Red Hat Enterprise Linux release 8.0 (Ootpa)\n',
    'etc/os-release': osRelease({ NAME: 'Oracle Linux Server', VERSION: '8.0', ID: 'ol', VERSION_ID: '8.0' }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('curl', '7.61.1-8.el8', 'x86_64', 'curl', ORACLE, 'MIT'),
      rpm('libcurl', '7.61.1-8.el8', 'x86_64', 'curl', ORACLE, 'MIT'),
      rpm('bash', '4.4.19-8.el8_0', 'x86_64', 'bash', ORACLE, 'GPLv3+'),
      rpm('openssl-libs', '1:1.1.1-8.0.1.el8', 'x86_64', 'openssl', ORACLE, 'OpenSSL'),
      rpm('glibc', '2.28-42.0.1.el8_0.1', 'x86_64', 'glibc', ORACLE, 'LGPLv2+'),
    ],
  },
};

const AMAZON = 'Amazon Linux';
const amazon2Layer: LayerSpec = {
  files: {
    'etc/system-release': 'Amazon Linux release 2 (Karoo)\n',
    'etc/os-release': osRelease({
      NAME: 'Amazon Linux',
      VERSION: '2',
      ID: 'amzn',
      ID_LIKE: 'centos rhel fedora',
      VERSION_ID: '2',
    }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('curl', '7.61.1-9.amzn2.0.1', 'x86_64', 'curl', AMAZON, 'MIT'),
      rpm('libcurl', '7.61.1-9.amzn2.0.1', 'x86_64', 'curl', AMAZON, 'MIT'),
      rpm('bash', '4.2.46-30.amzn2', 'x86_64', 'bash', AMAZON, 'GPLv3+'),
      rpm('openssl-libs', '1:1.0.2k-16.amzn2.1.1', 'x86_64', 'openssl', AMAZON, 'OpenSSL'),
      rpm('glibc', '2.26-32.amzn2.0.1', 'x86_64', 'glibc', AMAZON, 'LGPLv2+'),
      rpm('system-release', '1:2-10.amzn2', 'x86_64', 'system-release', AMAZON),
    ],
  },
};

const amazon2023Layer: LayerSpec = {
  files: {
    'etc/system-release': 'Amazon Linux release 2023 (Amazon Linux)\n',
    'etc/os-release': osRelease({
      NAME: 'Amazon Linux',
      VERSION: '2023',
      ID: 'amzn',
      ID_LIKE: 'fedora',
      VERSION_ID: '2023',
    }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('openssl-libs', '1:3.0.8-1.amzn2023.0.1', 'x86_64', 'openssl', AMAZON, 'ASL 2.0'),
      rpm('curl-minimal', '8.0.1-1.amzn2023.0.1', 'x86_64', 'curl', AMAZON, 'curl'),
      rpm('libcurl-minimal', '8.0.1-1.amzn2023.0.1', 'x86_64', 'curl', AMAZON, 'curl'),
      rpm('system-release', '2023.0.20230315-1.amzn2023', 'noarch', 'system-release', AMAZON),
    ],
  },
};

/** The real rpm database (NDB) of a SUSE BCI base image for SLES 15 SP3. */
const slesLayer: LayerSpec = {
  files: {
    'etc/os-release': osRelease({
      NAME: 'SLES',
      VERSION: '15-SP3',
      VERSION_ID: '15.3',
      PRETTY_NAME: 'SUSE Linux Enterprise Server 15 SP3',
      ID: 'sles',
      ID_LIKE: 'suse',
    }),
  },
  fixtures: [[fixture('sle15-bci.Packages.db.br'), `${SUSE_RPMDB}/Packages.db`]],
};

const SUSE = 'SUSE LLC <https://www.suse.com/>';
const slemLayer: LayerSpec = {
  files: {
    'etc/os-release': osRelease({
      NAME: 'SLE Micro',
      VERSION: '5.3',
      VERSION_ID: '5.3',
      PRETTY_NAME: 'SUSE Linux Enterprise Micro 5.3',
      ID: 'sle-micro',
      ID_LIKE: 'suse',
    }),
  },
  rpmdb: {
    dir: SUSE_RPMDB,
    packages: [
      rpm('libopenssl1_1', '1.1.1l-150400.7.7.1', 'x86_64', 'openssl-1_1', SUSE, 'OpenSSL'),
      rpm('SLE-Micro-release', '5.3-150400.7.2', 'x86_64', 'SLE-Micro-release', SUSE),
    ],
  },
};

const OPENSUSE = 'openSUSE';
const leapLayer: LayerSpec = {
  files: {
    'etc/os-release': osRelease({
      NAME: 'openSUSE Leap',
      VERSION: '15.1',
      ID: 'opensuse-leap',
      ID_LIKE: 'suse opensuse',
      VERSION_ID: '15.1',
      PRETTY_NAME: 'openSUSE Leap 15.1',
    }),
  },
  rpmdb: {
    dir: SUSE_RPMDB,
    packages: [
      rpm('libopenssl1_1', '1.1.0i-lp151.8.3.1', 'x86_64', 'openssl-1_1', OPENSUSE, 'OpenSSL'),
      rpm('openssl-1_1', '1.1.0i-lp151.8.3.1', 'x86_64', 'openssl-1_1', OPENSUSE, 'OpenSSL'),
      rpm('bash', '4.4-lp151.10.3.1', 'x86_64', 'bash', OPENSUSE, 'GPL-3.0-or-later'),
      rpm('libz1', '1.2.11-lp151.5.3.1', 'x86_64', 'zlib', OPENSUSE, 'Zlib'),
    ],
  },
};

const PHOTON = 'VMware, Inc.';
const photonLayer: LayerSpec = {
  files: {
    'etc/os-release': osRelease({
      NAME: 'VMware Photon OS',
      VERSION: '3.0',
      ID: 'photon',
      VERSION_ID: '3.0',
      PRETTY_NAME: 'VMware Photon OS/Linux',
    }),
    'etc/photon-release': 'VMware Photon OS 3.0\nPHOTON_BUILD_NUMBER=a1a3f6c\n',
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('bash', '4.4.18-1.ph3', 'x86_64', 'bash', PHOTON, 'GPLv3'),
      rpm('curl', '7.61.1-4.ph3', 'x86_64', 'curl', PHOTON, 'MIT'),
      rpm('curl-libs', '7.61.1-4.ph3', 'x86_64', 'curl', PHOTON, 'MIT'),
      rpm('openssl', '1.0.2s-1.ph3', 'x86_64', 'openssl', PHOTON, 'OpenSSL'),
    ],
  },
};

const MICROSOFT = 'Microsoft Corporation';
const mariner1Layer: LayerSpec = {
  files: {
    'etc/mariner-release': 'CBL-Mariner 1.0.20220122\nMARINER_BUILD_NUMBER=0d9c9b4\n',
    'etc/os-release': osRelease({
      NAME: 'Common Base Linux Mariner',
      VERSION: '1.0.20220122',
      ID: 'mariner',
      VERSION_ID: '1.0',
    }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [rpm('vim', '8.2.4081-1.cm1', 'x86_64', 'vim', MICROSOFT, 'Vim')],
  },
};

/** The real rpm database (SQLite) of a CBL-Mariner 2.0 image. */
const mariner2Layer: LayerSpec = {
  files: {
    'etc/mariner-release': 'CBL-Mariner 2.0.20220226\nMARINER_BUILD_NUMBER=rolling\n',
    'etc/os-release': osRelease({
      NAME: 'Common Base Linux Mariner',
      VERSION: '2.0.20220226',
      ID: 'mariner',
      VERSION_ID: '2.0',
    }),
  },
  fixtures: [[fixture('cbl-mariner-2.0.rpmdb.sqlite.br'), `${RPMDB}/rpmdb.sqlite`]],
};

const azureLayer: LayerSpec = {
  files: {
    'etc/os-release': osRelease({
      NAME: 'Microsoft Azure Linux',
      VERSION: '3.0.20240727',
      ID: 'azurelinux',
      VERSION_ID: '3.0',
      PRETTY_NAME: 'Microsoft Azure Linux 3.0',
    }),
  },
  rpmdb: {
    dir: RPMDB,
    packages: [
      rpm('openssl', '3.3.0-1.azl3', 'x86_64', 'openssl', MICROSOFT, 'Apache-2.0'),
      rpm('openssl-libs', '3.3.0-1.azl3', 'x86_64', 'openssl', MICROSOFT, 'Apache-2.0'),
      rpm('azurelinux-release', '3.0-16.azl3', 'noarch', 'azurelinux-release', MICROSOFT),
    ],
  },
};

export const RPM_IMAGES: readonly ImageSpec[] = [
  { name: 'centos-7', layers: [centosLayer] },
  { name: 'ubi-7', layers: [ubi7Layer] },
  { name: 'rhel-8-bdb', layers: [rhel8BdbLayer] },
  { name: 'alma-8', layers: [almaLayer] },
  { name: 'rocky-8', layers: [rockyLayer] },
  { name: 'oracle-8', layers: [oracleLayer] },
  { name: 'amazon-2', layers: [amazon2Layer] },
  { name: 'amazon-2023', layers: [amazon2023Layer] },
  { name: 'sles-15.3', layers: [slesLayer] },
  { name: 'sle-micro-5.3', layers: [slemLayer] },
  { name: 'opensuse-leap-15.1', layers: [leapLayer] },
  { name: 'photon-3.0', layers: [photonLayer] },
  { name: 'cbl-mariner-1.0', layers: [mariner1Layer] },
  { name: 'cbl-mariner-2.0', layers: [mariner2Layer] },
  { name: 'azurelinux-3.0', layers: [azureLayer] },
];
