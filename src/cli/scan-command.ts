import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { trivyLocalCacheDirs } from '../analyzer/lang/analyzers-part2.ts';
import type { AnalyzerDeps } from '../analyzer/registry.ts';
import { allAnalyzers } from '../analyzer/registry.ts';
import type { ScanKind } from '../analyzer/types.ts';
import { createPathFilter } from '../artifact/path-filter.ts';
import { cacheLayout } from '../cache/layout.ts';
import type { CachedDb } from '../db/artifact/index.ts';
import {
  absentCoverage,
  artifactStatus,
  ensureJavaDb,
  ensureVulnDb,
  readDbMetadata,
  statusCoverage,
  usedDbCoverage,
} from '../db/artifact/index.ts';
import type { JavaDb } from '../db/javadb/index.ts';
import { openJavaDb } from '../db/javadb/index.ts';
import type { TrivyDb } from '../db/trivydb/index.ts';
import { openTrivyDb } from '../db/trivydb/index.ts';
import type { Detector } from '../detect/index.ts';
import { createDetector, parseSeveritySources } from '../detect/index.ts';
import { describeError, usageError } from '../errors/index.ts';
import { filterResults, loadIgnoreFile } from '../filter/index.ts';
import { misconfigAnalyzer } from '../misconf/index.ts';
import type { ImageSource } from '../oci/image/index.ts';
import { openLocalImage, parsePlatform, registryImage } from '../oci/image/index.ts';
import type { DatabaseCoverage, Report, Severity } from '../report/index.ts';
import type { ScanTarget } from '../scan/run-scan.ts';
import { inputTempDir, scanTarget } from '../scan/run-scan.ts';
import { applyVexToReport, ociImagePurl } from '../vex/index.ts';
import type { CommandContext } from './command.ts';
import { readDbOptions } from './db-settings.ts';
import { createRegistryAccess, transferProgress } from './registry-access.ts';
import { addMisconfigurations, filterMisconfigurationResults } from './scan-misconf.ts';
import {
  exitCodeOption,
  formatOption,
  ignoreFileOption,
  ignoreUnfixedOption,
  includeDevDepsOption,
  inputOption,
  listAllPackagesOption,
  outputOption,
  platformOption,
  scannersOption,
  severityOption,
  skipDirsOption,
  skipFilesOption,
  vulnSeveritySourceOption,
} from './scan-options.ts';
import { scanExitCode, writeReport } from './scan-reporting.ts';
import { showSuppressedOption } from './vex-options.ts';
import { loadScanVex } from './vex-sources.ts';

const MAX_LAYER_BYTES = 32 * 2 ** 30;
const MAX_ANALYZED_FILE_BYTES = 512 * 2 ** 20;
const SCAN_CACHE_MAX_BYTES = 2 * 2 ** 30;

/**
 * `vigil image`, `vigil fs` and `vigil rootfs`: databases first (so a missing DB fails before
 * any layer is read), then analysis, detection, filters and the report.
 */
