import type { ReportOs } from '../../src/report/index.ts';

/**
 * What `vigil image` must report for each image of OS_IMAGES (os-images.ts), in the same order.
 * Where Trivy's integration tests scan the same real image with the same DB fixtures, the
 * findings are those of its golden report (integration/testdata/<golden>.json.golden in
 * aquasecurity/trivy); golden differences that are Trivy's own later changes are noted.
 */
export interface Expectation {
  image: string;
  /** Metadata.OS exactly. */
  os: ReportOs;
  /** What follows the artifact name in the target, e.g. `(debian 10.1)`. */
  target: string;
  /** Finding lines (see findingLine) in report order. */
  findings: string[];
  /** PURL of the first finding. */
  purl?: string;
  /** PrimaryURL of findings whose ID is not a CVE (Trivy picks a reference by the source's URL prefixes). */
  primaryUrl?: string;
  /** Number of OS packages the image's database holds. */
  packages: number;
  /** The layer (index) that introduced each finding's package; 0 when not given. */
  layer?: number;
  golden?: string;
}

export const EXPECTATIONS: readonly Expectation[] = [
  {
    image: 'debian-10',
    golden: 'debian-buster',
    os: { Family: 'debian', Name: '10.1', EOSL: true },
    target: '(debian 10.1)',
    findings: [
      'CVE-2019-18276 bash@5.0-4 fixed:- affected LOW/debian ds:debian',
      'CVE-2019-18224 libidn2-0@2.0.5-1 fixed:2.0.5-1+deb10u1 fixed CRITICAL/nvd ds:debian DSA-4613-1',
    ],
    purl: 'pkg:deb/debian/bash@5.0-4?arch=amd64&distro=debian-10.1',
    packages: 91,
  },
  {
    image: 'ubuntu-18.04',
    golden: 'ubuntu-1804',
    os: { Family: 'ubuntu', Name: '18.04', EOSL: true },
    target: '(ubuntu 18.04)',
    findings: [
      'CVE-2019-18276 bash@4.4.18-2ubuntu1.2 fixed:- affected LOW/ubuntu ds:ubuntu',
      'CVE-2019-5094 e2fsprogs@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
      'CVE-2019-5094 libcom-err2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
      'CVE-2019-5094 libext2fs2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
      'CVE-2019-5094 libss2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.2 fixed MEDIUM/ubuntu ds:ubuntu',
    ],
    purl: 'pkg:deb/ubuntu/bash@4.4.18-2ubuntu1.2?arch=amd64&distro=ubuntu-18.04',
    packages: 89,
  },
  {
    // Ubuntu Pro: 18.04 is past its standard support, so the `ubuntu 18.04-ESM` bucket applies,
    // the target says so (Trivy's ospkg scanner) and ESM support lasts until 2028.
    image: 'ubuntu-18.04-esm',
    os: { Family: 'ubuntu', Name: '18.04', extended: true },
    target: '(ubuntu 18.04-ESM)',
    findings: [
      'CVE-2019-18276 bash@4.4.18-2ubuntu1.2 fixed:4.4.18-2ubuntu1.3 fixed LOW/ubuntu ds:ubuntu',
      'CVE-2022-1304 e2fsprogs@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
      'CVE-2022-1304 libcom-err2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
      'CVE-2022-1304 libext2fs2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
      'CVE-2022-1304 libss2@1.44.1-1ubuntu1.1 fixed:1.44.1-1ubuntu1.4 fixed MEDIUM/ubuntu ds:ubuntu',
    ],
    packages: 89,
  },
  {
    image: 'alpine-3.10',
    golden: 'alpine-310',
    os: { Family: 'alpine', Name: '3.10.2', EOSL: true },
    target: '(alpine 3.10.2)',
    findings: [
      'CVE-2019-1549 libcrypto1.1@1.1.1c-r0 fixed:1.1.1d-r0 fixed MEDIUM/nvd ds:alpine',
      'CVE-2019-1551 libcrypto1.1@1.1.1c-r0 fixed:1.1.1d-r2 fixed MEDIUM/nvd ds:alpine',
      'CVE-2019-1549 libssl1.1@1.1.1c-r0 fixed:1.1.1d-r0 fixed MEDIUM/nvd ds:alpine',
      'CVE-2019-1551 libssl1.1@1.1.1c-r0 fixed:1.1.1d-r2 fixed MEDIUM/nvd ds:alpine',
    ],
    purl: 'pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2',
    packages: 14,
  },
  {
    // The second layer points /etc/apk/repositories at edge and adds git from it: the repository
    // release overrides alpine-release, so the `alpine edge` bucket applies to every package
    // (it has no OpenSSL advisories), while the OS and its end of life stay 3.10.2's.
    image: 'alpine-3.10-edge',
    os: { Family: 'alpine', Name: '3.10.2', EOSL: true },
    target: '(alpine 3.10.2)',
    findings: ['CVE-2022-24765 git@2.35.1-r2 fixed:2.35.2-r0 fixed MEDIUM/- ds:alpine'],
    packages: 15,
    layer: 1,
  },
  {
    image: 'centos-7',
    golden: 'centos-7',
    os: { Family: 'centos', Name: '7.6.1810', EOSL: true },
    target: '(centos 7.6.1810)',
    // No DataSource: the fixtures have no data-source entry for the Red Hat bucket (nor the golden).
    findings: [
      'CVE-2019-18276 bash@4.2.46-31.el7 fixed:- will_not_fix LOW/redhat ds:-',
      'CVE-2019-1559 openssl-libs@1:1.0.2k-16.el7 fixed:1:1.0.2k-19.el7 fixed MEDIUM/redhat ds:- RHSA-2019:2304',
      'CVE-2018-0734 openssl-libs@1:1.0.2k-16.el7 fixed:1:1.0.2k-19.el7 fixed LOW/redhat ds:- RHSA-2019:2304',
    ],
    purl: 'pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64&distro=centos-7.6.1810',
    packages: 6,
  },
  {
    image: 'ubi-7',
    golden: 'ubi-7',
    os: { Family: 'redhat', Name: '7.7' },
    target: '(redhat 7.7)',
    findings: ['CVE-2019-18276 bash@4.2.46-33.el7 fixed:- will_not_fix LOW/redhat ds:-'],
    purl: 'pkg:rpm/redhat/bash@4.2.46-33.el7?arch=x86_64&distro=redhat-7.7',
    packages: 7,
  },
  {
    // A real Berkeley DB rpm database; RHEL 8's default content sets map to CPE index 1001 only.
    image: 'rhel-8-bdb',
    os: { Family: 'redhat', Name: '8.8' },
    target: '(redhat 8.8)',
    findings: ['CVE-2021-37600 libuuid@2.32.1-42.el8_8 fixed:- will_not_fix LOW/redhat ds:-'],
    purl: 'pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=redhat-8.8',
    packages: 1,
  },
  {
    image: 'alma-8',
    golden: 'almalinux-8',
    os: { Family: 'alma', Name: '8.5' },
    target: '(alma 8.5)',
    // Plus npm from the nodejs:14 module stream, which the golden image lacks: looked up with the
    // stream prefix, and its PURL carries the modularity label.
    findings: [
      'CVE-2021-3807 npm@1:6.14.14-1.14.17.5.1.module_el8.4.0+2519+614b07b8 fixed:1:6.14.15-1.14.18.2.2.module_el8.5.0+2707+c7e0d2bb fixed MEDIUM/alma ds:alma',
      'CVE-2021-3712 openssl-libs@1:1.1.1k-4.el8 fixed:1:1.1.1k-5.el8_5 fixed MEDIUM/alma ds:alma',
    ],
    purl: 'pkg:rpm/alma/npm@6.14.14-1.14.17.5.1.module_el8.4.0%2B2519%2B614b07b8?arch=x86_64&distro=alma-8.5&epoch=1&modularitylabel=nodejs%3A14%3A8040020210817085720%3A522a0ee4',
    packages: 4,
  },
  {
    image: 'rocky-8',
    golden: 'rockylinux-8',
    os: { Family: 'rocky', Name: '8.5' },
    target: '(rocky 8.5)',
    findings: ['CVE-2021-3712 openssl-libs@1:1.1.1k-4.el8 fixed:1:1.1.1k-5.el8_5 fixed MEDIUM/rocky ds:rocky'],
    purl: 'pkg:rpm/rocky/openssl-libs@1.1.1k-4.el8?arch=x86_64&distro=rocky-8.5&epoch=1',
    packages: 3,
  },
  {
    image: 'oracle-8',
    golden: 'oraclelinux-8',
    os: { Family: 'oracle', Name: '8.0' },
    target: '(oracle 8.0)',
    findings: [
      'CVE-2019-3823 curl@7.61.1-8.el8 fixed:7.61.1-11.el8 fixed MEDIUM/oracle-oval ds:oracle-oval',
      'CVE-2019-5436 curl@7.61.1-8.el8 fixed:7.61.1-12.el8 fixed MEDIUM/oracle-oval ds:oracle-oval',
    ],
    purl: 'pkg:rpm/oracle/curl@7.61.1-8.el8?arch=x86_64&distro=oracle-8.0',
    packages: 5,
  },
  {
    // The golden predates Status and PURLs for Amazon; Amazon Linux 2 reached its end of life in 2026.
    image: 'amazon-2',
    golden: 'amazon-2',
    os: { Family: 'amazon', Name: '2 (Karoo)', EOSL: true },
    target: '(amazon 2 (Karoo))',
    findings: [
      'CVE-2019-5481 curl@7.61.1-9.amzn2.0.1 fixed:7.61.1-12.amzn2.0.1 fixed MEDIUM/amazon ds:amazon',
      'CVE-2019-5436 curl@7.61.1-9.amzn2.0.1 fixed:7.61.1-11.amzn2.0.2 fixed LOW/amazon ds:amazon',
    ],
    purl: 'pkg:rpm/amazon/curl@7.61.1-9.amzn2.0.1?arch=x86_64&distro=amazon-2%20%28Karoo%29',
    packages: 6,
  },
  {
    image: 'amazon-2023',
    os: { Family: 'amazon', Name: '2023 (Amazon Linux)' },
    target: '(amazon 2023 (Amazon Linux))',
    findings: [
      'CVE-2023-38545 curl-minimal@8.0.1-1.amzn2023.0.1 fixed:8.3.0-1.amzn2023.0.1 fixed HIGH/amazon ds:amazon',
      'CVE-2023-0464 openssl-libs@1:3.0.8-1.amzn2023.0.1 fixed:1:3.0.8-1.amzn2023.0.2 fixed MEDIUM/amazon ds:amazon',
    ],
    packages: 4,
  },
  {
    // The real NDB database of a SLES 15 SP3 BCI image (35 packages).
    image: 'sles-15.3',
    os: { Family: 'sles', Name: '15.3', EOSL: true },
    target: '(sles 15.3)',
    findings: ['SUSE-SU-2022:1061-1 libz1@1.2.11-3.21.1 fixed:1.2.11-3.24.1 fixed HIGH/suse-cvrf ds:suse-cvrf'],
    purl: 'pkg:rpm/suse/libz1@1.2.11-3.21.1?arch=x86_64&distro=sles-15.3',
    packages: 35,
  },
  {
    image: 'sle-micro-5.3',
    os: { Family: 'slem', Name: '5.3', EOSL: true },
    target: '(slem 5.3)',
    findings: [
      'SUSE-SU-2023:0311-1 libopenssl1_1@1.1.1l-150400.7.7.1 fixed:1.1.1l-150400.7.22.1 fixed HIGH/suse-cvrf ds:suse-cvrf',
    ],
    purl: 'pkg:rpm/suse/libopenssl1_1@1.1.1l-150400.7.7.1?arch=x86_64&distro=slem-5.3',
    packages: 2,
  },
  {
    // The golden spells the family `opensuse.leap` (also in its PURLs), Trivy's name before it became
    // `opensuse-leap`; PURLs now use the `opensuse` namespace (OSType.PurlNamespace).
    image: 'opensuse-leap-15.1',
    golden: 'opensuse-leap-151',
    os: { Family: 'opensuse-leap', Name: '15.1', EOSL: true },
    target: '(opensuse-leap 15.1)',
    findings: [
      'openSUSE-SU-2020:0062-1 libopenssl1_1@1.1.0i-lp151.8.3.1 fixed:1.1.0i-lp151.8.6.1 fixed MEDIUM/suse-cvrf ds:suse-cvrf',
      'openSUSE-SU-2020:0062-1 openssl-1_1@1.1.0i-lp151.8.3.1 fixed:1.1.0i-lp151.8.6.1 fixed MEDIUM/suse-cvrf ds:suse-cvrf',
    ],
    purl: 'pkg:rpm/opensuse/libopenssl1_1@1.1.0i-lp151.8.3.1?arch=x86_64&distro=opensuse-leap-15.1',
    primaryUrl: 'https://lists.opensuse.org/opensuse-security-announce/2020-01/msg00030.html',
    packages: 4,
  },
  {
    image: 'photon-3.0',
    golden: 'photon-30',
    os: { Family: 'photon', Name: '3.0', EOSL: true },
    target: '(photon 3.0)',
    findings: [
      'CVE-2019-18276 bash@4.4.18-1.ph3 fixed:4.4.18-2.ph3 fixed HIGH/photon ds:photon',
      'CVE-2019-5481 curl@7.61.1-4.ph3 fixed:7.61.1-5.ph3 fixed CRITICAL/photon ds:photon',
      'CVE-2019-5481 curl-libs@7.61.1-4.ph3 fixed:7.61.1-5.ph3 fixed CRITICAL/photon ds:photon',
    ],
    purl: 'pkg:rpm/photon/bash@4.4.18-1.ph3?arch=x86_64&distro=photon-3.0',
    packages: 4,
  },
  {
    // The golden predates Trivy's `pkg:rpm/cbl-mariner/…` PURLs.
    image: 'cbl-mariner-1.0',
    golden: 'mariner-1.0',
    os: { Family: 'cbl-mariner', Name: '1.0.20220122', EOSL: true },
    target: '(cbl-mariner 1.0.20220122)',
    findings: [
      'CVE-2022-0261 vim@8.2.4081-1.cm1 fixed:- affected HIGH/cbl-mariner ds:cbl-mariner',
      'CVE-2022-0158 vim@8.2.4081-1.cm1 fixed:8.2.4082-1.cm1 fixed LOW/cbl-mariner ds:cbl-mariner',
    ],
    purl: 'pkg:rpm/cbl-mariner/vim@8.2.4081-1.cm1?arch=x86_64&distro=cbl-mariner-1.0.20220122',
    packages: 1,
  },
  {
    // The real SQLite database of a CBL-Mariner 2.0 image (129 packages).
    image: 'cbl-mariner-2.0',
    os: { Family: 'cbl-mariner', Name: '2.0.20220226', EOSL: true },
    target: '(cbl-mariner 2.0.20220226)',
    findings: [
      'CVE-2022-22576 curl@7.76.0-6.cm2 fixed:7.83.1-1.cm2 fixed HIGH/cbl-mariner ds:cbl-mariner',
      'CVE-2022-22576 curl-libs@7.76.0-6.cm2 fixed:7.83.1-1.cm2 fixed HIGH/cbl-mariner ds:cbl-mariner',
      'CVE-2022-25235 expat@2.4.3-1.cm2 fixed:2.4.7-1.cm2 fixed CRITICAL/cbl-mariner ds:cbl-mariner',
      'CVE-2022-25235 expat-libs@2.4.3-1.cm2 fixed:2.4.7-1.cm2 fixed CRITICAL/cbl-mariner ds:cbl-mariner',
      'CVE-2021-3998 glibc@2.34-2.cm2 fixed:- affected HIGH/cbl-mariner ds:cbl-mariner',
    ],
    packages: 129,
  },
  {
    image: 'azurelinux-3.0',
    os: { Family: 'azurelinux', Name: '3.0' },
    target: '(azurelinux 3.0)',
    findings: [
      'CVE-2024-6119 openssl@3.3.0-1.azl3 fixed:3.3.2-1.azl3 fixed HIGH/azure ds:azure',
      'CVE-2024-9143 openssl@3.3.0-1.azl3 fixed:- affected MEDIUM/azure ds:azure',
      'CVE-2024-6119 openssl-libs@3.3.0-1.azl3 fixed:3.3.2-1.azl3 fixed HIGH/azure ds:azure',
      'CVE-2024-9143 openssl-libs@3.3.0-1.azl3 fixed:- affected MEDIUM/azure ds:azure',
    ],
    packages: 3,
  },
  {
    // Rolling: one unversioned bucket, no end of life, advisories without a fix are not reported,
    // and a fix equal to the installed version is no finding (CVE-2023-3817).
    image: 'wolfi',
    os: { Family: 'wolfi', Name: '20230201' },
    target: '(wolfi 20230201)',
    findings: [
      'CVE-2023-4911 glibc@2.38-r1 fixed:2.38-r2 fixed HIGH/nvd ds:wolfi',
      'CVE-2023-4911 glibc-locale-posix@2.38-r1 fixed:2.38-r2 fixed HIGH/nvd ds:wolfi',
      'CVE-2023-5363 libcrypto3@3.1.2-r0 fixed:3.1.4-r0 fixed HIGH/nvd ds:wolfi',
      'CVE-2023-5363 libssl3@3.1.2-r0 fixed:3.1.4-r0 fixed HIGH/nvd ds:wolfi',
    ],
    purl: 'pkg:apk/wolfi/glibc@2.38-r1?arch=x86_64&distro=20230201',
    packages: 7,
  },
  {
    image: 'chainguard',
    os: { Family: 'chainguard', Name: '20230201' },
    target: '(chainguard 20230201)',
    findings: [
      'CVE-2023-4911 glibc@2.38-r1 fixed:2.38-r2 fixed HIGH/nvd ds:chainguard',
      'CVE-2023-4911 glibc-locale-posix@2.38-r1 fixed:2.38-r2 fixed HIGH/nvd ds:chainguard',
      'CVE-2023-5363 libcrypto3@3.1.2-r0 fixed:3.1.4-r0 fixed HIGH/nvd ds:chainguard',
      'CVE-2023-5363 libssl3@3.1.2-r0 fixed:3.1.4-r0 fixed HIGH/nvd ds:chainguard',
    ],
    purl: 'pkg:apk/chainguard/glibc@2.38-r1?arch=x86_64&distro=20230201',
    packages: 7,
  },
];

