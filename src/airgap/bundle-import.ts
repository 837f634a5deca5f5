import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheLayout } from '../cache/layout.ts';
import {
  ARTIFACT_SPECS,
  acquireInstallLock,
  artifactPaths,
  createStaging,
  extractTarGz,
  installChecks,
  installDb,
  publishTree,
  readDbMetadata,
  removeAbandonedStaging,
  type StagedArtifact,
  type StagingArea,
  stageArtifact,
} from '../db/artifact/index.ts';
import type { DbArtifactKind } from '../db/build/index.ts';
import { VigilError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { Descriptor } from '../oci/image/index.ts';
import { type BundleContents, type BundleEntry, bundleRepository, openBundle } from './bundle-contents.ts';
import type { LayoutRepository } from './store/index.ts';
import { VEX_REPOSITORY_TYPES } from './vex-artifact-types.ts';

export interface BundleImportRequest {
  readonly file: string;
  readonly cacheDir: string;
  /** PEM public keys: every DB artifact must carry a cosign signature by one of them. */
  readonly signatureKeys?: readonly string[];
  readonly allowDowngrade?: boolean;
}

export interface BundleImportDeps {
  readonly logger: Logger;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

export interface ImportedArtifact {
  readonly kind: DbArtifactKind | 'vex-repository';
  readonly name: string;
  readonly digest: string;
  readonly updatedAt?: string;
  readonly signedBy?: string;
  /** VEX repositories: the URL they were downloaded from. */
  readonly url?: string;
  /** Where it now is in the cache. */
  readonly path: string;
}

const VEX_LIMITS = { maxEntries: 200_000, maxFileBytes: 256 * 2 ** 20, maxTotalBytes: 4 * 2 ** 30 };
const DB_KINDS: readonly DbArtifactKind[] = ['db', 'java-db', 'checks'];

/**
 * Checks every blob of every manifest the bundle lists against its digest: any changed byte fails
 * here, before anything is staged. The layers in `checkedByStaging` are left out: staging reads
 * them through the same check (and installs nothing unless all pass), so they are read once.
 */
async function verifyAllBlobs(
  repository: LayoutRepository,
  checkedByStaging: ReadonlySet<string>,
  signal: AbortSignal | undefined,
): Promise<number> {
  const seen = new Set<string>(checkedByStaging);
  const manifestOf = async (digest: string) => {
    const found = await repository.findManifest(digest);
    if (found) return found;
    throw new VigilError('BUNDLE_DAMAGED', `${repository.description} lists ${digest} but does not hold it`, {
      hint: 'the bundle is damaged or incomplete: copy it again, or make a new one with vigil bundle create',
    });
  };
  for (const descriptor of repository.index.manifests) {
    const manifest = await manifestOf(descriptor.digest);
    for (const child of manifest.index?.manifests ?? []) await manifestOf(child.digest);
    const blobs = manifest.manifest ? [manifest.manifest.config, ...manifest.manifest.layers] : [];
    for (const blob of blobs) {
      if (seen.has(blob.digest)) continue;
      await repository.verifyBlob(blob, { signal });
      seen.add(blob.digest);
    }
  }
  return seen.size;
}

/** The one layer of each artifact that will be staged: staging reads it through its digest check. */
async function stagedLayers(repository: LayoutRepository, entries: readonly BundleEntry[]): Promise<Set<string>> {
  const layers = new Set<string>();
  for (const entry of entries) {
    const layer = (await repository.findManifest(entry.digest))?.manifest?.layers;
    if (layer?.length === 1) layers.add((layer[0] as Descriptor).digest);
  }
  return layers;
}

interface StagedVex {
  readonly entry: BundleEntry;
  readonly name: string;
  readonly staging: StagingArea;
  readonly content: string;
}

async function stageVex(
  repository: LayoutRepository,
  entry: BundleEntry,
  cacheDir: string,
  deps: BundleImportDeps,
): Promise<StagedVex> {
  const name = entry.name ?? entry.repository.replace(/^vex\//, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new VigilError('BUNDLE_INVALID', `the bundle names a VEX repository ${JSON.stringify(name)}`, {
      hint: 'the bundle is damaged or hostile',
    });
  }
  const manifest = await repository.getManifest(entry.digest);
  const layer = manifest.manifest?.layers[0];
  if (!layer || manifest.manifest?.layers.length !== 1 || layer.mediaType !== VEX_REPOSITORY_TYPES.layerMediaType) {
    throw new VigilError('BUNDLE_INVALID', `${entry.refName} in the bundle is not a VEX repository artifact`, {
      hint: 'the bundle is damaged or was not written by vigil bundle create',
    });
  }
  const staging = await createStaging(cacheLayout(cacheDir), 'vex');
  try {
    const archive = join(staging.dir, VEX_REPOSITORY_TYPES.title);
    await repository.downloadBlob(layer, archive, { signal: deps.signal });
    const content = join(staging.dir, 'content');
    await mkdir(content);
    const what = `VEX repository ${name} in the bundle`;
    await extractTarGz(archive, content, { kind: 'tree' }, VEX_LIMITS, what, deps.signal);
    if (!(await stat(join(content, '0.1', 'index.json')).catch(() => undefined))?.isFile()) {
      throw new VigilError('BUNDLE_INVALID', `${what} has no 0.1/index.json`, { hint: 'the bundle is damaged' });
    }
    return { entry, name, staging, content };
  } catch (error) {
    await staging.dispose();
    throw error;
  }
}