export async function runScanCommand(context: CommandContext, kind: ScanKind): Promise<number> {
  const { options, global, logger } = context;
  const now = context.io.now();
  const dbOptions = readDbOptions(options, global.cacheDir, logger);
  const scanners = options.require(scannersOption);
  const vulnScan = scanners.includes('vuln');
  const misconfScan = scanners.includes('misconfig');
  if (!vulnScan && !misconfScan) throw usageError('no scanner selected', 'use --scanners vuln, misconfig or both');
  const access = await createRegistryAccess(context, dbOptions.offline);
  const artifactDeps = {
    registry: access.registry,
    logger,
    now: context.io.now,
    signal: context.signal,
    progress: transferProgress(context),
  };
  let db: TrivyDb | undefined;
  let javaDb: JavaDb | undefined;
  let image: ImageSource | undefined;
  let vulnDbCoverage: DatabaseCoverage | undefined;
  let javaDbCoverage: DatabaseCoverage | undefined;
  try {
    if (dbOptions.downloadJavaDbOnly) {
      await ensureJavaDb(dbOptions.javaDb, artifactDeps);
      return 0;
    }
    let detector: Detector | undefined;
    if (vulnScan || dbOptions.downloadDbOnly) {
      const vulnDb = await ensureVulnDb(dbOptions.vulnDb, artifactDeps);
      if (dbOptions.downloadDbOnly) return 0;
      vulnDbCoverage = usedDbCoverage(vulnDb, now.getTime());
      db = openTrivyDb(vulnDb.path);
      detector = createDetector(db, {
        clock: () => now,
        logger,
        severitySources: parseSeveritySources(options.require(vulnSeveritySourceOption)),
      });
    }
    const javaDbProvider = async (): Promise<JavaDb | undefined> => {
      if (javaDb) return javaDb;
      let cached: CachedDb;
      try {
        cached = await ensureJavaDb(dbOptions.javaDb, artifactDeps);
      } catch (error) {
        logger.warn(
          `the Java DB is unavailable (${describeError(error)}): jars are identified from their metadata only`,
        );
        javaDbCoverage = absentCoverage(
          'java-db',
          'unavailable',
          `${describeError(error)}; jars were identified from their metadata only`,
        );
        return undefined;
      }
      javaDb = openJavaDb(cached.path);
      javaDbCoverage = usedDbCoverage(cached, now.getTime());
      return javaDb;
    };
    const args = context.args;
    let target: ScanTarget;
    if (kind === 'image') {
      image = await openImage(context, args[0], access.registry);
      target = { kind: 'image', image };
    } else {
      const dir = args[0] as string;
      target = { kind, path: resolve(context.io.cwd, dir), name: dir };
    }
    const skipFiles = options.require(skipFilesOption);
    const skipDirs = options.require(skipDirsOption);
    const includeDevDeps = options.require(includeDevDepsOption);
    const analyzerDeps: AnalyzerDeps = {
      javaDb: javaDbProvider,
      env: context.io.env,
      rootDir: kind === 'image' ? undefined : args[0],
      ...(kind === 'fs' ? trivyLocalCacheDirs(context.io.env, context.io.env.HOME ?? homedir()) : {}),
    };
    const analyzers = [...(vulnScan ? allAnalyzers(analyzerDeps) : []), ...(misconfScan ? [misconfigAnalyzer] : [])];
    const { report, inventory } = await scanTarget(target, detector, {
      cacheDir: global.cacheDir,
      analyzers,
      filter: createPathFilter(skipFiles, skipDirs),
      includeDevDeps,
      // Packages are kept until VEX has used them for product/subcomponent matching.
      listAllPackages: true,
      cacheKeySettings: {
        kind,
        scanners,
        includeDevDeps,
        skipFiles,
        skipDirs,
        javaDb: javaDbStamp(global.cacheDir),
      },
      scanCacheMaxBytes: SCAN_CACHE_MAX_BYTES,
      maxLayerBytes: MAX_LAYER_BYTES,
      maxFileBytes: MAX_ANALYZED_FILE_BYTES,
      now,
      logger,
      signal: context.signal,
    });
    if (misconfScan) {
      await addMisconfigurations(context, report, inventory.ConfigFiles, dbOptions.checks, artifactDeps);
    }
    const vex = await loadScanVex(context, dbOptions.offline);
    if (vex.sources.length > 0 || vex.report().length > 0) {
      const repoDigest = report.Metadata.RepoDigests?.[0];
      const outcome = applyVexToReport(report, vex, {
        artifactPurl: repoDigest ? ociImagePurl(repoDigest, report.Metadata.ImageConfig?.architecture) : undefined,
      });
      report.Vigil = { ...report.Vigil, VEX: outcome.sources };
      for (const source of outcome.sources) {
        if (source.status === 'unavailable') logger.warn(`VEX source ${source.name} was not applied: ${source.reason}`);
      }
      logger.info(`VEX suppressed ${outcome.suppressed} finding(s)`);
    }
    if (!options.require(showSuppressedOption)) for (const result of report.Results) delete result.ModifiedFindings;
    if (!options.require(listAllPackagesOption)) for (const result of report.Results) delete result.Packages;
    const ignoreFile = options.require(ignoreFileOption);
    const ignoreRules = await loadIgnoreFile(
      resolve(context.io.cwd, ignoreFile),
      options.sourceOf(ignoreFileOption) !== 'default',
    );
    const severities = options.require(severityOption) as Severity[];
    filterMisconfigurationResults(report, severities);
    report.Results = filterResults(report.Results, {
      severities,
      ignoreUnfixed: options.require(ignoreUnfixedOption),
      ignoreRules,
      now,
    });
    report.Vigil = {
      ...report.Vigil,
      Databases: await databaseCoverage(report, global.cacheDir, now, {
        vulnScan,
        misconfScan,
        vulnDb: vulnDbCoverage,
        javaDb: javaDbCoverage,
      }),
    };
    // Past --timeout nothing is written: the command failed.
    context.signal.throwIfAborted();
    await writeReport(report, options.require(formatOption), options.get(outputOption), context.io);
    return scanExitCode(report, options.require(exitCodeOption));
  } finally {
    db?.close();
    javaDb?.close();
    await image?.close();
    await access.close();
  }
}

