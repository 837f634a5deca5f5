import type { Repository } from '../../analyzer/types.ts';
import type { Logger } from '../../log/index.ts';
import { isAlpineVulnerable } from '../../version/index.ts';
import type { OsDriver } from './driver.ts';
import { ALPINE_EOL } from './eol-dates.ts';
import { fixedVersionDriver } from './fixed-version-driver.ts';
import { minorVersion } from './release.ts';

/**
 * The release whose advisories apply (Trivy pkg/detector/ospkg/alpine): the repository release in
 * /etc/apk/repositories wins over /etc/alpine-release, since packages come from the repository.
 */
function alpineStream(osVersion: string, repository: Repository | undefined, logger: Logger): string {
  const release = minorVersion(osVersion);
  const repositoryRelease = repository?.Release ? minorVersion(repository.Release) : '';
  if (repositoryRelease === '' || repositoryRelease === release) return release;
  if (repositoryRelease !== 'edge') {
    logger.warn(`Mixing Alpine versions is unsupported: OS ${release}, repository ${repositoryRelease}`);
  }
  return repositoryRelease;
}

/**
 * Alpine: bucket `alpine <major.minor>`, origin (source) package names falling back to the binary
 * name, apk order; `AffectedVersion` is a lower bound, and an advisory without a fixed version is
 * an unfixed finding.
 */
export const alpineDriver: OsDriver = fixedVersionDriver({
  label: 'alpine',
  scheme: 'apk',
  bucket: (osVersion, repository, context) => `alpine ${alpineStream(osVersion, repository, context.logger)}`,
  packageName: (pkg) => pkg.SrcName || pkg.Name,
  compares: 'source',
  reportsUnfixed: true,
  isVulnerable: isAlpineVulnerable,
  eol: { alpine: ALPINE_EOL },
  eolRelease: minorVersion,
});

/**
 * Wolfi, Chainguard and MinimOS: rolling apk distributions with one unversioned bucket each; only
 * advisories with a fixed version newer than the installed one count.
 */
function rollingApkDriver(bucket: string, label: string): OsDriver {
  return fixedVersionDriver({
    label,
    scheme: 'apk',
    bucket: () => bucket,
    packageName: (pkg) => pkg.SrcName || pkg.Name,
    compares: 'binary',
    reportsUnfixed: false,
    rolling: true,
  });
}

export const wolfiDriver = rollingApkDriver('wolfi', 'Wolfi');
export const chainguardDriver = rollingApkDriver('chainguard', 'Chainguard');
export const minimosDriver = rollingApkDriver('minimos', 'MinimOS');
