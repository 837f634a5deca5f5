import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
// Two functions rather than semver's entry point, which loads its whole range machinery (~50 modules).
import semverMajor from 'semver/functions/major.js';
import semverValid from 'semver/functions/valid.js';
import type { VerifiedSignature } from '../../airgap/signature/index.ts';
import {
  type ArtifactLocation,
  type ArtifactRepository,
  formatLocation,
  LayoutRepository,
  locationDigest,
  locationTag,
  openArtifactRepository,
  type StoredManifest,
} from '../../airgap/store/index.ts';
import type { CacheLayout } from '../../cache/layout.ts';
import { describeError, VigilError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';
import { NetworkError, type TransferProgress } from '../../net/index.ts';
import type { Descriptor, ImageManifest } from '../../oci/image/index.ts';
import type { RegistryClient } from '../../oci/registry/index.ts';
import { TITLE_ANNOTATION } from '../build/artifact-manifest.ts';
import { type ExtractLimits, extractTarGz, type VerifiedArchiveRange } from './archive-extract.ts';
import type { ArtifactSpec } from './artifact-kinds.ts';
import { bboltProblem, sqliteProblem } from './file-format.ts';
import { createStaging, type StagingArea } from './install.ts';
import { type DbMetadataFile, parseGoTime, readDbMetadata } from './metadata.ts';

const VERSION_ANNOTATION = 'org.opencontainers.image.version';

/** trivy.db is about 1 GB and trivy-java.db larger, so DB files may be big; everything else is small. */
const DB_LIMITS: ExtractLimits = { maxEntries: 64, maxFileBytes: 64 * 2 ** 30, maxTotalBytes: 64 * 2 ** 30 };
const CHECKS_LIMITS: ExtractLimits = { maxEntries: 50_000, maxFileBytes: 32 * 2 ** 20, maxTotalBytes: 1024 * 2 ** 20 };

export interface PullDeps {
  /** For registry locations (layouts and bundles are read from disk). */
  readonly registry?: RegistryClient;
  readonly layout: CacheLayout;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly progress?: TransferProgress;
}

/** What a pulled artifact must satisfy beyond its format: a signature, and no going back in time. */
export interface PullGuard {
  /** PEM public keys (--db-signature-key): the manifest must carry a cosign signature by one of them. */
  readonly signatureKeys?: readonly string[];
  /** The cached DB's UpdatedAt: a DB built earlier is refused (a rollback), unless `allowDowngrade`. */
  readonly notBefore?: string;
  readonly allowDowngrade?: boolean;
}

/** A downloaded, unpacked and checked artifact, waiting in its staging directory to be installed. */
export interface StagedArtifact {
  readonly staging: StagingArea;
  readonly repository: string;
  readonly manifestDigest: string;
  readonly layerDigest: string;
  /** trivy.db / trivy-java.db in the staging area, or the unpacked checks tree. */
  readonly data: string;
  /** Parsed metadata.json of a DB (undefined for the checks bundle). */
  readonly metadata: DbMetadataFile | undefined;
  /** Checks bundle: the major version from the manifest's version annotation, undefined when absent or invalid. */
  readonly majorVersion: number | undefined;
  /** The signature checked against --db-signature-key, when one was asked for. */
  readonly signature?: VerifiedSignature;
}

/** The registry still serves the manifest that is cached: nothing to download. */
export interface UnchangedArtifact {
  readonly unchanged: true;
  readonly repository: string;
  readonly manifestDigest: string;
  readonly signature?: VerifiedSignature;
}

function refuse(location: ArtifactLocation | string, why: string): VigilError {
  const where = typeof location === 'string' ? location : formatLocation(location);
  return new VigilError('ARTIFACT_REFUSED', `${where}: ${why}`, {
    hint: 'the repository does not hold an artifact of this kind (mirrors must keep the single layer, its media type and title)',
  });
}

/**
 * What Trivy checks before it downloads: one layer, of the artifact's media type, titled with a
 * plain `.tar.gz` file name. Returns the layer and its title.
 */
export function artifactShape(
  spec: ArtifactSpec,
  where: string,
  stored: StoredManifest,
): { manifest: ImageManifest; layer: Descriptor; title: string } {
  const manifest = stored.manifest;
  if (!manifest) throw refuse(where, 'is an index of several manifests, not an artifact manifest');
  if (manifest.layers.length !== 1)
    throw refuse(where, `OCI artifact must be a single layer (it has ${manifest.layers.length})`);
  const layer = manifest.layers[0] as Descriptor;
  if (layer.mediaType !== spec.layerMediaType) {
    throw refuse(where, `unacceptable media type: ${layer.mediaType || '(none)'} (expected ${spec.layerMediaType})`);
  }
  const title = layer.annotations?.[TITLE_ANNOTATION];
  if (!title) throw refuse(where, `annotation ${TITLE_ANNOTATION} is missing`);
  if (!/^[\w.-]+$/.test(title) || title.startsWith('.'))
    throw refuse(where, `the title ${JSON.stringify(title)} is not a plain file name`);
  if (!/\.(?:tar\.gz|tgz)$/.test(title)) throw refuse(where, `${title} is not a .tar.gz archive`);
  return { manifest, layer, title };
}

/** A DB built before the cached one would hide fixes and advisories published since: refused unless asked for. */
export function checkNotOlder(
  spec: ArtifactSpec,
  what: string,
  metadata: DbMetadataFile,
  guard: PullGuard | undefined,
): void {
  if (!guard?.notBefore || guard.allowDowngrade) return;
  const cached = parseGoTime(guard.notBefore);
  const incoming = parseGoTime(metadata.UpdatedAt);
  if (cached === undefined || incoming === undefined || incoming >= cached) return;
  throw new VigilError(
    'DB_DOWNGRADE',
    `${what} holds a ${spec.label} built ${metadata.UpdatedAt}, earlier than the cached one (built ${guard.notBefore}); refusing to go back`,
    { hint: 'pass --allow-db-downgrade to install an older DB on purpose (e.g. a pinned one)' },
  );
}

async function verifySignature(
  guard: PullGuard | undefined,
  repository: ArtifactRepository,
  digest: string,
  spec: ArtifactSpec,
  deps: PullDeps,
): Promise<VerifiedSignature | undefined> {
  if (!guard?.signatureKeys || guard.signatureKeys.length === 0) return undefined;
  // Loaded only when a signature is asked for (--db-signature-key): most pulls never need it.
  const { loadVerificationKeys, verifyArtifactSignature } = await import('../../airgap/signature/index.ts');
  const keys = await loadVerificationKeys(guard.signatureKeys);
  const verified = await verifyArtifactSignature(repository, digest, keys, `the ${spec.label}`, deps.signal);
  deps.logger.info(`the ${spec.label} ${digest} is signed by ${verified.keyPath}`);
  return verified;
}

/**
 * Pulls one artifact from one location (registry, OCI layout or bundle) into a fresh staging
 * directory, checking everything Trivy checks (one layer, its media type, its title) plus the blob
 * digest, the archive's members and sizes, the data file's format and metadata.json, and the
 * guard's signature and age rules. With `unlessDigest`, stops early when the manifest is the one
 * already cached.
 */
export async function stageArtifact(
  spec: ArtifactSpec,
  location: ArtifactLocation,
  deps: PullDeps,
  unlessDigest?: string,
  guard?: PullGuard,
): Promise<StagedArtifact | UnchangedArtifact> {
  const repository = await openArtifactRepository(location, {
    registry: deps.registry,
    repositoryName: spec.repositoryName,
  });
  try {
    return await stageFrom(repository, spec, location, deps, unlessDigest, guard);
  } finally {
    await repository.close();
  }
}

/** A bundle or layout named without a tag: the one artifact it holds for the repository. */
function onlyTag(source: ArtifactRepository): string | undefined {
  if (!(source instanceof LayoutRepository)) return undefined;
  const tags = [...source.tags().keys()].filter((tag) => !tag.endsWith('.sig'));
  return tags.length === 1 ? tags[0] : undefined;
}

/**
 * Unpacks the artifact's layer into `content`. A layer already on local disk (a layout file, a
 * bundle member) is unpacked from where it lies and checked as it is read; one from a registry is
 * downloaded (and checked) into the staging directory first, and removed afterwards.
 */
async function unpackLayer(
  source: ArtifactRepository,
  spec: ArtifactSpec,
  location: ArtifactLocation,
  layer: Descriptor,
  title: string,
  stagingDir: string,
  content: string,
  deps: PullDeps,
): Promise<void> {
  const what = `${formatLocation(location)} (${title})`;
  const extract = async (archive: string | VerifiedArchiveRange) => {
    if (spec.files) {
      const names = [spec.files.data, spec.files.metadata];
      const result = await extractTarGz(archive, content, { kind: 'files', names }, DB_LIMITS, what, deps.signal);
      if (result.skipped.length > 0) deps.logger.debug(`${what}: ignored ${result.skipped.join(', ')}`);
    } else {
      const result = await extractTarGz(archive, content, { kind: 'tree' }, CHECKS_LIMITS, what, deps.signal);
      if (result.files.length === 0) throw refuse(location, `${title} holds no files`);
    }
  };
  const local = await source.localBlobRange?.(layer);
  if (local && local.size === layer.size) {
    const progress = deps.progress;
    progress?.start(title, layer.size);
    try {
      const blob = `blob ${layer.digest} of ${source.description}`;
      await extract({ ...local, digest: layer.digest, blob, onBytes: (count) => progress?.advance(count) });
    } finally {
      progress?.done();
    }
    return;
  }
  const blob = join(stagingDir, title);
  await source.downloadBlob(layer, blob, { signal: deps.signal, progress: deps.progress });
  await extract(blob);
  await rm(blob, { force: true });
}

async function stageFrom(
  source: ArtifactRepository,
  spec: ArtifactSpec,
  location: ArtifactLocation,
  deps: PullDeps,
  unlessDigest: string | undefined,
  guard: PullGuard | undefined,
): Promise<StagedArtifact | UnchangedArtifact> {
  const target = locationDigest(location) ?? locationTag(location) ?? onlyTag(source) ?? spec.taglessTag;
  const fetched = await source.getManifest(target, deps.signal);
  const repository = formatLocation(location);
  if (unlessDigest && fetched.digest === unlessDigest) {
    const signature = await verifySignature(guard, source, fetched.digest, spec, deps);
    return { unchanged: true, repository, manifestDigest: fetched.digest, ...(signature ? { signature } : {}) };
  }
  const { manifest, layer, title } = artifactShape(spec, repository, fetched);
  const signature = await verifySignature(guard, source, fetched.digest, spec, deps);

  const staging = await createStaging(deps.layout, spec.kind);
  try {
    const content = join(staging.dir, 'content');
    await mkdir(content);
    await unpackLayer(source, spec, location, layer, title, staging.dir, content, deps);
    let metadata: DbMetadataFile | undefined;
    let data = content;
    if (spec.files) {
      data = join(content, spec.files.data);
      const problem = spec.dataFormat === 'bbolt' ? await bboltProblem(data) : await sqliteProblem(data);
      if (problem) throw refuse(location, problem.replace(content, title));
      const read = readDbMetadata(join(content, spec.files.metadata));
      if (read.state !== 'ok')
        throw refuse(
          location,
          `its metadata.json is ${read.state === 'missing' ? 'missing' : `invalid (${read.reason})`}`,
        );
      if (read.value.Version !== spec.schemaVersion) {
        throw refuse(
          location,
          `it holds a schema ${read.value.Version} ${spec.label}; this Vigil reads schema ${spec.schemaVersion}`,
        );
      }
      checkNotOlder(spec, repository, read.value, guard);
      metadata = read.value;
    }
    const version = manifest.annotations?.[VERSION_ANNOTATION];
    const majorVersion = version && semverValid(version) ? semverMajor(version) : undefined;
    return {
      staging,
      repository,
      manifestDigest: fetched.digest,
      layerDigest: layer.digest,
      data,
      metadata,
      majorVersion,
      ...(signature ? { signature } : {}),
    };
  } catch (error) {
    await staging.dispose();
    throw error;
  }
}

export interface RepositoryFailure {
  readonly repository: string;
  readonly reason: string;
}

/**
 * Tries each repository in order until one works. Unlike Trivy, any failure (DNS, refused, 401,
 * 404, rate limit, digest mismatch, a wrong artifact) moves on to the next; each is logged, and if
 * all fail one error lists every repository with its reason.
 */
export async function stageFromRepositories(
  spec: ArtifactSpec,
  repositories: readonly ArtifactLocation[],
  deps: PullDeps,
  unlessDigest?: string,
  guard?: PullGuard,
): Promise<StagedArtifact | UnchangedArtifact> {
  if (repositories.length === 0) {
    throw new VigilError('DB_NO_REPOSITORY', `no repository to download the ${spec.label} from`, {
      hint: `name one with ${spec.repositoryFlag}`,
    });
  }
  const failures: Array<RepositoryFailure & { error: unknown }> = [];
  for (const location of repositories) {
    const repository = formatLocation(location);
    try {
      deps.logger.info(`downloading the ${spec.label} from ${repository}`);
      return await stageArtifact(spec, location, deps, unlessDigest, guard);
    } catch (error) {
      if (deps.signal?.aborted) throw deps.signal.reason;
      // --offline refuses every repository alike: say it once.
      if (error instanceof NetworkError && error.failure === 'offline') throw error;
      const reason = error instanceof VigilError ? error.message : describeError(error);
      failures.push({ repository, reason, error });
      const more = failures.length < repositories.length;
      deps.logger.warn(`${spec.label}: ${repository} failed: ${reason}${more ? '; trying the next repository' : ''}`);
    }
  }
  const hints = new Set(
    failures.map((failure) => (failure.error instanceof VigilError ? failure.error.hint : undefined)),
  );
  const [sharedHint] = hints.size === 1 ? [...hints] : [undefined];
  const listed = failures.map((failure) => `${failure.repository}: ${failure.reason}`).join('; ');
  throw new VigilError('DB_DOWNLOAD_FAILED', `cannot download the ${spec.label} from any repository (${listed})`, {
    hint:
      sharedHint ??
      `check ${spec.repositoryFlag}, the network and the credentials; on a machine without access, copy a cache filled by '${spec.pullCommand}' and use ${spec.skipFlag} or --offline`,
  });
}
