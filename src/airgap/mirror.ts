import { join, resolve } from 'node:path';
import { ARTIFACT_SPECS, artifactShape } from '../db/artifact/index.ts';
import type { DbArtifactKind } from '../db/build/index.ts';
import { describeError, usageError, VigilError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import { NetworkError, type TransferProgress } from '../net/index.ts';
import { parseReference, type RegistryClient } from '../oci/registry/index.ts';
import { type CopyTally, copyManifest, copySignatures, emptyTally } from './copy-artifact.ts';
import { loadVerificationKeys, verifyArtifactSignature } from './signature/index.ts';
import {
  type ArtifactLocation,
  type ArtifactRepository,
  type ArtifactRepositoryWriter,
  formatLocation,
  LayoutRepository,
  LayoutWriter,
  locationDigest,
  locationTag,
  openArtifactRepository,
  RegistryWriter,
} from './store/index.ts';

/** Where `vigil mirror --to` writes: `REGISTRY[/PREFIX]` or `oci:DIR`, one repository per artifact under it. */
export type MirrorTarget =
  | { readonly kind: 'registry'; readonly registry: string; readonly prefix: string }
  | { readonly kind: 'oci-layout'; readonly dir: string };

export function parseMirrorTarget(text: string): MirrorTarget {
  const value = text.trim().replace(/\/+$/, '');
  if (value.startsWith('oci:')) {
    const dir = value.slice(4);
    if (dir === '') throw usageError('--to oci: needs a directory', 'write it as --to oci:/path/to/dir');
    return { kind: 'oci-layout', dir: resolve(dir) };
  }
  const reference = parseReference(`${value}/trivy-db`, { defaultTag: null });
  const host = value.split('/')[0] ?? '';
  const explicitHost = host.includes('.') || host.includes(':') || host === 'localhost';
  if (reference.tag !== undefined || reference.digest !== undefined || !explicitHost) {
    throw usageError(
      `--to ${JSON.stringify(text)} is not REGISTRY[/PREFIX] or oci:DIR`,
      'e.g. --to registry.local:5000/trivy (repositories trivy-db, trivy-java-db, trivy-checks go under it) or --to oci:/media/usb/mirror',
    );
  }
  const prefix = reference.repository.slice(0, -'trivy-db'.length).replace(/\/$/, '');
  return { kind: 'registry', registry: reference.registry, prefix };
}

/** Where the artifact of `kind` lands under the target. */
export function mirrorDestination(target: MirrorTarget, kind: DbArtifactKind): string {
  const name = ARTIFACT_SPECS[kind].repositoryName;
  if (target.kind === 'oci-layout') return `oci:${join(target.dir, name)}`;
  return `${target.registry}/${target.prefix ? `${target.prefix}/` : ''}${name}`;
}

export interface MirrorRequest {
  readonly kinds: readonly DbArtifactKind[];
  /** Where each artifact comes from, tried in order until one copy succeeds. */
  readonly sources: Readonly<Record<DbArtifactKind, readonly ArtifactLocation[]>>;
  readonly target: MirrorTarget;
  /** PEM public keys: an artifact without a cosign signature by one of them is not copied. */
  readonly signatureKeys?: readonly string[];
}

export interface MirrorDeps {
  /** For registry sources and targets. */
  readonly registry?: RegistryClient;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly progress?: TransferProgress;
}

export interface MirroredArtifact {
  readonly kind: DbArtifactKind;
  readonly label: string;
  readonly source: string;
  readonly destination: string;
  readonly tags: readonly string[];
  readonly manifestDigests: readonly string[];
  /** Whether cosign signatures were found and copied along. */
  readonly signed: boolean;
  readonly tally: CopyTally;
}

function openWriter(target: MirrorTarget, kind: DbArtifactKind, deps: MirrorDeps, mounts: Map<string, string>) {
  const name = ARTIFACT_SPECS[kind].repositoryName;
  if (target.kind === 'oci-layout') return new LayoutWriter(join(target.dir, name));
  const repository = target.prefix ? `${target.prefix}/${name}` : name;
  if (!deps.registry) throw new VigilError('NO_REGISTRY_CLIENT', `cannot reach ${target.registry}`);
  return new RegistryWriter(deps.registry, target.registry, repository, { mounts });
}

/** The tags to copy: the one the location names, else (a bundle or layout read whole) every tag it holds. */
function tagsToCopy(location: ArtifactLocation, source: ArtifactRepository, kind: DbArtifactKind): string[] {
  const tag = locationTag(location);
  if (tag !== undefined) return [tag];
  if (locationDigest(location) === undefined && source instanceof LayoutRepository) {
    const tags = [...source.tags().keys()].filter((name) => !name.endsWith('.sig'));
    if (tags.length > 0) return tags;
  }
  return [ARTIFACT_SPECS[kind].taglessTag];
}

async function copyFrom(
  kind: DbArtifactKind,
  location: ArtifactLocation,
  source: ArtifactRepository,
  writer: ArtifactRepositoryWriter,
  signatureKeys: readonly string[] | undefined,
  deps: MirrorDeps,
): Promise<MirroredArtifact> {
  const spec = ARTIFACT_SPECS[kind];
  const tally = emptyTally();
  const options = { logger: deps.logger, signal: deps.signal, progress: deps.progress };
  const keys = signatureKeys?.length ? await loadVerificationKeys(signatureKeys) : [];
  const tags = tagsToCopy(location, source, kind);
  const digests: string[] = [];
  let signed = false;
  for (const tag of tags) {
    const pinned = locationDigest(location);
    const manifest = await source.getManifest(pinned ?? tag, deps.signal);
    const where = `${source.description}:${tag}`;
    artifactShape(spec, where, manifest);
    if (keys.length > 0) {
      const verified = await verifyArtifactSignature(source, manifest.digest, keys, `the ${spec.label}`, deps.signal);
      deps.logger.info(`${where} (${manifest.digest}) is signed by ${verified.keyPath}`);
    }
    await copyManifest(source, manifest, writer, tag, tally, options);
    if (!digests.includes(manifest.digest)) {
      digests.push(manifest.digest);
      signed = (await copySignatures(source, manifest.digest, writer, tally, options)) || signed;
    }
  }
  return {
    kind,
    label: spec.label,
    source: formatLocation(location),
    destination: writer.description,
    tags,
    manifestDigests: digests,
    signed,
    tally,
  };
}

/**
 * Copies the artifact of `kind` from the first of `sources` that works into `writer`; a source
 * that fails (network, missing tag, wrong artifact, no valid signature) is logged and the next
 * one tried. The error, if all fail, lists each source with its reason.
 */
export async function copyFromFirstSource(
  kind: DbArtifactKind,
  sources: readonly ArtifactLocation[],
  writer: ArtifactRepositoryWriter,
  signatureKeys: readonly string[] | undefined,
  deps: MirrorDeps,
): Promise<MirroredArtifact> {
  const spec = ARTIFACT_SPECS[kind];
  const failures: string[] = [];
  for (const location of sources) {
    deps.logger.info(`copying the ${spec.label} from ${formatLocation(location)} to ${writer.description}`);
    try {
      const source = await openArtifactRepository(location, {
        registry: deps.registry,
        repositoryName: spec.repositoryName,
      });
      try {
        return await copyFrom(kind, location, source, writer, signatureKeys, deps);
      } finally {
        await source.close();
      }
    } catch (error) {
      if (deps.signal?.aborted) throw deps.signal.reason;
      if (error instanceof NetworkError && error.failure === 'offline') throw error;
      const reason = error instanceof VigilError ? error.message : describeError(error);
      failures.push(`${formatLocation(location)}: ${reason}`);
      deps.logger.warn(`${spec.label}: ${reason}`);
    }
  }
  throw new VigilError(
    'COPY_FAILED',
    `cannot copy the ${spec.label} from any source (${failures.join('; ') || 'none given'})`,
    {
      hint: `check ${spec.repositoryFlag}, the network and the credentials; what was copied so far stays and is not sent again`,
    },
  );
}

/**
 * `vigil mirror`: each artifact copied byte for byte from the first source that works into its
 * repository under the target (trivy-db, trivy-java-db, trivy-checks), tags and signatures
 * included. Blobs the target has are never sent again, so a second run sends nothing and a run
 * that was killed picks up where it stopped.
 */
export async function mirrorArtifacts(request: MirrorRequest, deps: MirrorDeps): Promise<MirroredArtifact[]> {
  const mounts = new Map<string, string>();
  const done: MirroredArtifact[] = [];
  for (const kind of request.kinds) {
    const writer = openWriter(request.target, kind, deps, mounts);
    try {
      done.push(await copyFromFirstSource(kind, request.sources[kind], writer, request.signatureKeys, deps));
    } finally {
      await writer.close();
    }
  }
  return done;
}
