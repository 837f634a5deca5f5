import { VigilError } from '../../errors/index.ts';
import type { ArtifactPaths, ArtifactSpec } from './artifact-kinds.ts';
import { type ChecksMetadataFile, type DbMetadataFile, parseGoTime, type ReadResult } from './metadata.ts';

/** What is in the cache for one artifact, as the update rules need it. */
export interface LocalDbState {
  readonly metadata: ReadResult<DbMetadataFile>;
  /** Why the data file cannot be used (missing, wrong format), if so. */
  readonly dataProblem: string | undefined;
}

export interface LocalChecksState {
  readonly metadata: ReadResult<ChecksMetadataFile>;
  readonly contentExists: boolean;
}

export type UpdateDecision =
  | { readonly action: 'use'; readonly reason: string }
  | { readonly action: 'download'; readonly reason: string; readonly warning?: string }
  /** Checks bundle older than a day: download only when the remote digest differs from `cachedDigest`. */
  | { readonly action: 'compare-digest'; readonly reason: string; readonly cachedDigest: string };

/** The hint for a missing or unusable artifact: the exact files, and the commands that provide them. */
export function missingArtifactHint(spec: ArtifactSpec, paths: ArtifactPaths): string {
  const files = spec.files ? `${paths.data} and ${paths.metadata}` : `${paths.data}/ and ${paths.metadata}`;
  return (
    `run '${spec.pullCommand}' where the registry is reachable (add --cache-dir to fill another cache, then copy ` +
    `its ${spec.kind === 'checks' ? 'policy' : spec.kind}/ directory here); it provides ${files}`
  );
}

function isFresh(spec: ArtifactSpec, metadata: DbMetadataFile, now: number): boolean {
  const next = parseGoTime(metadata.NextUpdate);
  const downloaded = parseGoTime(metadata.DownloadedAt);
  return (next !== undefined && now < next) || (downloaded !== undefined && now < downloaded + spec.freshForMs);
}

/** trivy-db's `NeedsUpdate` (trivy-compat §3.1), step by step. */
export function decideDbUpdate(
  spec: ArtifactSpec,
  paths: ArtifactPaths,
  state: LocalDbState,
  skip: boolean,
  now: number,
): UpdateDecision {
  const expected = spec.schemaVersion;
  if (state.metadata.state !== 'ok' || state.dataProblem) {
    const why =
      state.dataProblem ??
      (state.metadata.state === 'missing'
        ? `${paths.metadata} is missing`
        : `${paths.metadata} is unreadable (${(state.metadata as { reason: string }).reason})`);
    if (skip) {
      throw new VigilError('DB_FIRST_RUN', `${spec.skipFlag} cannot be specified on the first run: ${why}`, {
        hint: missingArtifactHint(spec, paths),
      });
    }
    return { action: 'download', reason: `no usable ${spec.label} in the cache (${why})` };
  }
  const metadata = state.metadata.value;
  if (parseGoTime(metadata.DownloadedAt) === undefined && !skip) {
    return {
      action: 'download',
      reason: 'DownloadedAt is not set',
      warning:
        `the ${spec.label} has no download time (as after a manual download or 'oras pull') and will be downloaded again; ` +
        `if you placed it there on purpose, use ${spec.skipFlag}`,
    };
  }
  if (metadata.Version > expected) {
    throw new VigilError(
      'DB_SCHEMA_NEWER',
      `the version of DB schema doesn't match. Local DB: ${metadata.Version}, Expected: ${expected} (${paths.metadata})`,
      {
        hint: `this Vigil is older than the ${spec.label}: update Vigil, or run '${spec.pullCommand}' for a schema ${expected} DB`,
      },
    );
  }
  if (skip) {
    if (metadata.Version !== expected) {
      throw new VigilError(
        'DB_SCHEMA_OLD',
        `${spec.skipFlag} cannot be specified with the old DB schema. Local DB: ${metadata.Version}, Expected: ${expected}`,
        {
          hint: `replace ${paths.data} and ${paths.metadata} with a schema ${expected} DB: ${missingArtifactHint(spec, paths)}`,
        },
      );
    }
    return { action: 'use', reason: `${spec.skipFlag} is set` };
  }
  if (metadata.Version !== expected)
    return { action: 'download', reason: `schema ${metadata.Version} is not ${expected}` };
  if (isFresh(spec, metadata, now)) return { action: 'use', reason: 'the cached DB is fresh' };
  return { action: 'download', reason: 'the cached DB is past its NextUpdate' };
}

/** trivy-java-db's `Updater.Update` (trivy-compat §3.2). */
export function decideJavaDbUpdate(
  spec: ArtifactSpec,
  paths: ArtifactPaths,
  state: LocalDbState,
  skip: boolean,
  now: number,
): UpdateDecision {
  if (state.metadata.state !== 'ok') {
    const why =
      state.metadata.state === 'missing'
        ? `${paths.metadata} is missing`
        : `${paths.metadata} is unreadable (${state.metadata.reason})`;
    if (skip) {
      throw new VigilError('DB_FIRST_RUN', `'${spec.skipFlag}' cannot be specified on the first run: ${why}`, {
        hint: missingArtifactHint(spec, paths),
      });
    }
    return { action: 'download', reason: why };
  }
  if (skip) {
    // Trivy accepts any schema here; a missing data file would only fail later, so say so now.
    if (state.dataProblem) {
      throw new VigilError('DB_FIRST_RUN', `${spec.skipFlag} is set but ${state.dataProblem}`, {
        hint: missingArtifactHint(spec, paths),
      });
    }
    return { action: 'use', reason: `${spec.skipFlag} is set` };
  }
  const metadata = state.metadata.value;
  if (state.dataProblem) return { action: 'download', reason: state.dataProblem };
  if (metadata.Version !== spec.schemaVersion) {
    return { action: 'download', reason: `schema ${metadata.Version} is not ${spec.schemaVersion}` };
  }
  if (isFresh(spec, metadata, now)) return { action: 'use', reason: 'the cached Java DB is fresh' };
  return { action: 'download', reason: 'the cached Java DB is past its NextUpdate' };
}

/** The checks bundle's `NeedsUpdate` (trivy-compat §3.3). */
export function decideChecksUpdate(
  spec: ArtifactSpec,
  paths: ArtifactPaths,
  state: LocalChecksState,
  skip: boolean,
  now: number,
): UpdateDecision {
  if (skip) {
    if (!state.contentExists) {
      throw new VigilError('CHECKS_MISSING', `cache does not exist at "${paths.data}"`, {
        hint: missingArtifactHint(spec, paths),
      });
    }
    return { action: 'use', reason: `${spec.skipFlag} is set` };
  }
  if (state.metadata.state !== 'ok')
    return { action: 'download', reason: `${paths.metadata} is missing or unreadable` };
  const metadata = state.metadata.value;
  if (!metadata.CustomBuild && metadata.MajorVersion !== spec.schemaVersion) {
    return {
      action: 'download',
      reason: `bundle version ${metadata.MajorVersion ?? 'unknown'} is not ${spec.schemaVersion}`,
    };
  }
  if (!state.contentExists) return { action: 'download', reason: `${paths.data} is missing` };
  const downloaded = parseGoTime(metadata.DownloadedAt);
  if (downloaded !== undefined && now < downloaded + spec.freshForMs)
    return { action: 'use', reason: 'downloaded within a day' };
  return { action: 'compare-digest', reason: 'older than a day', cachedDigest: metadata.Digest };
}
