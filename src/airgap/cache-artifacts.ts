import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { cacheLayout } from '../cache/layout.ts';
import {
  ARTIFACT_SPECS,
  artifactPaths,
  dbMetadataText,
  readChecksMetadata,
  readDbMetadata,
  readSourceRecord,
  type SourceRecord,
} from '../db/artifact/index.ts';
import { type DbArtifactKind, planArtifactPush, sha256File, TITLE_ANNOTATION } from '../db/build/index.ts';
import { VigilError } from '../errors/index.ts';
import { MemoryBlobs, type StoredManifest, storedManifest } from './store/index.ts';
import { VEX_REPOSITORY_TYPES } from './vex-artifact-types.ts';

/** An artifact Vigil assembled itself, ready to be written into a bundle. */
export interface AssembledArtifact {
  readonly manifest: StoredManifest;
  readonly blobs: MemoryBlobs;
  readonly annotations: Record<string, string>;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const MTIME = new Date('2000-01-01T00:00:00Z');
/** What a VEX repository update leaves behind while it works: not part of the repository. */
const LEFTOVER = /^\.(?:download|staging|old)-|\.tmp$/;

interface ArchiveMember {
  readonly name: string;
  readonly file?: string;
  readonly text?: string;
}

/** A `.tar.gz` of the members, in order, with fixed times so the same input packs the same way. */
async function writeTarGz(output: string, members: readonly ArchiveMember[]): Promise<void> {
  const archive = pack();
  const written = pipeline(archive, createGzip(), createWriteStream(output, { flags: 'wx' }));
  try {
    for (const member of members) {
      if (member.text !== undefined) {
        archive.entry({ name: member.name, mode: 0o644, mtime: MTIME }, member.text);
        continue;
      }
      const size = (await stat(member.file as string)).size;
      const entry = archive.entry({ name: member.name, mode: 0o644, mtime: MTIME, size });
      await pipeline(createReadStream(member.file as string), entry);
    }
    archive.finalize();
    await written;
  } catch (error) {
    archive.destroy();
    await written.catch(() => undefined);
    throw error;
  }
}

/** Regular files under `root`, as archive members with `/` names (leftovers of updates skipped). */
async function treeMembers(root: string): Promise<ArchiveMember[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return { name: relative(root, file).split(sep).join('/'), file };
    })
    .filter((member) => !member.name.split('/').some((part) => LEFTOVER.test(part)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function notInCache(kind: DbArtifactKind, why: string): VigilError {
  const spec = ARTIFACT_SPECS[kind];
  return new VigilError('BUNDLE_CACHE_MISSING', `the ${spec.label} cannot be bundled from the cache: ${why}`, {
    hint: `run '${spec.pullCommand}' first, or leave it out of the bundle`,
  });
}

async function artifactOf(
  kind: DbArtifactKind,
  archive: string,
  manifestAnnotations: Record<string, string>,
  source: SourceRecord | undefined,
): Promise<{ manifest: StoredManifest; blobs: MemoryBlobs; sourceText: string }> {
  const plan = await planArtifactPush(archive, kind, manifestAnnotations);
  const blobs = new MemoryBlobs();
  blobs.add(plan.config.bytes, plan.config.mediaType);
  blobs.addFile(archive, { ...plan.layer });
  const manifest = storedManifest(plan.manifest, `the ${ARTIFACT_SPECS[kind].label} packed from the cache`);
  const sourceText = source ? `cache (${source.Repository}@${source.ManifestDigest})` : 'cache';
  return { manifest, blobs, sourceText };
}

/**
 * The cached DB, Java DB or checks bundle packed again as the artifact Trivy publishes (same media
 * types and title, metadata.json with DownloadedAt cleared). Its digest is new, so signatures of
 * the original do not carry over: bundles made this way say so in their source annotation.
 */
export async function packCachedArtifact(kind: DbArtifactKind, cacheDir: string, workDir: string) {
  const spec = ARTIFACT_SPECS[kind];
  const paths = artifactPaths(cacheLayout(cacheDir), kind);
  const source = readSourceRecord(paths.source);
  const archive = join(workDir, `${kind}-${spec.files ? 'db' : 'bundle'}.tar.gz`);
  if (spec.files) {
    const read = readDbMetadata(paths.metadata);
    if (read.state !== 'ok') throw notInCache(kind, `${paths.metadata} is ${read.state}`);
    if (!(await stat(paths.data).catch(() => undefined))?.isFile()) throw notInCache(kind, `${paths.data} is missing`);
    await writeTarGz(archive, [
      { name: spec.files.data, file: paths.data },
      { name: spec.files.metadata, text: dbMetadataText({ ...read.value, DownloadedAt: ZERO_TIME }) },
    ]);
    const packed = await artifactOf(kind, archive, {}, source);
    return { ...packed, metadata: read.value };
  }
  const read = readChecksMetadata(paths.metadata);
  if (!(await stat(paths.data).catch(() => undefined))?.isDirectory())
    throw notInCache(kind, `${paths.data} is missing`);
  await writeTarGz(archive, await treeMembers(paths.data));
  const major = read.state === 'ok' && !read.value.CustomBuild ? read.value.MajorVersion : undefined;
  const annotations: Record<string, string> =
    major === undefined ? {} : { 'org.opencontainers.image.version': `${major}.0.0` };
  const packed = await artifactOf(kind, archive, annotations, source);
  return { ...packed, metadata: undefined };
}

/** A downloaded VEX repository (manifest, cache.json, 0.1/) as a one-layer artifact. */
export async function packVexRepository(dir: string, name: string, workDir: string): Promise<AssembledArtifact> {
  const archive = join(workDir, `vex-${name}.tar.gz`);
  await writeTarGz(archive, await treeMembers(dir));
  const blobs = new MemoryBlobs();
  const config = blobs.add(Buffer.from('{}'), VEX_REPOSITORY_TYPES.configMediaType);
  const layer = blobs.addFile(archive, {
    mediaType: VEX_REPOSITORY_TYPES.layerMediaType,
    digest: await sha256File(archive),
    size: (await stat(archive)).size,
    annotations: { [TITLE_ANNOTATION]: VEX_REPOSITORY_TYPES.title },
  });
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
      layers: [layer],
    }),
  );
  return { manifest: storedManifest(bytes, `VEX repository ${name}`), blobs, annotations: {} };
}
