export { APK_INSTALLED_PATHS, apkAnalyzer } from './apk/apk-analyzer.ts';
export { type ApkPackages, decodeApkChecksum, parseApkInstalled } from './apk/apk-installed.ts';
export { isApkVersion } from './apk/apk-version.ts';
export { type ControlParagraphs, parseControlParagraphs } from './dpkg/control-stanzas.ts';
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
