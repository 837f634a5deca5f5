import { usageError } from '../errors/index.ts';

/** Trivy's built-in severity choice (`--vuln-severity-source auto`, the default). */
export const AUTO_SEVERITY_SOURCE = 'auto';

/** trivy-db source IDs, as they key `VendorSeverity` (trivy-db pkg/vulnsrc/vulnerability/const.go). */
export const SEVERITY_SOURCE_IDS: readonly string[] = [
  'nvd',
  'redhat',
  'redhat-oval',
  'redhat-csaf-vex',
  'debian',
  'ubuntu',
  'centos',
  'rocky',
  'fedora',
  'amazon',
  'oracle-oval',
  'suse-cvrf',
  'alpine',
  'arch-linux',
  'alma',
  'azure',
  'cbl-mariner',
  'photon',
  'ruby-advisory-db',
  'php-security-advisories',
  'nodejs-security-wg',
  'ghsa',
  'glad',
  'osv',
  'wolfi',
  'chainguard',
  'bitnami',
  'k8s',
  'govulndb',
  'julia',
  'seal',
  'aqua',
  'bottlerocket',
  'echo',
  'minimos',
  'rootio',
];

/**
 * `--vuln-severity-source` values (repeated or comma-separated) → the ordered list the detector
 * uses. An unknown source is a usage error rather than a silent UNKNOWN severity for everything.
 */
export function parseSeveritySources(values: readonly string[]): string[] {
  const sources = values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  for (const source of sources) {
    if (source !== AUTO_SEVERITY_SOURCE && !SEVERITY_SOURCE_IDS.includes(source)) {
      throw usageError(
        `unknown severity source "${source}"`,
        `use ${AUTO_SEVERITY_SOURCE} or one of: ${SEVERITY_SOURCE_IDS.join(', ')}`,
      );
    }
  }
  return sources.length === 0 ? [AUTO_SEVERITY_SOURCE] : [...new Set(sources)];
}