/**
 * One finding in full, field for field and in field order, as Trivy's debian-buster golden prints
 * it (Layer compared separately; PkgIdentifier.UID and VendorSeverity came to Trivy's reports
 * after that golden was written).
 */
export const DEBIAN_LIBIDN2_GOLDEN = {
  VulnerabilityID: 'CVE-2019-18224',
  VendorIDs: ['DSA-4613-1'],
  PkgID: 'libidn2-0@2.0.5-1',
  PkgName: 'libidn2-0',
  PkgIdentifier: { PURL: 'pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64&distro=debian-10.1' },
  InstalledVersion: '2.0.5-1',
  FixedVersion: '2.0.5-1+deb10u1',
  Status: 'fixed',
  SeveritySource: 'nvd',
  PrimaryURL: 'https://avd.aquasec.com/nvd/cve-2019-18224',
  DataSource: {
    ID: 'debian',
    Name: 'Debian Security Tracker',
    URL: 'https://salsa.debian.org/security-tracker-team/security-tracker',
  },
  Title: 'libidn2: heap-based buffer overflow in idn2_to_ascii_4i in lib/lookup.c',
  Description:
    'idn2_to_ascii_4i in lib/lookup.c in GNU libidn2 before 2.1.1 has a heap-based buffer overflow via a long domain string.',
  Severity: 'CRITICAL',
  CweIDs: ['CWE-787'],
  CVSS: {
    nvd: {
      V2Vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      V2Score: 7.5,
      V3Score: 9.8,
    },
    redhat: { V3Vector: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', V3Score: 5.6 },
  },
  References: [
    'http://lists.opensuse.org/opensuse-security-announce/2019-12/msg00008.html',
    'http://lists.opensuse.org/opensuse-security-announce/2019-12/msg00009.html',
    'https://access.redhat.com/security/cve/CVE-2019-18224',
    'https://bugs.chromium.org/p/oss-fuzz/issues/detail?id=12420',
    'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-18224',
    'https://github.com/libidn/libidn2/commit/e4d1558aa2c1c04a05066ee8600f37603890ba8c',
    'https://github.com/libidn/libidn2/compare/libidn2-2.1.0...libidn2-2.1.1',
    'https://lists.fedoraproject.org/archives/list/package-announce@lists.fedoraproject.org/message/JDQVQ2XPV5BTZUFINT7AFJSKNNBVURNJ/',
    'https://lists.fedoraproject.org/archives/list/package-announce@lists.fedoraproject.org/message/MINU5RKDFE6TKAFY5DRFN3WSFDS4DYVS/',
    'https://seclists.org/bugtraq/2020/Feb/4',
    'https://security.gentoo.org/glsa/202003-63',
    'https://ubuntu.com/security/notices/USN-4168-1',
    'https://usn.ubuntu.com/4168-1/',
    'https://www.debian.org/security/2020/dsa-4613',
  ],
  PublishedDate: '2019-10-21T17:15:00Z',
  LastModifiedDate: '2019-10-29T19:15:00Z',
};
