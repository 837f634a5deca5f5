import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { cacheLayout } from '../cache/layout.ts';
import {
  ARTIFACT_SPECS,
  artifactPaths,
  createStaging,
  type DbMetadataFile,
  readDbMetadata,
  readSourceRecord,
} from '../db/artifact/index.ts';
// The one module of db/build this needs (its index loads the whole DB builder).
import { goTimeText } from '../db/build/artifact.ts';
import type { DbArtifactKind } from '../db/build/index.ts';
import type { Logger } from '../log/index.ts';
import type { TransferProgress } from '../net/index.ts';
import type { Descriptor } from '../oci/image/index.ts';
import type { RegistryClient } from '../oci/registry/index.ts';
import { BUNDLE_ANNOTATIONS, BUNDLE_FORMAT_VERSION, BundleWriter } from './bundle-writer.ts';
import { copyManifest, emptyTally } from './copy-artifact.ts';
import { type MetadataSniffer, sniffDbMetadata } from './metadata-sniffer.ts';
import { copyFromFirstSource } from './mirror.ts';
import type { ArtifactLocation } from './store/index.ts';

/** A downloaded VEX repository to carry along. */
export interface VexRepositoryToBundle {
  readonly name: string;
  readonly url: string;
  /** `<cache>/vex/repositories/<name>`. */
  readonly dir: string;
  /** When the cached copy was last checked against the server (cache.json). */
  readonly updatedAt?: string;
}

export interface BundleCreateRequest {
  readonly file: string;
  readonly kinds: readonly DbArtifactKind[];
  /** Where each artifact is copied from, tried in order (registries, layouts, other bundles). */
  readonly sources: Readonly<Record<DbArtifactKind, readonly ArtifactLocation[]>>;
  /** Pack what the cache holds instead of copying from the sources. */
  readonly fromCache: boolean;
  readonly cacheDir: string;
  readonly vexRepositories: readonly VexRepositoryToBundle[];
  /** PEM public keys: artifacts without a cosign signature by one of them are refused. */
  readonly signatureKeys?: readonly string[];
}

export interface BundleCreateDeps {
  readonly registry?: RegistryClient;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  readonly progress?: TransferProgress;
}

export interface BundledArtifact {
  readonly kind: DbArtifactKind | 'vex-repository';
  readonly name: string;
  readonly digest: string;
  readonly source: string;
  readonly updatedAt?: string;
  readonly signed: boolean;
}

function metadataAnnotations(metadata: DbMetadataFile | undefined): Record<string, string> {
  if (!metadata) return {};
  return {
    [BUNDLE_ANNOTATIONS.schema]: String(metadata.Version),
    [BUNDLE_ANNOTATIONS.updatedAt]: metadata.UpdatedAt,
    [BUNDLE_ANNOTATIONS.nextUpdate]: metadata.NextUpdate,
  };
}

/** The cached DB's metadata.json and the layer it came in, when Vigil installed it (vigil-source.json). */
function cachedLayerMetadata(
  kind: DbArtifactKind,
  cacheDir: string,
): { readonly layerDigest: string; readonly metadata: DbMetadataFile } | undefined {
  if (!ARTIFACT_SPECS[kind].files) return undefined;
  const paths = artifactPaths(cacheLayout(cacheDir), kind);
  const source = readSourceRecord(paths.source);
  if (!source?.LayerDigest) return undefined;
  const read = readDbMetadata(paths.metadata);
  return read.state === 'ok' ? { layerDigest: source.LayerDigest, metadata: read.value } : undefined;
}

async function bundleFromSources(
  bundle: BundleWriter,
  kind: DbArtifactKind,
  request: BundleCreateRequest,
  deps: BundleCreateDeps,
): Promise<BundledArtifact> {
  const spec = ARTIFACT_SPECS[kind];
  // Each DB layer is read once: into the bundle, and through a reader of its metadata.json. When
  // the cache holds that very layer (pulled before), its metadata.json gives the ages instead, and
  // the layer need not be inflated (a real trivy.db is ten times its compressed size).
  const cached = cachedLayerMetadata(kind, request.cacheDir);
  const sniffers: MetadataSniffer[] = [];
  const known: DbMetadataFile[] = [];
  const taps = (descriptor: Descriptor): Writable[] => {
    if (!spec.files || descriptor.mediaType !== spec.layerMediaType) return [];
    if (cached && cached.layerDigest === descriptor.digest) {
      deps.logger.debug(
        `${spec.label}: ages from the cache's metadata.json, which came with layer ${descriptor.digest}`,
      );
      known.push(cached.metadata);
      return [];
    }
    const sniffer = sniffDbMetadata();
    sniffers.push(sniffer);
    return [sniffer.sink];
  };
  const writer = bundle.repository(spec.repositoryName, taps);
  const copied = await copyFromFirstSource(kind, request.sources[kind], writer, request.signatureKeys, deps);
  const metadata = known[0] ?? (await Promise.all(sniffers.map((sniffer) => sniffer.result))).find(Boolean);
  if (spec.files && !metadata)
    deps.logger.warn(`the ${spec.label} from ${copied.source} has no readable metadata.json`);
  for (const digest of copied.manifestDigests) {
    bundle.annotate(digest, {
      [BUNDLE_ANNOTATIONS.kind]: kind,
      [BUNDLE_ANNOTATIONS.source]: copied.source,
      ...metadataAnnotations(metadata),
    });
  }
  return {
    kind,
    name: `${spec.repositoryName}:${copied.tags.join(',')}`,
    digest: copied.manifestDigests[0] ?? '',
    source: copied.source,
    updatedAt: metadata?.UpdatedAt,
    signed: copied.signed,
  };
}

