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
