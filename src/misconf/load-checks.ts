import type { Logger } from '../log/index.ts';
import { collectRegoFiles } from './check-files.ts';
import { buildCheckSet, type CheckSet } from './check-set.ts';
import type { ChecksBundleInfo } from './checks-bundle.ts';
import { loadConfigData } from './config-data.ts';

export interface LoadChecksOptions {
  /** The builtin checks: a checks bundle or the embedded checks (see obtainChecksBundle). */
  readonly bundle: ChecksBundleInfo;
  /** `--config-check`: extra Rego files or directories. */
  readonly configChecks?: readonly string[];
  /** `--config-data`: JSON/YAML files or directories merged into `data`. */
  readonly configData?: readonly string[];
  /** `--check-namespaces`: top-level packages evaluated besides builtin, defsec and appshield. */
  readonly namespaces?: readonly string[];
  readonly logger: Logger;
}

export interface LoadedChecks {
  readonly checks: CheckSet;
  /** Which bundle the checks came from, for the report. */
  readonly bundle: ChecksBundleInfo;
}

/**
 * The checks for a scan: the bundle's (or the embedded) modules plus the user's `--config-check`
 * modules and `--config-data`, compiled together.
 */
export async function loadChecks(options: LoadChecksOptions): Promise<LoadedChecks> {
  const { bundle } = options;
  const builtin = await collectRegoFiles([bundle.path], bundle.source === 'bundle' ? 'bundle' : 'embedded');
  const user = await collectRegoFiles(options.configChecks ?? [], 'user');
  const data = await loadConfigData(options.configData ?? []);
  const checks = buildCheckSet([...builtin, ...user], {
    namespaces: options.namespaces,
    data,
    logger: options.logger,
  });
  options.logger.debug(
    `${checks.checks.length} checks loaded from ${bundle.source === 'bundle' ? `the checks bundle ${bundle.digest}` : 'the embedded checks'}` +
      (user.length > 0 ? ` and ${user.length} user module(s)` : ''),
  );
  return { checks, bundle };
}

/** The report's record of the checks used (`Vigil.ChecksBundle`). */
export function describeChecksBundle(bundle: ChecksBundleInfo): Record<string, string> {
  if (bundle.source === 'embedded') return { Source: 'embedded', Version: bundle.version };
  return {
    Source: 'bundle',
    Version: bundle.version,
    Digest: bundle.digest,
    DownloadedAt: bundle.downloadedAt,
    ...(bundle.repository === undefined ? {} : { Repository: bundle.repository }),
  };
}