async function openImage(
  context: CommandContext,
  reference: string | undefined,
  registry: Parameters<typeof registryImage>[0],
): Promise<ImageSource> {
  const input = context.options.get(inputOption);
  const platformText = context.options.get(platformOption);
  const platform = platformText ? parsePlatform(platformText) : undefined;
  if (input && reference) throw usageError('give either an image reference or --input, not both', 'drop one of them');
  if (input) {
    return openLocalImage(resolve(context.io.cwd, input), {
      name: input,
      tempDir: inputTempDir(context.global.cacheDir),
      platform,
    });
  }
  if (!reference) {
    throw usageError('no image given', 'pass an image reference (vigil image alpine:3.19) or --input FILE|DIR');
  }
  return registryImage(registry, reference, { platform, signal: context.signal });
}

/**
 * Which databases the report rests on and which it did without (`Vigil.Databases`). The Java DB
 * is opened only for a jar; when the jars' results came from the scan cache it was not opened
 * now, and the cached one (part of the scan cache key) is what they rest on.
 */
async function databaseCoverage(
  report: Report,
  cacheDir: string,
  now: Date,
  used: { vulnScan: boolean; misconfScan: boolean; vulnDb?: DatabaseCoverage; javaDb?: DatabaseCoverage },
): Promise<DatabaseCoverage[]> {
  const vulnOff = '--scanners has no vuln';
  const coverage: DatabaseCoverage[] = [used.vulnDb ?? absentCoverage('db', 'skipped', vulnOff)];
  if (!used.vulnScan) coverage.push(absentCoverage('java-db', 'skipped', vulnOff));
  else if (used.javaDb) coverage.push(used.javaDb);
  else if (report.Results.some((result) => result.Type === 'jar')) {
    const status = await artifactStatus(cacheDir, 'java-db', now.getTime());
    coverage.push(statusCoverage(status, 'the jar results came from the scan cache, made with this Java DB'));
  } else coverage.push(absentCoverage('java-db', 'not-needed', 'no jar, war, ear or par file was found'));
  const checks = report.Vigil?.ChecksBundle as Record<string, string> | undefined;
  if (!used.misconfScan || !checks) {
    coverage.push(absentCoverage('checks', 'skipped', '--scanners has no misconfig'));
  } else if (checks.Source === 'embedded') {
    coverage.push(
      absentCoverage('checks', 'unavailable', `the checks embedded in Vigil (${checks.Version}) were used instead`),
    );
  } else {
    coverage.push({
      Kind: 'checks',
      Name: 'checks bundle',
      Status: 'used',
      ...(checks.Version ? { Reason: `version ${checks.Version}` } : {}),
      ...(checks.DownloadedAt ? { DownloadedAt: checks.DownloadedAt } : {}),
      ...(checks.Digest ? { ManifestDigest: checks.Digest } : {}),
      ...(checks.Repository ? { Repository: checks.Repository } : {}),
    });
  }
  return coverage;
}

/** The Java DB's build time is part of the layer cache key: jar results depend on it. */
function javaDbStamp(cacheDir: string): string {
  const layout = cacheLayout(cacheDir);
  if (!existsSync(layout.javaDbMetadata)) return 'none';
  const read = readDbMetadata(layout.javaDbMetadata);
  return read.state === 'ok' ? read.value.UpdatedAt : read.state;
}
