import { readFileSync, statSync } from 'node:fs';

/**
 * trivy-db / trivy-java-db `metadata.json` (Go field names; `DownloadedAt` is written by the client,
 * zero in the published archive). The original text of each time is kept, so rewriting
 * `DownloadedAt` leaves the other fields byte for byte as the publisher wrote them.
 */
export interface DbMetadataFile {
  readonly Version: number;
  readonly NextUpdate: string;
  readonly UpdatedAt: string;
  readonly DownloadedAt: string;
}

/** Checks bundle `policy/metadata.json`. */
export interface ChecksMetadataFile {
  readonly Digest: string;
  readonly DownloadedAt: string;
  readonly MajorVersion?: number;
  readonly CustomBuild?: boolean;
}

/** Vigil's sidecar next to Trivy's metadata.json: what was pulled from where. */
export interface SourceRecord {
  /** Where it came from: `host/repo:tag`, `host/repo@sha256:…` when pinned, `oci:DIR:tag`, `file:BUNDLE`. */
  readonly Repository: string;
  readonly ManifestDigest: string;
  readonly LayerDigest: string;
  readonly PulledAt: string;
  /** The key (sha256 of its public key) whose cosign signature was verified at download, if any. */
  readonly SignedBy?: string;
}

const MAX_METADATA_BYTES = 1024 * 1024;
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export type ReadResult<T> =
  | { readonly state: 'ok'; readonly value: T }
  | { readonly state: 'missing' }
  | { readonly state: 'invalid'; readonly reason: string };

function readJsonObject(path: string): ReadResult<Record<string, unknown>> {
  let text: string;
  try {
    if (statSync(path).size > MAX_METADATA_BYTES) return { state: 'invalid', reason: 'larger than 1 MiB' };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'missing' };
    return { state: 'invalid', reason: (error as Error).message };
  }
  return parseJsonObject(text);
}

function parseJsonObject(text: string): ReadResult<Record<string, unknown>> {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { state: 'invalid', reason: 'not a JSON object' };
    return { state: 'ok', value: value as Record<string, unknown> };
  } catch {
    return { state: 'invalid', reason: 'not valid JSON' };
  }
}

/** Go's time.Time JSON: an RFC 3339 string; the zero time stands for "never". */
export function parseGoTime(text: string | undefined): number | undefined {
  if (text === undefined || text.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function timeField(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  if (value === undefined) return GO_ZERO_TIME;
  if (typeof value !== 'string') return undefined;
  return value.startsWith('0001-01-01') || !Number.isNaN(Date.parse(value)) ? value : undefined;
}

export function readDbMetadata(path: string): ReadResult<DbMetadataFile> {
  return dbMetadataFrom(readJsonObject(path));
}

/** metadata.json's text (as found inside an artifact's archive) parsed like the cached file. */
export function parseDbMetadata(text: string): ReadResult<DbMetadataFile> {
  return dbMetadataFrom(parseJsonObject(text));
}

function dbMetadataFrom(read: ReadResult<Record<string, unknown>>): ReadResult<DbMetadataFile> {
  if (read.state !== 'ok') return read;
  const record = read.value;
  const version = record.Version ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version))
    return { state: 'invalid', reason: 'Version is not an integer' };
  const fields: Record<string, string> = {};
  for (const name of ['NextUpdate', 'UpdatedAt', 'DownloadedAt']) {
    const value = timeField(record, name);
    if (value === undefined) return { state: 'invalid', reason: `${name} is not a time` };
    fields[name] = value;
  }
  return {
    state: 'ok',
    value: {
      Version: version,
      NextUpdate: fields.NextUpdate as string,
      UpdatedAt: fields.UpdatedAt as string,
      DownloadedAt: fields.DownloadedAt as string,
    },
  };
}

export function readChecksMetadata(path: string): ReadResult<ChecksMetadataFile> {
  const read = readJsonObject(path);
  if (read.state !== 'ok') return read;
  const record = read.value;
  const downloadedAt = timeField(record, 'DownloadedAt');
  if (downloadedAt === undefined) return { state: 'invalid', reason: 'DownloadedAt is not a time' };
  const major = record.MajorVersion;
  if (major !== undefined && major !== null && (typeof major !== 'number' || !Number.isInteger(major))) {
    return { state: 'invalid', reason: 'MajorVersion is not an integer' };
  }
  return {
    state: 'ok',
    value: {
      Digest: typeof record.Digest === 'string' ? record.Digest : '',
      DownloadedAt: downloadedAt,
      ...(typeof major === 'number' ? { MajorVersion: major } : {}),
      ...(record.CustomBuild === true ? { CustomBuild: true } : {}),
    },
  };
}

export function readSourceRecord(path: string): SourceRecord | undefined {
  const read = readJsonObject(path);
  if (read.state !== 'ok') return undefined;
  const { Repository, ManifestDigest, LayerDigest, PulledAt, SignedBy } = read.value;
  if (typeof Repository !== 'string' || typeof ManifestDigest !== 'string') return undefined;
  return {
    Repository,
    ManifestDigest,
    LayerDigest: typeof LayerDigest === 'string' ? LayerDigest : '',
    PulledAt: typeof PulledAt === 'string' ? PulledAt : '',
    ...(typeof SignedBy === 'string' ? { SignedBy } : {}),
  };
}

/** As Go's json.Encoder writes the struct: field order kept, zero Version omitted, trailing newline. */
export function dbMetadataText(metadata: DbMetadataFile): string {
  const { Version, NextUpdate, UpdatedAt, DownloadedAt } = metadata;
  return `${JSON.stringify({ ...(Version === 0 ? {} : { Version }), NextUpdate, UpdatedAt, DownloadedAt })}\n`;
}

export function checksMetadataText(metadata: ChecksMetadataFile): string {
  const { Digest, DownloadedAt, MajorVersion, CustomBuild } = metadata;
  return `${JSON.stringify({
    Digest,
    DownloadedAt,
    ...(MajorVersion === undefined ? {} : { MajorVersion }),
    ...(CustomBuild ? { CustomBuild } : {}),
  })}\n`;
}

export function sourceRecordText(record: SourceRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
