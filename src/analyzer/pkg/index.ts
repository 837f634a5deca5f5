export { pkgAnalyzers } from './analyzers.ts';
export { APK_INSTALLED_PATHS, apkAnalyzer } from './apk/apk-analyzer.ts';
export { type ApkPackages, decodeApkChecksum, parseApkInstalled } from './apk/apk-installed.ts';
export { isApkVersion } from './apk/apk-version.ts';
export { type ControlParagraphs, parseControlParagraphs } from './dpkg/control-stanzas.ts';
export { debianCopyrightPackage, parseDebianCopyright } from './dpkg/debian-copyright.ts';
export { type DebianVersionParts, splitDebianVersion } from './dpkg/debian-version.ts';
export {
  DPKG_AVAILABLE_PATH,
  DPKG_INFO_DIR,
  DPKG_STATUS_DIR,
  DPKG_STATUS_PATH,
  dpkgAnalyzer,
} from './dpkg/dpkg-analyzer.ts';
export { parseDpkgAvailable, parseDpkgMd5sums } from './dpkg/dpkg-files.ts';
export { type DpkgPackages, type DpkgStatusOptions, parseDpkgStatus } from './dpkg/dpkg-status.ts';
export { normalizeLicenseName } from './license-names.ts';
export { readBerkeleyDbValues } from './rpm/berkeley-db.ts';
export { readNdbBlobs } from './rpm/ndb.ts';
export {
  RPMDB_PATHS,
  type RpmPackages,
  rpmAnalyzer,
  rpmPackagesToTrivy,
  splitSourceRpmName,
} from './rpm/rpm-analyzer.ts';
export { parseRpmHeader, type RpmHeaderEntry, RpmTag, RpmType } from './rpm/rpm-header.ts';
export {
  type RpmFileInfo,
  type RpmPackageInfo,
  readRpmPackage,
  rpmInstalledFileNames,
  rpmInstalledFiles,
} from './rpm/rpm-package.ts';
export { describeRpmSignature } from './rpm/rpm-signature.ts';
export { readSqliteBlobs } from './rpm/rpm-sqlite.ts';
export { detectRpmdbFormat, listRpmPackages, type RpmdbFormat } from './rpm/rpmdb.ts';
