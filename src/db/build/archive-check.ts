import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { VigilError } from '../../errors/index.ts';
import { decodeMeta } from '../bolt/index.ts';
import type { DbArtifactKind } from './artifact-manifest.ts';

/** What a pushable archive must hold, per artifact kind, for Trivy's (and Vigil's) pull to accept it. */
interface ArchiveRule {
  /** The database file and its format check; undefined for the checks bundle (a tree of files). */
  readonly data?: { readonly name: string; readonly problem: (head: Buffer) => string | undefined };
  /** metadata.json's `Version` the clients expect. */
  readonly schemaVersion?: number;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Enough for both meta pages of a bbolt file with 4 KiB pages. */
const HEAD_BYTES = 8192;
const MAX_METADATA_BYTES = 64 * 1024;
const MAX_ENTRIES = 200_000;
/**
 * Inflated bytes per chunk. zlib's default 16 KiB makes the check of a 541 MiB database take
 * 1.9 s, mostly stream overhead per chunk; 256 KiB (as for image layers) takes 0.9 s.
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;

const RULES: Readonly<Record<DbArtifactKind, ArchiveRule>> = {
  db: {
    data: {
      name: 'trivy.db',
      problem: (head) => {
        const meta = decodeMeta(head);
        if (meta.ok) return undefined;
        // bbolt falls back to the second meta page when the first is damaged; so does every reader.
        const pageSize = head.length >= 28 ? head.readUInt32LE(24) : 0;
        if (pageSize > 0 && pageSize < head.length && decodeMeta(head.subarray(pageSize)).ok) return undefined;
        return `trivy.db is not a bbolt database (${meta.reason})`;
      },
    },
    schemaVersion: 2,
  },
  'java-db': {
    data: {
      name: 'trivy-java.db',
      problem: (head) =>
        head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)
          ? undefined
          : 'trivy-java.db is not an SQLite database',
    },
    schemaVersion: 1,
  },
  checks: {},
};

export interface ArchiveSummary {
  /** Regular files in the archive. */
  readonly files: number;
  /** metadata.json's Version, for the DB kinds. */
  readonly schemaVersion?: number;
}

function refuse(file: string, why: string, hint: string): VigilError {
  return new VigilError('PUSH_BAD_ARCHIVE', `${basename(file)} cannot be published: ${why}`, { hint });
}

/**
 * Reads an artifact archive once (gunzip → tar, file bodies discarded) and refuses one that a
 * client would reject after download: not a .tar.gz, no database file, a database of the wrong
 * format, or a metadata.json without the schema version clients read. Only the database's first
 * page and metadata.json are kept in memory.
 */
export async function checkArtifactArchive(
  file: string,
  kind: DbArtifactKind,
  signal?: AbortSignal,
): Promise<ArchiveSummary> {
  const rule = RULES[kind];
  const buildHint = kind === 'db' ? 'build one with vigil db build' : 'check that the file is the right artifact';
  let files = 0;
  let dataHead: Buffer | undefined;
  let metadata: Buffer | undefined;
  let entries = 0;
  const extractor = tarExtract();
  extractor.on('entry', (header, stream, next) => {
    entries += 1;
    if (entries > MAX_ENTRIES) {
      stream.resume();
      extractor.destroy(refuse(file, `more than ${MAX_ENTRIES} archive members`, buildHint));
      return;
    }
    const name = header.name.replace(/^(\.\/)+/, '');
    const regular = header.type === 'file' || header.type === 'contiguous-file';
    if (regular) files += 1;
    const chunks: Buffer[] = [];
    let kept = 0;
    const keep =
      regular && (name === rule.data?.name || (rule.schemaVersion !== undefined && name === 'metadata.json'));
    const limit = name === 'metadata.json' ? MAX_METADATA_BYTES + 1 : HEAD_BYTES;
    stream.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      if (!keep || kept >= limit) return;
      chunks.push(chunk.subarray(0, limit - kept));
      kept += Math.min(chunk.length, limit - kept);
    });
    stream.on('end', () => {
      if (keep && name === 'metadata.json') metadata = Buffer.concat(chunks);
      else if (keep) dataHead = Buffer.concat(chunks);
      next();
    });
  });
  try {
    await pipeline(createReadStream(file), createGunzip({ chunkSize: INFLATE_CHUNK_BYTES }), extractor, { signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof VigilError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VigilError('PUSH_FILE_MISSING', `no such file: ${file}`, { hint: buildHint });
    throw refuse(file, `it is not a valid .tar.gz (${(error as Error).message})`, buildHint);
  }
  if (files === 0) throw refuse(file, 'the archive holds no files', buildHint);
  if (rule.data === undefined || rule.schemaVersion === undefined) return { files };
  if (dataHead === undefined) throw refuse(file, `the archive has no ${rule.data.name}`, buildHint);
  const problem = rule.data.problem(dataHead);
  if (problem !== undefined) throw refuse(file, problem, buildHint);
  if (metadata === undefined) throw refuse(file, 'the archive has no metadata.json', buildHint);
  const version = metadataVersion(metadata);
  if (version !== rule.schemaVersion) {
    throw refuse(
      file,
      `metadata.json says schema version ${version ?? 'nothing'}, clients of this artifact read version ${rule.schemaVersion}`,
      buildHint,
    );
  }
  return { files, schemaVersion: version };
}

function metadataVersion(bytes: Buffer): number | undefined {
  if (bytes.length > MAX_METADATA_BYTES) return undefined;
  try {
    const value = JSON.parse(bytes.toString('utf8')) as { Version?: unknown };
    return typeof value?.Version === 'number' ? value.Version : undefined;
  } catch {
    return undefined;
  }
}
