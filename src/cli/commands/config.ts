import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createPathFilter } from '../../artifact/path-filter.ts';
import { describeError, usageError, VigilError } from '../../errors/index.ts';
import {
  collectConfigFiles,
  countMisconfigurationFailures,
  describeChecksBundle,
  filterMisconfigurations,
  loadChecks,
  scanMisconfigurations,
} from '../../misconf/index.ts';
import { type Report, renderJsonReport, renderTableReport, type Severity } from '../../report/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import {
  checkNamespacesOption,
  configCheckOption,
  configDataOption,
  MISCONF_OPTIONS,
  skipCheckUpdateOption,
} from '../misconf-options.ts';
import {
  exitCodeOption,
  formatOption,
  outputOption,
  severityOption,
  skipDirsOption,
  skipFilesOption,
} from '../scan-options.ts';

export const configCommand: CommandDefinition = {
  name: 'config',
  summary: 'scan a directory for misconfigurations (Dockerfiles, Kubernetes manifests)',
  description:
    'Check Dockerfiles and Kubernetes manifests against Rego checks: the checks bundle in the cache ' +
    '(<cache-dir>/policy), or the checks embedded in Vigil when there is none, plus your own through ' +
    '--config-check. Works offline; the report says which checks were used.',
  arguments: [{ name: 'DIR', required: true, description: 'directory to scan' }],
  options: [
    ...MISCONF_OPTIONS,
    formatOption,
    outputOption,
    severityOption,
    exitCodeOption,
    skipFilesOption,
    skipDirsOption,
  ],
  examples: [
    'vigil config ./deploy',
    'vigil config . --severity HIGH,CRITICAL --exit-code 1',
    'vigil config . --config-check ./policies --check-namespaces user --format json',
  ],
  run: runConfig,
};

async function runConfig(context: CommandContext): Promise<number> {
  const [target, ...extra] = context.args;
  if (target === undefined || extra.length > 0) throw usageError('give one directory to scan', 'vigil config ./deploy');
  const { options, io, logger } = context;
  const cwd = io.cwd;
  const now = io.now();
  const filter = createPathFilter(options.require(skipFilesOption), options.require(skipDirsOption));
  const files = await collectConfigFiles(resolve(cwd, target), filter, logger);
  const { checks, bundle } = await loadChecks({
    cacheDir: context.global.cacheDir,
    configChecks: options.require(configCheckOption).map((path) => resolve(cwd, path)),
    configData: options.require(configDataOption).map((path) => resolve(cwd, path)),
    namespaces: options.require(checkNamespacesOption),
    skipCheckUpdate: options.require(skipCheckUpdateOption),
    now,
    logger,
  });
  logger.info(
    bundle.source === 'bundle'
      ? `using the checks bundle ${bundle.version} (${bundle.digest})`
      : 'using the checks embedded in Vigil (no checks bundle in the cache)',
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
  const format = options.require(formatOption);
  const output = options.get(outputOption);
  const text =
    format === 'json'
      ? renderJsonReport(report)
      : renderTableReport(report, { colour: output === undefined && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR });
  if (output === undefined) {
    io.stdout.write(text);
  } else {
    await writeFile(resolve(cwd, output), text).catch((error: unknown) => {
      throw new VigilError('OUTPUT_WRITE', `cannot write the report to ${output}: ${describeError(error)}`, {
        hint: 'check that the directory exists and is writable',
      });
    });
  }
  const exitCode = options.require(exitCodeOption);
  return exitCode !== 0 && countMisconfigurationFailures(results) > 0 ? exitCode : 0;
}
