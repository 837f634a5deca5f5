import type { DatabaseCoverage } from '../../report/index.ts';
import type { DbArtifactKind } from '../build/index.ts';
import { ARTIFACT_SPECS } from './artifact-kinds.ts';
import type { ArtifactStatus } from './artifact-status.ts';
import { dbAgeMs, formatAge } from './db-age.ts';
import type { CachedDb } from './ensure-artifact.ts';
import { parseGoTime } from './metadata.ts';

function age(ms: number | undefined): Pick<DatabaseCoverage, 'AgeSeconds' | 'Age'> {
  return ms === undefined ? {} : { AgeSeconds: Math.floor(ms / 1000), Age: formatAge(ms) };
}

const timeOrNothing = (text: string | undefined) => (parseGoTime(text) === undefined ? undefined : text);

/** A DB a scan opened: its metadata, age and where it came from. */
export function usedDbCoverage(cached: CachedDb, now: number, reason?: string): DatabaseCoverage {
  const { metadata, source } = cached;
  return {
    Kind: cached.kind,
    Name: ARTIFACT_SPECS[cached.kind].label,
    Status: 'used',
    ...(reason ? { Reason: reason } : {}),
    Schema: metadata.Version,
    UpdatedAt: timeOrNothing(metadata.UpdatedAt),
    NextUpdate: timeOrNothing(metadata.NextUpdate),
    DownloadedAt: timeOrNothing(metadata.DownloadedAt),
    ...age(cached.ageMs ?? dbAgeMs(metadata, now)),
    ...(source ? { ManifestDigest: source.ManifestDigest, Repository: source.Repository } : {}),
    ...(source?.SignedBy ? { SignedBy: source.SignedBy } : {}),
    Downloaded: cached.downloaded,
  };
}

/** A cached artifact described from `vigil db status`'s view of it (used without being opened now). */
export function statusCoverage(status: ArtifactStatus, reason: string): DatabaseCoverage {
  if (!status.present || status.problem) {
    return {
      Kind: status.kind,
      Name: status.label,
      Status: 'unavailable',
      Reason: status.problem ?? `not in the cache (${status.path})`,
    };
  }
  return {
    Kind: status.kind,
    Name: status.label,
    Status: 'used',
    Reason: reason,
    ...(status.schema === undefined ? {} : { Schema: status.schema }),
    ...(status.updatedAt ? { UpdatedAt: status.updatedAt } : {}),
    ...(status.nextUpdate ? { NextUpdate: status.nextUpdate } : {}),
    ...(status.downloadedAt ? { DownloadedAt: status.downloadedAt } : {}),
    ...age(status.ageMs),
    ...(status.manifestDigest ? { ManifestDigest: status.manifestDigest } : {}),
    ...(status.repository ? { Repository: status.repository } : {}),
    ...(status.signedBy ? { SignedBy: status.signedBy } : {}),
  };
}

/** A database the scan did without, and why. */
export function absentCoverage(
  kind: DbArtifactKind,
  status: 'unavailable' | 'not-needed' | 'skipped',
  reason: string,
): DatabaseCoverage {
  return { Kind: kind, Name: ARTIFACT_SPECS[kind].label, Status: status, Reason: reason };
}
