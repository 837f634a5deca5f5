import { join } from 'node:path';
import type { CacheLayout } from '../../cache/layout.ts';
import { goTimeText } from '../build/artifact.ts';
import type { ArtifactPaths, ArtifactSpec } from './artifact-kinds.ts';
import { createStaging, publishFiles, publishTree, writeDurably } from './install.ts';
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
import type { StagedArtifact } from './pull-artifact.ts';

/**
 * Installing a staged artifact into the cache: Trivy's metadata.json with DownloadedAt set, Vigil's
 * source sidecar, then the data, each published by an atomic rename with metadata.json last.
 */
type SourceOf = Pick<StagedArtifact, 'repository' | 'manifestDigest' | 'signature'>;

function sourceRecord(staged: SourceOf, now: Date, layerDigest = ''): SourceRecord {
  return {
    Repository: staged.repository,
    ManifestDigest: staged.manifestDigest,
    LayerDigest: layerDigest,
    PulledAt: goTimeText(now),
    ...(staged.signature ? { SignedBy: staged.signature.keyId } : {}),
  };
}

export async function installDb(paths: ArtifactPaths, staged: StagedArtifact, now: Date): Promise<void> {
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

export async function installChecks(paths: ArtifactPaths, staged: StagedArtifact, now: Date): Promise<void> {
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
export async function refreshDownloadedAt(
  spec: ArtifactSpec,
  layout: CacheLayout,
  paths: ArtifactPaths,
  now: Date,
  source: SourceOf,
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
      sourceRecordText({
        ...sourceRecord(source, now),
        LayerDigest: previous?.LayerDigest ?? '',
        // The same manifest is still what was verified before.
        ...(!source.signature && previous?.SignedBy && previous.ManifestDigest === source.manifestDigest
          ? { SignedBy: previous.SignedBy }
          : {}),
      }),
    );
    await publishFiles([sourceFile, metadataFile], paths.dir);
  } finally {
    await staging.dispose();
  }
}
