export {
  almaReleaseAnalyzer,
  alpineReleaseAnalyzer,
  amazonLinuxAnalyzer,
  apkRepositoriesAnalyzer,
  centosReleaseAnalyzer,
  debianVersionAnalyzer,
  echoReleaseAnalyzer,
  fedoraReleaseAnalyzer,
  marinerReleaseAnalyzer,
  oracleReleaseAnalyzer,
  osAnalyzers,
  osReleaseAnalyzer,
  redhatReleaseAnalyzer,
  rockyReleaseAnalyzer,
  ubuntuEsmAnalyzer,
  ubuntuLsbReleaseAnalyzer,
} from './analyzers.ts';
export { APK_REPOSITORIES_PATH, parseApkRepositories } from './apk-repositories.ts';
export { OsFamily, type OsFamilyName } from './families.ts';
export { mergeOs } from './merge.ts';
export { OS_RELEASE_PATHS, parseOsRelease } from './os-release.ts';
export {
  parseAlmaRelease,
  parseAlpineRelease,
  parseAmazonRelease,
  parseCentOsRelease,
  parseDebianVersion,
  parseEchoRelease,
  parseFedoraRelease,
  parseLsbRelease,
  parseMarinerRelease,
  parseOracleRelease,
  parseRedHatRelease,
  parseRockyRelease,
} from './release-files.ts';
export { parseUbuntuEsmStatus, UBUNTU_ESM_STATUS_PATH } from './ubuntu-esm.ts';
export { isUnrecognizedOs } from './unrecognized.ts';
