import { stat } from 'node:fs/promises';
import { ARTIFACT_SPECS, dbAgeMs, parseGoTime } from '../db/artifact/index.ts';
import type { DbArtifactKind } from '../db/build/index.ts';
import { VigilError } from '../errors/index.ts';
import type { ImageIndex } from '../oci/image/index.ts';
import { BUNDLE_ANNOTATIONS } from './bundle-writer.ts';
import {
  type LayoutFiles,
  LayoutRepository,
  REF_NAME_ANNOTATION,
  readLayoutIndex,
  tarLayoutFiles,
} from './store/index.ts';

export type BundleEntryKind = DbArtifactKind | 'vex-repository' | 'signature' | 'other';

/** One tagged manifest of a bundle, as its index.json describes it. */
export interface BundleEntry {
  readonly kind: BundleEntryKind;
  /** `trivy-db:2`, `trivy-db:sha256-….sig`, `vex/default:latest`. */
  readonly refName: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly size: number;
  readonly source?: string;
  readonly schema?: number;
  readonly updatedAt?: string;
  readonly nextUpdate?: string;
  /** VEX repositories: the configured name and URL. */
  readonly name?: string;
  readonly url?: string;
  /** DB artifacts: whether the bundle holds a cosign signature of this manifest. */
  readonly signed?: boolean;
}

export interface BundleContents {
  readonly file: string;
  readonly bytes: number;
  readonly created?: string;
  readonly index: ImageIndex;
  readonly entries: readonly BundleEntry[];
}

const KINDS_BY_REPOSITORY = new Map<string, DbArtifactKind>(
  (Object.keys(ARTIFACT_SPECS) as DbArtifactKind[]).map((kind) => [ARTIFACT_SPECS[kind].repositoryName, kind]),
);

function entryKind(repository: string, tag: string, annotated: string | undefined): BundleEntryKind {
  if (tag.endsWith('.sig')) return 'signature';
  if (annotated === 'db' || annotated === 'java-db' || annotated === 'checks' || annotated === 'vex-repository')
    return annotated;
  return KINDS_BY_REPOSITORY.get(repository) ?? (repository.startsWith('vex/') ? 'vex-repository' : 'other');
}

function describeEntries(index: ImageIndex): BundleEntry[] {
  const entries: BundleEntry[] = [];
  for (const descriptor of index.manifests) {
    const annotations = descriptor.annotations ?? {};
    const refName = annotations[REF_NAME_ANNOTATION];
    if (!refName) continue;
    const colon = refName.lastIndexOf(':');
    const repository = colon > 0 ? refName.slice(0, colon) : refName;
    const tag = colon > 0 ? refName.slice(colon + 1) : '';
    const schema = Number(annotations[BUNDLE_ANNOTATIONS.schema]);
    entries.push({
      kind: entryKind(repository, tag, annotations[BUNDLE_ANNOTATIONS.kind]),
      refName,
      repository,
      tag,
      digest: descriptor.digest,
      size: descriptor.size,
      source: annotations[BUNDLE_ANNOTATIONS.source],
      ...(Number.isInteger(schema) ? { schema } : {}),
      updatedAt: annotations[BUNDLE_ANNOTATIONS.updatedAt],
      nextUpdate: annotations[BUNDLE_ANNOTATIONS.nextUpdate],
      name: annotations[BUNDLE_ANNOTATIONS.name],
      url: annotations[BUNDLE_ANNOTATIONS.url],
    });
  }
  const signedDigests = new Set(
    entries
      .filter((entry) => entry.kind === 'signature')
      .map((entry) => entry.tag.replace(/\.sig$/, '').replace('-', ':')),
  );
  return entries.map((entry) =>
    entry.kind === 'signature' || entry.kind === 'vex-repository' || entry.kind === 'other'
      ? entry
      : { ...entry, signed: signedDigests.has(entry.digest) },
  );
}

/** The bundle's index, read in place; the caller closes `files`. */
export async function openBundle(file: string): Promise<{ files: LayoutFiles; contents: BundleContents }> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new VigilError('BUNDLE_MISSING', `no such bundle file: ${file}`, {
      hint: 'give the file vigil bundle create wrote',
    });
  }
  const files = await tarLayoutFiles(file);
  try {
    const index = await readLayoutIndex(files);
    if (!index) {
      throw new VigilError('BUNDLE_INVALID', `${file} holds no index.json: it is not a bundle`, {
        hint: 'give the file vigil bundle create wrote (an OCI layout in a tar)',
      });
    }
    const contents = {
      file,
      bytes: info.size,
      created: index.annotations?.[BUNDLE_ANNOTATIONS.created],
      index,
      entries: describeEntries(index),
    };
    return { files, contents };
  } catch (error) {
    await files.close();
    throw error;
  }
}

/** Lists a bundle without verifying it (import verifies). */
export async function inspectBundle(file: string): Promise<BundleContents> {
  const { files, contents } = await openBundle(file);
  await files.close();
  return contents;
}

/** The bundle as one unscoped repository: every manifest and blob by digest. */
export function bundleRepository(files: LayoutFiles, contents: BundleContents): LayoutRepository {
  return new LayoutRepository(files, contents.index, `file:${contents.file}`, undefined, false);
}

/** How old a bundled DB is now, from its UpdatedAt. */
export function entryAgeMs(entry: BundleEntry, now: number): number | undefined {
  if (entry.updatedAt === undefined || parseGoTime(entry.updatedAt) === undefined) return undefined;
  return dbAgeMs({ Version: 0, NextUpdate: '', UpdatedAt: entry.updatedAt, DownloadedAt: '' }, now);
}