async function bundleFromCache(
  bundle: BundleWriter,
  kind: DbArtifactKind,
  request: BundleCreateRequest,
  deps: BundleCreateDeps,
  workDir: string,
): Promise<BundledArtifact> {
  const spec = ARTIFACT_SPECS[kind];
  const { packCachedArtifact } = await import('./cache-artifacts.ts');
  const packed = await packCachedArtifact(kind, request.cacheDir, workDir);
  const writer = bundle.repository(spec.repositoryName);
  await copyManifest(packed.blobs, packed.manifest, writer, spec.taglessTag, emptyTally(), {
    logger: deps.logger,
    signal: deps.signal,
  });
  bundle.annotate(packed.manifest.digest, {
    [BUNDLE_ANNOTATIONS.kind]: kind,
    [BUNDLE_ANNOTATIONS.source]: packed.sourceText,
    ...metadataAnnotations(packed.metadata),
  });
  return {
    kind,
    name: `${spec.repositoryName}:${spec.taglessTag}`,
    digest: packed.manifest.digest,
    source: packed.sourceText,
    updatedAt: packed.metadata?.UpdatedAt,
    signed: false,
  };
}

async function bundleVexRepository(
  bundle: BundleWriter,
  repository: VexRepositoryToBundle,
  deps: BundleCreateDeps,
  workDir: string,
): Promise<BundledArtifact> {
  const { packVexRepository } = await import('./cache-artifacts.ts');
  const packed = await packVexRepository(repository.dir, repository.name, workDir);
  const refRepository = `vex/${repository.name}`;
  await copyManifest(packed.blobs, packed.manifest, bundle.repository(refRepository), 'latest', emptyTally(), {
    logger: deps.logger,
    signal: deps.signal,
  });
  bundle.annotate(packed.manifest.digest, {
    [BUNDLE_ANNOTATIONS.kind]: 'vex-repository',
    [BUNDLE_ANNOTATIONS.name]: repository.name,
    [BUNDLE_ANNOTATIONS.url]: repository.url,
    [BUNDLE_ANNOTATIONS.source]: `cache (${repository.url})`,
    ...(repository.updatedAt ? { [BUNDLE_ANNOTATIONS.updatedAt]: repository.updatedAt } : {}),
  });
  return {
    kind: 'vex-repository',
    name: `${refRepository}:latest`,
    digest: packed.manifest.digest,
    source: repository.url,
    updatedAt: repository.updatedAt,
    signed: false,
  };
}

/**
 * `vigil bundle create`: the databases (copied byte for byte from their repositories, signatures
 * included, or packed from the cache) and the downloaded VEX repositories in one file: an OCI
 * layout in a tar whose index.json records each artifact's kind, source, schema and build time.
 */
export async function createBundle(
  request: BundleCreateRequest,
  deps: BundleCreateDeps,
): Promise<{ file: string; bytes: number; artifacts: BundledArtifact[] }> {
  const now = deps.now();
  const bundle = new BundleWriter(request.file, now);
  const work = await createStaging(cacheLayout(request.cacheDir), 'bundle');
  const artifacts: BundledArtifact[] = [];
  try {
    for (const kind of request.kinds) {
      artifacts.push(
        request.fromCache
          ? await bundleFromCache(bundle, kind, request, deps, work.dir)
          : await bundleFromSources(bundle, kind, request, deps),
      );
      deps.signal?.throwIfAborted();
    }
    for (const repository of request.vexRepositories) {
      artifacts.push(await bundleVexRepository(bundle, repository, deps, work.dir));
    }
    await bundle.finish({
      [BUNDLE_ANNOTATIONS.created]: goTimeText(now),
      [BUNDLE_ANNOTATIONS.format]: BUNDLE_FORMAT_VERSION,
    });
  } catch (error) {
    await bundle.abort();
    throw error;
  } finally {
    await work.dispose();
  }
  return { file: request.file, bytes: (await stat(request.file)).size, artifacts };
}
