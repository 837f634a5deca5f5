import { resolve } from 'node:path';
import type { ConfigFileContent } from '../analyzer/types.ts';
import type { ArtifactDeps, ArtifactUpdateOptions } from '../db/artifact/index.ts';
import type { LoadedChecks } from '../misconf/index.ts';
import {
  type ChecksBundleInfo,
  describeChecksBundle,
  filterMisconfigurations,
  loadChecks,
  obtainChecksBundle,
  scanMisconfigurations,
} from '../misconf/index.ts';
import type { Report, Result, Severity } from '../report/index.ts';
import type { CommandContext } from './command.ts';
import { skipCheckUpdateOption } from './db-options.ts';
import { checkNamespacesOption, configCheckOption, configDataOption } from './misconf-options.ts';

/**
 * `--scanners misconfig` in image, fs and rootfs scans: the Dockerfiles and manifests the
 * analysis kept are checked with the cached bundle (or the embedded checks), and the report
 * says which checks were used.
 */
export async function addMisconfigurations(
  context: CommandContext,
  report: Report,
  files: readonly ConfigFileContent[],
  update: ArtifactUpdateOptions,
  deps: ArtifactDeps,
): Promise<void> {
  const { options, logger } = context;
  const bundle = await obtainChecksBundle(update, deps, {
    explicitSkip: options.require(skipCheckUpdateOption),
    logger,
  });
  const { checks } = await loadChecksFromOptions(context, bundle);
  const results: Result[] = scanMisconfigurations(files, { checks, logger, signal: context.signal });
  report.Results.push(...results);
  report.Vigil = { ...report.Vigil, ChecksBundle: describeChecksBundle(bundle) };
}

/** --severity for misconfigurations, which the vulnerability filters leave alone. */
export function filterMisconfigurationResults(report: Report, severities: readonly Severity[]): void {
  const config = report.Results.filter((result) => result.Class === 'config');
  if (config.length === 0) return;
  const filtered = filterMisconfigurations(config, { severities: [...severities] });
  report.Results = [...report.Results.filter((result) => result.Class !== 'config'), ...filtered];
}

/** The bundle's (or embedded) checks plus --config-check, --config-data and --check-namespaces. */
export function loadChecksFromOptions(context: CommandContext, bundle: ChecksBundleInfo): Promise<LoadedChecks> {
  const { options, logger } = context;
  const cwd = context.io.cwd;
  return loadChecks({
    bundle,
    configChecks: options.require(configCheckOption).map((path) => resolve(cwd, path)),
    configData: options.require(configDataOption).map((path) => resolve(cwd, path)),
    namespaces: options.require(checkNamespacesOption),
    logger,
  });
}
