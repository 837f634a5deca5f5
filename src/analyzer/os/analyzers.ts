import type { Analyzer, OS } from '../types.ts';
import { APK_REPOSITORIES_PATH, parseApkRepositories } from './apk-repositories.ts';
import { osFileAnalyzer } from './os-file-analyzer.ts';
import { OS_RELEASE_PATHS, parseOsRelease } from './os-release.ts';
import {
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
import { parseUbuntuEsmStatus, UBUNTU_ESM_STATUS_PATH } from './ubuntu-esm.ts';

const os = (parse: (text: string) => OS | undefined) => (text: string) => {
  const found = parse(text);
  return found ? { OS: found } : undefined;
};

export const alpineReleaseAnalyzer = osFileAnalyzer({
  type: 'alpine',
  version: 1,
  paths: ['etc/alpine-release'],
  parse: os(parseAlpineRelease),
});
export const amazonLinuxAnalyzer = osFileAnalyzer({
  type: 'amazon',
  version: 1,
  paths: ['etc/system-release', 'usr/lib/system-release'],
  parse: os(parseAmazonRelease),
});
export const marinerReleaseAnalyzer = osFileAnalyzer({
  type: 'cbl-mariner',
  version: 1,
  paths: ['etc/mariner-release'],
  parse: os(parseMarinerRelease),
});
export const echoReleaseAnalyzer = osFileAnalyzer({
  type: 'echo',
  version: 1,
  paths: ['etc/echo-release'],
  parse: os(parseEchoRelease),
});
export const almaReleaseAnalyzer = osFileAnalyzer({
  type: 'alma',
  version: 1,
  paths: ['etc/almalinux-release'],
  parse: os(parseAlmaRelease),
});
export const centosReleaseAnalyzer = osFileAnalyzer({
  type: 'centos',
  version: 1,
  paths: ['etc/centos-release'],
  parse: os(parseCentOsRelease),
});
export const fedoraReleaseAnalyzer = osFileAnalyzer({
  type: 'fedora',
  version: 1,
  paths: ['etc/fedora-release', 'usr/lib/fedora-release'],
  parse: os(parseFedoraRelease),
});
export const oracleReleaseAnalyzer = osFileAnalyzer({
  type: 'oracle',
  version: 1,
  paths: ['etc/oracle-release'],
  parse: os(parseOracleRelease),
});
export const rockyReleaseAnalyzer = osFileAnalyzer({
  type: 'rocky',
  version: 1,
  paths: ['etc/rocky-release'],
  parse: os(parseRockyRelease),
});
export const redhatReleaseAnalyzer = osFileAnalyzer({
  type: 'redhat',
  version: 1,
  paths: ['etc/redhat-release'],
  parse: os(parseRedHatRelease),
});
export const ubuntuLsbReleaseAnalyzer = osFileAnalyzer({
  type: 'ubuntu',
  version: 1,
  paths: ['etc/lsb-release'],
  parse: os(parseLsbRelease),
});
export const debianVersionAnalyzer = osFileAnalyzer({
  type: 'debian',
  version: 1,
  paths: ['etc/debian_version'],
  parse: os(parseDebianVersion),
});
export const osReleaseAnalyzer = osFileAnalyzer({
  type: 'os-release',
  version: 1,
  paths: OS_RELEASE_PATHS,
  parse: os(parseOsRelease),
});
export const ubuntuEsmAnalyzer = osFileAnalyzer({
  type: 'ubuntu-esm',
  version: 1,
  paths: [UBUNTU_ESM_STATUS_PATH],
  parse: os(parseUbuntuEsmStatus),
});
export const apkRepositoriesAnalyzer = osFileAnalyzer({
  type: 'apk-repo',
  version: 1,
  paths: [APK_REPOSITORIES_PATH],
  parse: (text) => {
    const repository = parseApkRepositories(text);
    return repository ? { Repository: repository } : undefined;
  },
});

/**
 * Every OS analyzer, most specific first: a distro's own file before the files it shares with its
 * parent (Oracle's before redhat-release, lsb-release before debian_version), os-release after
 * them, and ESM last because it only adds a flag. Results should be combined with `mergeOs`,
 * which reaches Trivy's answer in any order; this order also gives it under "first OS wins".
 */
export const osAnalyzers: readonly Analyzer[] = [
  alpineReleaseAnalyzer,
  amazonLinuxAnalyzer,
  marinerReleaseAnalyzer,
  echoReleaseAnalyzer,
  almaReleaseAnalyzer,
  centosReleaseAnalyzer,
  fedoraReleaseAnalyzer,
  oracleReleaseAnalyzer,
  rockyReleaseAnalyzer,
  redhatReleaseAnalyzer,
  ubuntuLsbReleaseAnalyzer,
  debianVersionAnalyzer,
  osReleaseAnalyzer,
  ubuntuEsmAnalyzer,
  apkRepositoriesAnalyzer,
];
