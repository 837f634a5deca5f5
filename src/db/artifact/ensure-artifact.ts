import { join } from 'node:path';
import { type CacheLayout, cacheLayout } from '../../cache/layout.ts';
import { describeError, VigilError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';
import type { TransferProgress } from '../../net/index.ts';
import { parseReference, type Reference, type RegistryClient } from '../../oci/registry/index.ts';
import { type DbArtifactKind, goTimeText } from '../build/index.ts';
import { ARTIFACT_SPECS, type ArtifactPaths, type ArtifactSpec, artifactPaths } from './artifact-kinds.ts';
import { checkDbAge } from './db-age.ts';
import {
  acquireInstallLock,
  createStaging,
  publishFiles,
  publishTree,
  removeAbandonedStaging,
  writeDurably,
} from './install.ts';
import { readLocalChecksState, readLocalDbState } from './local-state.ts';
import {
  type ChecksMetadataFile,
  checksMetadataText,
  type DbMetadataFile,
  dbMetadataText,
  readChecksMetadata,
  readDbMetadata,
  readSourceRecord,
  type SourceRecord,
  sourceRecordText,
} from './metadata.ts';
import { type PullDeps, type StagedArtifact, stageFromRepositories } from './pull-artifact.ts';
import {
  decideChecksUpdate,
  decideDbUpdate,
  decideJavaDbUpdate,
  type LocalDbState,
  missingArtifactHint,
  type UpdateDecision,
} from './update-decision.ts';

export interface ArtifactUpdateOptions {
  readonly cacheDir: string;
  /** Repositories tried in order (default: Trivy's for the artifact). */
  readonly repositories?: readonly Reference[];
  /** --skip-db-update and friends (implied by --offline): use the cache, never download. */
  readonly skipUpdate?: boolean;
  /** --db-max-age: a DB built longer ago than this is an error. */
  readonly maxAgeMs?: number;
}

/** What the lifecycle needs from outside: the registry, logs, the clock, cancellation and progress. */
export interface ArtifactDeps {
  readonly registry: RegistryClient;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  readonly progress?: TransferProgress;
  /** How long to wait for another process updating the same artifact (default 15 min). */
  readonly lockWaitMs?: number;
}

/** A vulnerability DB or Java DB ready to open. */
export interface CachedDb {
  readonly kind: 'db' | 'java-db';
  readonly path: string;
  readonly metadataPath: string;
  readonly metadata: DbMetadataFile;
  /** Repository and manifest digest, when Vigil pulled it. */
  readonly source: SourceRecord | undefined;
  /** Downloaded during this call. */
  readonly downloaded: boolean;
  readonly ageMs: number | undefined;
}

/** The checks bundle's unpacked content, ready to load. */
export interface CachedChecks {
  readonly kind: 'checks';
  readonly path: string;
  readonly metadataPath: string;
  readonly metadata: ChecksMetadataFile | undefined;
  readonly source: SourceRecord | undefined;
  readonly downloaded: boolean;
}

export interface PullOutcome {
  readonly kind: DbArtifactKind;
  readonly label: string;
  readonly status: 'downloaded' | 'unchanged';
  readonly repository: string;
  readonly manifestDigest: string;
  readonly path: string;
}

function repositoriesOf(spec: ArtifactSpec, options: ArtifactUpdateOptions): readonly Reference[] {
  return options.repositories ?? spec.defaultRepositories.map((text) => parseReference(text));
}

function pullDeps(layout: CacheLayout, deps: ArtifactDeps): PullDeps {
  return { registry: deps.registry, layout, logger: deps.logger, signal: deps.signal, progress: deps.progress };
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return (
    signal?.aborted === true ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  );
}

function dbUsable(spec: ArtifactSpec, state: LocalDbState): boolean {
  return state.metadata.state === 'ok' && !state.dataProblem && state.metadata.value.Version === spec.schemaVersion;
}

function sourceRecord(
  staged: StagedArtifact | { repository: string; manifestDigest: string },
  now: Date,
  layerDigest = '',
): SourceRecord {
  return {
    Repository: staged.repository,
    ManifestDigest: staged.manifestDigest,
    LayerDigest: layerDigest,
    PulledAt: goTimeText(now),
  };
}

async function installDb(paths: ArtifactPaths, staged: StagedArtifact, now: Date): Promise<void> {
  const content = join(staged.staging.dir, 'content');
  const metadataFile = join(content, 'metadata.json');
  const sourceFile = join(content, 'vigil-source.json');
  await writeDurably(
    metadataFile,
    dbMetadataText({ ...(staged.metadata as DbMetadataFile), DownloadedAt: goTimeText(now) }),
  );
  await writeDurably(sourceFile, sourceRecordText(sourceRecord(staged, now, staged.layerDigest)));
  // metadata.json goes last: until it lands, the previous metadata describes a valid DB.
  await publishFiles([staged.data, sourceFile, metadataFile], paths.dir);
}

async function installChecks(paths: ArtifactPaths, staged: StagedArtifact, now: Date): Promise<void> {
  const metadata: ChecksMetadataFile = {
    Digest: staged.manifestDigest,
    DownloadedAt: goTimeText(now),
    MajorVersion: staged.majorVersion ?? 0,
    ...(staged.majorVersion === undefined ? { CustomBuild: true } : {}),
  };
  const metadataFile = join(staged.staging.dir, 'metadata.json');
  const sourceFile = join(staged.staging.dir, 'vigil-source.json');
  await writeDurably(metadataFile, checksMetadataText(metadata));
  await writeDurably(sourceFile, sourceRecordText(sourceRecord(staged, now, staged.layerDigest)));
  await publishTree(staged.data, paths.data);
  await publishFiles([sourceFile, metadataFile], paths.dir);
}

/** The registry still serves what is cached: only DownloadedAt (and the sidecar's time) move on. */
async function refreshDownloadedAt(
  spec: ArtifactSpec,
  layout: CacheLayout,
  paths: ArtifactPaths,
  now: Date,
  source: { repository: string; manifestDigest: string },
): Promise<void> {
  const staging = await createStaging(layout, spec.kind);
  try {
    const metadataFile = join(staging.dir, 'metadata.json');
    if (spec.files) {
      const read = readDbMetadata(paths.metadata);
      if (read.state !== 'ok') return;
      await writeDurably(metadataFile, dbMetadataText({ ...read.value, DownloadedAt: goTimeText(now) }));
    } else {
      const read = readChecksMetadata(paths.metadata);
      if (read.state !== 'ok') return;
      await writeDurably(metadataFile, checksMetadataText({ ...read.value, DownloadedAt: goTimeText(now) }));
    }
    const previous = readSourceRecord(paths.source);
    const sourceFile = join(staging.dir, 'vigil-source.json');
    await writeDurably(
      sourceFile,
      sourceRecordText({ ...sourceRecord(source, now), LayerDigest: previous?.LayerDigest ?? '' }),
    );
    await publishFiles([sourceFile, metadataFile], paths.dir);
  } finally {
    await staging.dispose();
  }
}

type DbDecider = typeof decideDbUpdate;

async function ensureDb(
  kind: 'db' | 'java-db',
  decide: DbDecider,
  options: ArtifactUpdateOptions,
  deps: ArtifactDeps,
): Promise<CachedDb> {
  const spec = ARTIFACT_SPECS[kind];
  const now = deps.now ?? (() => new Date());
  const layout = cacheLayout(options.cacheDir);
  const paths = artifactPaths(layout, kind);
  const skip = options.skipUpdate === true;
  let state = await readLocalDbState(spec, paths);
  let decision: UpdateDecision = decide(spec, paths, state, skip, now().getTime());
  let downloaded = false;
  if (decision.action === 'download') {
    if (decision.warning) deps.logger.warn(decision.warning);
    deps.logger.debug(`${spec.label}: ${decision.reason}`);
    const release = await acquireInstallLock(layout, kind, {
      logger: deps.logger,
      signal: deps.signal,
      maxWaitMs: deps.lockWaitMs,
    });
    try {
      // Another process may have installed it while this one waited for the lock.
      state = await readLocalDbState(spec, paths);
      decision = decide(spec, paths, state, skip, now().getTime());
      if (decision.action === 'download') {
        await removeAbandonedStaging(layout, deps.logger, now().getTime());
        try {
          const staged = (await stageFromRepositories(
            spec,
            repositoriesOf(spec, options),
            pullDeps(layout, deps),
          )) as StagedArtifact;
          try {
            await installDb(paths, staged, now());
          } finally {
            await staged.staging.dispose();
          }
          downloaded = true;
        } catch (error) {
          if (isAbort(error, deps.signal) || !dbUsable(spec, state)) throw error;
          deps.logger.warn(`${describeError(error)}; using the ${spec.label} already in the cache`);
        }
      }
    } finally {
      await release();
    }
    state = await readLocalDbState(spec, paths);
  }
  if (state.metadata.state !== 'ok' || state.dataProblem) {
    throw new VigilError(
      'DB_MISSING',
      `the ${spec.label} in the cache is not usable: ${state.dataProblem ?? `${paths.metadata} is unreadable`}`,
      {
        hint: missingArtifactHint(spec, paths),
      },
    );
  }
  const metadata = state.metadata.value;
  const ageMs = checkDbAge(spec, paths, metadata, now().getTime(), options.maxAgeMs, deps.logger);
  return {
    kind,
    path: paths.data,
    metadataPath: paths.metadata,
    metadata,
    source: readSourceRecord(paths.source),
    downloaded,
    ageMs,
  };
}

/** The vulnerability DB for a scan, downloaded or updated first when Trivy's rules say so (§3.1). */
export function ensureVulnDb(options: ArtifactUpdateOptions, deps: ArtifactDeps): Promise<CachedDb> {
  return ensureDb('db', decideDbUpdate, options, deps);
}

/** The Java DB, under trivy-java-db's rules (§3.2). */
export function ensureJavaDb(options: ArtifactUpdateOptions, deps: ArtifactDeps): Promise<CachedDb> {
  return ensureDb('java-db', decideJavaDbUpdate, options, deps);
}

/**
 * The checks bundle under Trivy's rules (§3.3). A failed update with a bundle in the cache logs a
 * warning and uses it; with none, the error goes to the caller (which may use embedded checks).
 */
export async function ensureChecksBundle(options: ArtifactUpdateOptions, deps: ArtifactDeps): Promise<CachedChecks> {
  const spec = ARTIFACT_SPECS.checks;
  const now = deps.now ?? (() => new Date());
  const layout = cacheLayout(options.cacheDir);
  const paths = artifactPaths(layout, 'checks');
  const skip = options.skipUpdate === true;
  let state = await readLocalChecksState(paths);
  let decision = decideChecksUpdate(spec, paths, state, skip, now().getTime());
  let downloaded = false;
  if (decision.action !== 'use') {
    const release = await acquireInstallLock(layout, 'checks', {
      logger: deps.logger,
      signal: deps.signal,
      maxWaitMs: deps.lockWaitMs,
    });
    try {
      state = await readLocalChecksState(paths);
      decision = decideChecksUpdate(spec, paths, state, skip, now().getTime());
      if (decision.action !== 'use') {
        await removeAbandonedStaging(layout, deps.logger, now().getTime());
        const unless = decision.action === 'compare-digest' ? decision.cachedDigest : undefined;
        try {
          const result = await stageFromRepositories(
            spec,
            repositoriesOf(spec, options),
            pullDeps(layout, deps),
            unless,
          );
          if ('unchanged' in result) {
            await refreshDownloadedAt(spec, layout, paths, now(), result);
          } else {
            try {
              await installChecks(paths, result, now());
            } finally {
              await result.staging.dispose();
            }
            downloaded = true;
          }
        } catch (error) {
          if (isAbort(error, deps.signal) || !state.contentExists) throw error;
          deps.logger.warn(`${describeError(error)}; using the checks bundle already in the cache`);
        }
      }
    } finally {
      await release();
    }
    state = await readLocalChecksState(paths);
  }
  return {
    kind: 'checks',
    path: paths.data,
    metadataPath: paths.metadata,
    metadata: state.metadata.state === 'ok' ? state.metadata.value : undefined,
    source: readSourceRecord(paths.source),
    downloaded,
  };
}

/**
 * `vigil db pull`: update now. The manifest is always fetched; when its digest is the one cached
 * (Vigil's sidecar records it), only DownloadedAt is refreshed instead of downloading again.
 */
export async function pullArtifactNow(
  kind: DbArtifactKind,
  options: ArtifactUpdateOptions,
  deps: ArtifactDeps,
): Promise<PullOutcome> {
  const spec = ARTIFACT_SPECS[kind];
  const now = deps.now ?? (() => new Date());
  const layout = cacheLayout(options.cacheDir);
  const paths = artifactPaths(layout, kind);
  const release = await acquireInstallLock(layout, kind, {
    logger: deps.logger,
    signal: deps.signal,
    maxWaitMs: deps.lockWaitMs,
  });
  try {
    const usable = spec.files
      ? dbUsable(spec, await readLocalDbState(spec, paths))
      : await readLocalChecksState(paths).then((state) => state.contentExists && state.metadata.state === 'ok');
    const cachedDigest = usable ? readSourceRecord(paths.source)?.ManifestDigest : undefined;
    await removeAbandonedStaging(layout, deps.logger, now().getTime());
    const result = await stageFromRepositories(
      spec,
      repositoriesOf(spec, options),
      pullDeps(layout, deps),
      cachedDigest,
    );
    if ('unchanged' in result) {
      await refreshDownloadedAt(spec, layout, paths, now(), result);
      deps.logger.info(`the ${spec.label} is up to date (${result.manifestDigest} from ${result.repository})`);
      return {
        kind,
        label: spec.label,
        status: 'unchanged',
        repository: result.repository,
        manifestDigest: result.manifestDigest,
        path: paths.data,
      };
    }
    try {
      if (spec.files) await installDb(paths, result, now());
      else await installChecks(paths, result, now());
    } finally {
      await result.staging.dispose();
    }
    deps.logger.info(`the ${spec.label} was downloaded from ${result.repository} (${result.manifestDigest})`);
    return {
      kind,
      label: spec.label,
      status: 'downloaded',
      repository: result.repository,
      manifestDigest: result.manifestDigest,
      path: paths.data,
    };
  } finally {
    await release();
  }
}
