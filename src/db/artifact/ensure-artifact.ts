import type { ArtifactLocation } from '../../airgap/store/index.ts';
import { type CacheLayout, cacheLayout } from '../../cache/layout.ts';
import { describeError, VigilError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';
import type { TransferProgress } from '../../net/index.ts';
import type { RegistryClient } from '../../oci/registry/index.ts';
import type { DbArtifactKind } from '../build/index.ts';
import { ARTIFACT_SPECS, type ArtifactSpec, artifactPaths } from './artifact-kinds.ts';
import { checkDbAge } from './db-age.ts';
import { acquireInstallLock, removeAbandonedStaging } from './install.ts';
import { readLocalChecksState, readLocalDbState } from './local-state.ts';
import {
  type ChecksMetadataFile,
  type DbMetadataFile,
  parseGoTime,
  readSourceRecord,
  type SourceRecord,
} from './metadata.ts';
import { installChecks, installDb, refreshDownloadedAt } from './publish-artifact.ts';
import { type PullDeps, type PullGuard, type StagedArtifact, stageFromRepositories } from './pull-artifact.ts';
import { defaultArtifactRepositories, pinnedDigests } from './repositories.ts';
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
  /**
   * Repositories tried in order (default: Trivy's for the artifact): registries, OCI layouts,
   * bundles. When every one is pinned to a digest, the cache must hold one of those digests.
   */
  readonly repositories?: readonly ArtifactLocation[];
  /** --skip-db-update and friends (implied by --offline): use the cache, never download. */
  readonly skipUpdate?: boolean;
  /** --db-max-age: a DB built longer ago than this is an error. */
  readonly maxAgeMs?: number;
  /** --db-signature-key: PEM public keys; every download must carry a cosign signature by one of them. */
  readonly signatureKeys?: readonly string[];
  /** --allow-db-downgrade: accept a DB built earlier than the cached one. */
  readonly allowDowngrade?: boolean;
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

function repositoriesOf(spec: ArtifactSpec, options: ArtifactUpdateOptions): readonly ArtifactLocation[] {
  return options.repositories ?? defaultArtifactRepositories(spec.kind);
}

/** Signature and rollback rules for a download that would replace `cached`. */
function guardOf(options: ArtifactUpdateOptions, cached: DbMetadataFile | undefined): PullGuard {
  return {
    signatureKeys: options.signatureKeys,
    allowDowngrade: options.allowDowngrade,
    ...(cached && parseGoTime(cached.UpdatedAt) !== undefined ? { notBefore: cached.UpdatedAt } : {}),
  };
}

/**
 * With every repository pinned to a digest, what the cache holds decides: the pinned DB is used
 * however old (that is the point of a pin), any other is replaced by it.
 */
function pinnedDecision(
  spec: ArtifactSpec,
  options: ArtifactUpdateOptions,
  sourcePath: string,
  usable: boolean,
  skip: boolean,
  decision: UpdateDecision,
): UpdateDecision {
  const pins = pinnedDigests(repositoriesOf(spec, options));
  if (!pins || skip || !usable) return decision;
  const cached = readSourceRecord(sourcePath)?.ManifestDigest;
  if (cached && pins.has(cached)) return { action: 'use', reason: `the cache holds the pinned ${cached}` };
  return {
    action: 'download',
    reason: `the ${spec.label} is pinned to ${[...pins].join(', ')}, the cache holds ${cached ?? 'another'}`,
  };
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

/** A failure's one-line reason for a log line (a VigilError's message is already written for people). */
function reasonOf(error: unknown): string {
  return error instanceof VigilError ? error.message : describeError(error);
}

function dbUsable(spec: ArtifactSpec, state: LocalDbState): boolean {
  return state.metadata.state === 'ok' && !state.dataProblem && state.metadata.value.Version === spec.schemaVersion;
}

type DbDecider = typeof decideDbUpdate;

function decideWithPins(
  spec: ArtifactSpec,
  decide: DbDecider,
  options: ArtifactUpdateOptions,
  paths: ReturnType<typeof artifactPaths>,
  state: LocalDbState,
  skip: boolean,
  now: number,
): UpdateDecision {
  const decision = decide(spec, paths, state, skip, now);
  return pinnedDecision(spec, options, paths.source, dbUsable(spec, state), skip, decision);
}

/** Takes the install lock, decides again (another process may have just updated), downloads and installs. */
async function downloadDbUnderLock(
  spec: ArtifactSpec,
  decide: DbDecider,
  options: ArtifactUpdateOptions,
  deps: ArtifactDeps,
  skip: boolean,
): Promise<boolean> {
  const now = deps.now ?? (() => new Date());
  const layout = cacheLayout(options.cacheDir);
  const paths = artifactPaths(layout, spec.kind);
  const release = await acquireInstallLock(layout, spec.kind, {
    logger: deps.logger,
    signal: deps.signal,
    maxWaitMs: deps.lockWaitMs,
  });
  try {
    const state = await readLocalDbState(spec, paths);
    if (decideWithPins(spec, decide, options, paths, state, skip, now().getTime()).action !== 'download') return false;
    await removeAbandonedStaging(layout, deps.logger, now().getTime());
    const cached = dbUsable(spec, state) && state.metadata.state === 'ok' ? state.metadata.value : undefined;
    const staged = (await stageFromRepositories(
      spec,
      repositoriesOf(spec, options),
      pullDeps(layout, deps),
      undefined,
      guardOf(options, cached),
    )) as StagedArtifact;
    try {
      await installDb(paths, staged, now());
    } finally {
      await staged.staging.dispose();
    }
    return true;
  } finally {
    await release();
  }
}

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
  const decision = decideWithPins(spec, decide, options, paths, state, skip, now().getTime());
  let downloaded = false;
  if (decision.action === 'download') {
    if (decision.warning) deps.logger.warn(decision.warning);
    deps.logger.debug(`${spec.label}: ${decision.reason}`);
    const cached = state;
    try {
      downloaded = await downloadDbUnderLock(spec, decide, options, deps, skip);
    } catch (error) {
      // A failed update (network, registry, read-only cache) with a usable DB in place: go on with it, loudly.
      if (isAbort(error, deps.signal) || !dbUsable(spec, cached)) throw error;
      deps.logger.warn(`${reasonOf(error)}; using the ${spec.label} already in the cache`);
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

/** Under the install lock: decides again, then compares digests, downloads or only refreshes DownloadedAt. */
async function updateChecksUnderLock(
  options: ArtifactUpdateOptions,
  deps: ArtifactDeps,
  skip: boolean,
): Promise<boolean> {
  const spec = ARTIFACT_SPECS.checks;
  const now = deps.now ?? (() => new Date());
  const layout = cacheLayout(options.cacheDir);
  const paths = artifactPaths(layout, 'checks');
  const release = await acquireInstallLock(layout, 'checks', {
    logger: deps.logger,
    signal: deps.signal,
    maxWaitMs: deps.lockWaitMs,
  });
  try {
    const decision = decideChecksUpdate(spec, paths, await readLocalChecksState(paths), skip, now().getTime());
    if (decision.action === 'use') return false;
    await removeAbandonedStaging(layout, deps.logger, now().getTime());
    const unless = decision.action === 'compare-digest' ? decision.cachedDigest : undefined;
    const result = await stageFromRepositories(
      spec,
      repositoriesOf(spec, options),
      pullDeps(layout, deps),
      unless,
      guardOf(options, undefined),
    );
    if ('unchanged' in result) {
      await refreshDownloadedAt(spec, layout, paths, now(), result);
      return false;
    }
    try {
      await installChecks(paths, result, now());
    } finally {
      await result.staging.dispose();
    }
    return true;
  } finally {
    await release();
  }
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
  const decision = decideChecksUpdate(spec, paths, state, skip, now().getTime());
  let downloaded = false;
  if (decision.action !== 'use') {
    const cachedContent = state.contentExists;
    try {
      downloaded = await updateChecksUnderLock(options, deps, skip);
    } catch (error) {
      if (isAbort(error, deps.signal) || !cachedContent) throw error;
      deps.logger.warn(`${reasonOf(error)}; using the checks bundle already in the cache`);
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
    const dbState = spec.files ? await readLocalDbState(spec, paths) : undefined;
    const usable = dbState
      ? dbUsable(spec, dbState)
      : await readLocalChecksState(paths).then((state) => state.contentExists && state.metadata.state === 'ok');
    const cachedDigest = usable ? readSourceRecord(paths.source)?.ManifestDigest : undefined;
    const cachedMetadata = usable && dbState?.metadata.state === 'ok' ? dbState.metadata.value : undefined;
    await removeAbandonedStaging(layout, deps.logger, now().getTime());
    const result = await stageFromRepositories(
      spec,
      repositoriesOf(spec, options),
      pullDeps(layout, deps),
      cachedDigest,
      guardOf(options, cachedMetadata),
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
