// The report types' own file: the report index loads the table and JSON writers, which a command line
// being parsed does not need.
import { SEVERITIES } from '../report/types.ts';
import { defineOption } from './option-spec.ts';

/** Options of the scan commands (`image`, `fs`, `rootfs`), grouped as their help shows them. */
const REPORT_GROUP = 'Report Options:';
const SCAN_GROUP = 'Scan Options:';
const IMAGE_GROUP = 'Image Options:';

export const formatOption = defineOption({
  name: 'format',
  short: 'f',
  kind: 'string',
  valueName: 'FORMAT',
  description: 'report format',
  choices: ['table', 'json'],
  defaultValue: () => 'table',
  group: REPORT_GROUP,
});

export const outputOption = defineOption({
  name: 'output',
  short: 'o',
  kind: 'string',
  valueName: 'FILE',
  description: 'write the report to FILE instead of stdout',
  group: REPORT_GROUP,
});

export const severityOption = defineOption({
  name: 'severity',
  short: 's',
  kind: 'list',
  valueName: 'SEVERITIES',
  description: 'severities to report',
  choices: SEVERITIES,
  defaultValue: () => [...SEVERITIES],
  defaultText: SEVERITIES.join(','),
  group: REPORT_GROUP,
});

export const ignoreUnfixedOption = defineOption({
  name: 'ignore-unfixed',
  kind: 'boolean',
  description: 'report only vulnerabilities that have a fix',
  defaultValue: () => false,
  configPaths: ['vulnerability.ignore-unfixed'],
  group: REPORT_GROUP,
});

export const exitCodeOption = defineOption({
  name: 'exit-code',
  kind: 'integer',
  valueName: 'CODE',
  description: 'exit status when the report lists vulnerabilities (after filters)',
  defaultValue: () => 0,
  group: REPORT_GROUP,
});

export const listAllPackagesOption = defineOption({
  name: 'list-all-pkgs',
  kind: 'boolean',
  description: 'include every package found in the JSON report, not only vulnerable ones',
  defaultValue: () => false,
  group: REPORT_GROUP,
});

export const ignoreFileOption = defineOption({
  name: 'ignorefile',
  kind: 'string',
  valueName: 'FILE',
  description: 'vulnerability IDs to ignore (.trivyignore format: one ID per line, optional exp:YYYY-MM-DD; or .yaml)',
  defaultValue: () => '.trivyignore',
  group: REPORT_GROUP,
});

export const scannersOption = defineOption({
  name: 'scanners',
  kind: 'list',
  valueName: 'SCANNERS',
  description: 'what to look for',
  choices: ['vuln', 'misconfig'],
  defaultValue: () => ['vuln'],
  configPaths: ['scan.scanners'],
  group: SCAN_GROUP,
});

export const skipFilesOption = defineOption({
  name: 'skip-files',
  kind: 'list',
  valueName: 'GLOBS',
  description: 'files to leave out, as globs relative to the scan root',
  defaultValue: () => [],
  configPaths: ['scan.skip-files'],
  group: SCAN_GROUP,
});

export const skipDirsOption = defineOption({
  name: 'skip-dirs',
  kind: 'list',
  valueName: 'GLOBS',
  description: 'directories to leave out, as globs relative to the scan root',
  defaultValue: () => [],
  configPaths: ['scan.skip-dirs'],
  group: SCAN_GROUP,
});

export const includeDevDepsOption = defineOption({
  name: 'include-dev-deps',
  kind: 'boolean',
  description: 'include development dependencies of lock files',
  defaultValue: () => false,
  configPaths: ['include-dev-deps'],
  group: SCAN_GROUP,
});

export const inputOption = defineOption({
  name: 'input',
  kind: 'string',
  valueName: 'FILE|DIR',
  description: 'image to scan from a `docker save` archive, an OCI layout tarball or directory (PATH:TAG picks a tag)',
  group: IMAGE_GROUP,
});

export const platformOption = defineOption({
  name: 'platform',
  kind: 'string',
  valueName: 'OS/ARCH',
  description: 'platform to pick from a multi-platform image, e.g. linux/arm64',
  configPaths: ['image.platform'],
  group: IMAGE_GROUP,
});

export const SCAN_REPORT_OPTIONS = [
  formatOption,
  outputOption,
  severityOption,
  ignoreUnfixedOption,
  exitCodeOption,
  listAllPackagesOption,
  ignoreFileOption,
] as const;

export const SCAN_TARGET_OPTIONS = [scannersOption, skipFilesOption, skipDirsOption, includeDevDepsOption] as const;

export const vulnSeveritySourceOption = defineOption({
  name: 'vuln-severity-source',
  kind: 'list',
  valueName: 'SOURCES',
  description: 'order of sources for severity: auto, or data source IDs such as nvd, ghsa, redhat, debian',
  defaultValue: () => ['auto'],
  configPaths: ['vulnerability.severity-source'],
  group: SCAN_GROUP,
});
