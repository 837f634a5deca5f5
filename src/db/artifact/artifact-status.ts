import { stat } from 'node:fs/promises';
import { cacheLayout } from '../../cache/layout.ts';
import type { DbArtifactKind } from '../build/index.ts';
import { ARTIFACT_SPECS, artifactPaths } from './artifact-kinds.ts';
import { dbAgeMs } from './db-age.ts';
import { readLocalChecksState, readLocalDbState } from './local-state.ts';
import { parseGoTime, readSourceRecord } from './metadata.ts';

/** One artifact in the cache as `vigil db status` shows it. */
export interface ArtifactStatus {
  readonly kind: DbArtifactKind;
  readonly label: string;
  readonly path: string;
  readonly present: boolean;
  /** Why it cannot be used, when present but broken. */
  readonly problem?: string;
  /** Schema version (DBs) or bundle major version (checks). */
  readonly schema?: number;
  readonly updatedAt?: string;
  readonly nextUpdate?: string;
  readonly downloadedAt?: string;
  /** Since UpdatedAt (DBs) or DownloadedAt (checks), in milliseconds. */
  readonly ageMs?: number;
  readonly sizeBytes?: number;
  readonly repository?: string;
  readonly manifestDigest?: string;
  /** The key whose signature was verified at download (sha256 of its public key). */
  readonly signedBy?: string;
}

const timeOrUndefined = (text: string | undefined) => (parseGoTime(text) === undefined ? undefined : text);

export async function artifactStatus(cacheDir: string, kind: DbArtifactKind, now: number): Promise<ArtifactStatus> {
  const spec = ARTIFACT_SPECS[kind];
  const paths = artifactPaths(cacheLayout(cacheDir), kind);
  const source = readSourceRecord(paths.source);
  const base = {
    kind,
    label: spec.label,
    path: paths.data,
    ...(source ? { repository: source.Repository, manifestDigest: source.ManifestDigest } : {}),
    ...(source?.SignedBy ? { signedBy: source.SignedBy } : {}),
  };
  if (!spec.files) {
    const state = await readLocalChecksState(paths);
    const metadata = state.metadata.state === 'ok' ? state.metadata.value : undefined;
    if (!state.contentExists && !metadata) return { ...base, present: false };
    const downloaded = parseGoTime(metadata?.DownloadedAt);
    return {
      ...base,
      present: state.contentExists,
      ...(state.contentExists ? {} : { problem: `${paths.data} is missing` }),
      ...(metadata?.MajorVersion === undefined ? {} : { schema: metadata.MajorVersion }),
      ...(downloaded === undefined
        ? {}
        : { downloadedAt: metadata?.DownloadedAt, ageMs: Math.max(0, now - downloaded) }),
      ...(metadata?.Digest && !source ? { manifestDigest: metadata.Digest } : {}),
    };
  }
  const state = await readLocalDbState(spec, paths);
  const size = await stat(paths.data).then(
    (info) => info.size,
    () => undefined,
  );
  if (state.metadata.state === 'missing' && size === undefined) return { ...base, present: false };
  const metadata = state.metadata.state === 'ok' ? state.metadata.value : undefined;
  const problem =
    state.dataProblem ??
    (state.metadata.state === 'ok'
      ? undefined
      : `${paths.metadata} is ${state.metadata.state === 'missing' ? 'missing' : `invalid (${state.metadata.reason})`}`);
  return {
    ...base,
    present: true,
    ...(problem ? { problem } : {}),
    ...(metadata
      ? {
          schema: metadata.Version,
          updatedAt: timeOrUndefined(metadata.UpdatedAt),
          nextUpdate: timeOrUndefined(metadata.NextUpdate),
          downloadedAt: timeOrUndefined(metadata.DownloadedAt),
          ageMs: dbAgeMs(metadata, now),
        }
      : {}),
    ...(size === undefined ? {} : { sizeBytes: size }),
  };
}

export function allArtifactStatus(cacheDir: string, now: number): Promise<ArtifactStatus[]> {
  return Promise.all((['db', 'java-db', 'checks'] as const).map((kind) => artifactStatus(cacheDir, kind, now)));
}