/** The DB artifact of each kind in the bundle (the first tag of a kind wins). */
function artifactsByKind(contents: BundleContents): Map<DbArtifactKind, BundleEntry> {
  const found = new Map<DbArtifactKind, BundleEntry>();
  for (const entry of contents.entries) {
    const kind = entry.kind;
    if ((DB_KINDS as readonly string[]).includes(kind) && !found.has(kind as DbArtifactKind)) {
      found.set(kind as DbArtifactKind, entry);
    }
  }
  return found;
}

function cachedUpdatedAt(cacheDir: string, kind: DbArtifactKind): string | undefined {
  if (!ARTIFACT_SPECS[kind].files) return undefined;
  const read = readDbMetadata(artifactPaths(cacheLayout(cacheDir), kind).metadata);
  return read.state === 'ok' ? read.value.UpdatedAt : undefined;
}

/**
 * `vigil bundle import`: all or nothing. Every blob is checked against its digest, every DB is
 * unpacked and checked (format, schema, signature, not older than the cached one) in staging
 * directories; only when all of them pass is each renamed into the cache. A bundle with one
 * changed byte installs nothing.
 */
export async function importBundle(request: BundleImportRequest, deps: BundleImportDeps): Promise<ImportedArtifact[]> {
  const { files, contents } = await openBundle(request.file);
  const layout = cacheLayout(request.cacheDir);
  const stagedDbs: Array<{ kind: DbArtifactKind; entry: BundleEntry; staged: StagedArtifact }> = [];
  const stagedVex: StagedVex[] = [];
  try {
    const repository = bundleRepository(files, contents);
    const dbEntries = artifactsByKind(contents);
    const vexEntries = contents.entries.filter((candidate) => candidate.kind === 'vex-repository');
    const checkedByStaging = await stagedLayers(repository, [...dbEntries.values(), ...vexEntries]);
    const checked = await verifyAllBlobs(repository, checkedByStaging, deps.signal);
    deps.logger.info(
      `${request.file}: ${checked - checkedByStaging.size} blobs match their digests; ${checkedByStaging.size} layers are checked as they are staged`,
    );
    await removeAbandonedStaging(layout, deps.logger, deps.now().getTime());
    for (const [kind, entry] of dbEntries) {
      const notBefore = cachedUpdatedAt(request.cacheDir, kind);
      const staged = await stageArtifact(
        ARTIFACT_SPECS[kind],
        { kind: 'bundle', path: request.file, tag: entry.tag },
        { layout, logger: deps.logger, signal: deps.signal },
        undefined,
        {
          signatureKeys: request.signatureKeys,
          allowDowngrade: request.allowDowngrade,
          ...(notBefore ? { notBefore } : {}),
        },
      );
      stagedDbs.push({ kind, entry, staged: staged as StagedArtifact });
    }
    for (const entry of vexEntries) {
      stagedVex.push(await stageVex(repository, entry, request.cacheDir, deps));
    }
    if (stagedDbs.length === 0 && stagedVex.length === 0) {
      throw new VigilError('BUNDLE_EMPTY', `${request.file} holds no database, checks bundle or VEX repository`, {
        hint: 'make one with vigil bundle create',
      });
    }
    deps.signal?.throwIfAborted();
    return await installAll(request, deps, stagedDbs, stagedVex);
  } finally {
    for (const { staged } of stagedDbs) await staged.staging.dispose();
    for (const vex of stagedVex) await vex.staging.dispose();
    await files.close();
  }
}

async function installAll(
  request: BundleImportRequest,
  deps: BundleImportDeps,
  stagedDbs: ReadonlyArray<{ kind: DbArtifactKind; entry: BundleEntry; staged: StagedArtifact }>,
  stagedVex: readonly StagedVex[],
): Promise<ImportedArtifact[]> {
  const layout = cacheLayout(request.cacheDir);
  const now = deps.now();
  const imported: ImportedArtifact[] = [];
  for (const { kind, entry, staged } of stagedDbs) {
    const spec = ARTIFACT_SPECS[kind];
    const paths = artifactPaths(layout, kind);
    const release = await acquireInstallLock(layout, kind, { logger: deps.logger, signal: deps.signal });
    try {
      if (spec.files) await installDb(paths, staged, now);
      else await installChecks(paths, staged, now);
    } finally {
      await release();
    }
    imported.push({
      kind,
      name: entry.refName,
      digest: staged.manifestDigest,
      updatedAt: staged.metadata?.UpdatedAt,
      ...(staged.signature ? { signedBy: staged.signature.keyPath } : {}),
      path: paths.data,
    });
  }
  for (const vex of stagedVex) {
    const target = join(layout.vexRepositoriesDir, vex.name);
    await publishTree(vex.content, target);
    imported.push({
      kind: 'vex-repository',
      name: vex.name,
      digest: vex.entry.digest,
      updatedAt: vex.entry.updatedAt,
      ...(vex.entry.url ? { url: vex.entry.url } : {}),
      path: target,
    });
  }
  return imported;
}
