import { resolve } from 'node:path';
import { createPathFilter } from '../../artifact/path-filter.ts';
import { parseArtifactRepositories } from '../../db/artifact/index.ts';
import { usageError } from '../../errors/index.ts';
import {
  collectConfigFiles,
  countMisconfigurationFailures,
  describeChecksBundle,
  filterMisconfigurations,
  obtainChecksBundle,
  scanMisconfigurations,
} from '../../misconf/index.ts';
import type { Report, Severity } from '../../report/index.ts';
import type { CommandContext } from '../command.ts';
import { checksBundleRepositoryOption, skipCheckUpdateOption } from '../db-options.ts';
import { offlineOption } from '../network-options.ts';
import { createRegistryAccess, transferProgress } from '../registry-access.ts';
import { loadChecksFromOptions } from '../scan-misconf.ts';
import {
  exitCodeOption,
  formatOption,
  outputOption,
  severityOption,
  skipDirsOption,
  skipFilesOption,
} from '../scan-options.ts';
import { writeReport } from '../scan-reporting.ts';

export async function runConfig(context: CommandContext): Promise<number> {
  const [target, ...extra] = context.args;
  if (target === undefined || extra.length > 0) throw usageError('give one directory to scan', 'vigil config ./deploy');
  const { options, io, logger } = context;
  const cwd = io.cwd;
  const now = io.now();
  const filter = createPathFilter(options.require(skipFilesOption), options.require(skipDirsOption));
  const files = await collectConfigFiles(resolve(cwd, target), filter, logger);
  const bundle = await checksBundle(context);
  const { checks } = await loadChecksFromOptions(context, bundle);
  logger.info(
    bundle.source === 'bundle'
      ? `using the checks bundle ${bundle.version} (${bundle.digest})`
      : `using the checks embedded in Vigil (version ${bundle.version})`,
  );
  const results = filterMisconfigurations(scanMisconfigurations(files, { checks, logger, signal: context.signal }), {
    severities: options.require(severityOption) as Severity[],
  });
  const report: Report = {
    SchemaVersion: 2,
    CreatedAt: now.toISOString(),
    ArtifactName: target,
    ArtifactType: 'filesystem',
    Metadata: {},
    Results: results,
    Vigil: { ChecksBundle: describeChecksBundle(bundle) },
  };
  await writeReport(report, options.require(formatOption), options.get(outputOption), io);
  const exitCode = options.require(exitCodeOption);
  return exitCode !== 0 && countMisconfigurationFailures(results) > 0 ? exitCode : 0;
}

/** The checks bundle through the artifact lifecycle (download when due), else the embedded checks. */
async function checksBundle(context: CommandContext) {
  const { options, logger } = context;
  const offline = options.get(offlineOption) === true;
  const explicitSkip = options.require(skipCheckUpdateOption);
  const update = {
    cacheDir: context.global.cacheDir,
    repositories: parseArtifactRepositories('checks', options.require(checksBundleRepositoryOption), logger),
    skipUpdate: offline || explicitSkip,
  };
  const access = await createRegistryAccess(context, offline);
  try {
    const deps = {
      registry: access.registry,
      logger,
      now: context.io.now,
      signal: context.signal,
      progress: transferProgress(context),
    };
    return await obtainChecksBundle(update, deps, { explicitSkip, logger });
  } finally {
    await access.close();
  }
}
