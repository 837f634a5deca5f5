import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { usageError, VigilError } from '../../errors/index.ts';
import {
  formatReference,
  isDigest,
  parseReference,
  type Reference,
  type RegistryClient,
} from '../../oci/registry/index.ts';
import { directoryLayoutFiles, type LayoutFiles, tarLayoutFiles } from './layout-files.ts';
import { LayoutRepository, REF_NAME_ANNOTATION, readLayoutIndex } from './layout-repository.ts';
import { RegistryRepository } from './registry-repository.ts';
import type { ArtifactRepository } from './types.ts';

/**
 * Where an artifact is read from, as the repository options spell it:
 * `REGISTRY/REPO[:TAG][@DIGEST]`, `oci:DIR[:TAG][@DIGEST]` (an OCI layout directory) or
 * `file:BUNDLE[@DIGEST]` (a file written by `vigil bundle create`).
 */
export type ArtifactLocation =
  | { readonly kind: 'registry'; readonly reference: Reference }
  | { readonly kind: 'oci-layout'; readonly path: string; readonly tag?: string; readonly digest?: string }
  | { readonly kind: 'bundle'; readonly path: string; readonly tag?: string; readonly digest?: string };

const TAG = /^[\w][\w.-]{0,127}$/;

function splitPathReference(text: string, scheme: string): { path: string; tag?: string; digest?: string } {
  let rest = text;
  let digest: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0 && isDigest(rest.slice(at + 1))) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else if (at >= 0 && rest.slice(at + 1).startsWith('sha256:')) {
    throw usageError(`${scheme}${text}: the digest must be sha256: and 64 lower-case hex digits`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && TAG.test(rest.slice(colon + 1))) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (rest === '') throw usageError(`${scheme}${text}: no path`, `write it as ${scheme}/path/to/it`);
  return { path: resolve(rest), ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** A repository option value as a location; registry references keep an absent tag absent. */
export function parseArtifactLocation(text: string): ArtifactLocation {
  const value = text.trim();
  if (value.startsWith('oci:')) return { kind: 'oci-layout', ...splitPathReference(value.slice(4), 'oci:') };
  if (value.startsWith('file:')) return { kind: 'bundle', ...splitPathReference(value.slice(5), 'file:') };
  return { kind: 'registry', reference: parseReference(value, { defaultTag: null }) };
}

export function formatLocation(location: ArtifactLocation): string {
  if (location.kind === 'registry') return formatReference(location.reference);
  const scheme = location.kind === 'oci-layout' ? 'oci:' : 'file:';
  const tag = location.tag === undefined ? '' : `:${location.tag}`;
  const digest = location.digest === undefined ? '' : `@${location.digest}`;
  return `${scheme}${location.path}${tag}${digest}`;
}

export function locationTag(location: ArtifactLocation): string | undefined {
  return location.kind === 'registry' ? location.reference.tag : location.tag;
}

export function locationDigest(location: ArtifactLocation): string | undefined {
  return location.kind === 'registry' ? location.reference.digest : location.digest;
}

/** The same location with `tag` when it names neither tag nor digest. */
export function withDefaultTag(location: ArtifactLocation, tag: string): ArtifactLocation {
  if (locationTag(location) !== undefined || locationDigest(location) !== undefined) return location;
  return location.kind === 'registry'
    ? { kind: 'registry', reference: { ...location.reference, tag } }
    : { ...location, tag };
}

export interface OpenLocationOptions {
  /** Needed for registry locations. */
  readonly registry?: RegistryClient;
  /**
   * The repository's name inside a bundle or a `mirror --to oci:` directory: trivy-db,
   * trivy-java-db, trivy-checks.
   */
  readonly repositoryName: string;
}

function notFound(location: ArtifactLocation, why: string): VigilError {
  return new VigilError('LOCATION_NOT_FOUND', `${formatLocation(location)}: ${why}`, {
    hint: 'oci: takes an OCI layout directory (or the directory vigil mirror --to oci: wrote), file: a bundle from vigil bundle create',
  });
}

function isScoped(refNames: readonly string[], name: string): boolean {
  return refNames.some((ref) => ref.startsWith(`${name}:`));
}

async function openLayoutDirectory(location: ArtifactLocation & { path: string }, name: string) {
  const info = await stat(location.path).catch(() => undefined);
  if (!info) throw notFound(location, 'no such file or directory');
  if (!info.isDirectory()) throw notFound(location, 'not a directory (a bundle file is read with file:)');
  // The directory itself, or the repository's directory under a `mirror --to oci:` root.
  for (const dir of [location.path, join(location.path, name)]) {
    const files = directoryLayoutFiles(dir);
    const index = await readLayoutIndex(files);
    if (index) return layoutRepository(files, index, `oci:${dir}`, name);
  }
  throw notFound(location, `neither it nor ${join(location.path, name)} holds an OCI layout (index.json)`);
}

function layoutRepository(
  files: LayoutFiles,
  index: Awaited<ReturnType<typeof readLayoutIndex>> & object,
  description: string,
  name: string,
): LayoutRepository {
  const refNames = index.manifests.map((entry) => entry.annotations?.[REF_NAME_ANNOTATION] ?? '');
  const scope = isScoped(refNames, name) ? name : undefined;
  return new LayoutRepository(files, index, scope ? `${description} (${name})` : description, scope);
}

/** Opens the repository a location names; close it when done. */
export async function openArtifactRepository(
  location: ArtifactLocation,
  options: OpenLocationOptions,
): Promise<ArtifactRepository> {
  switch (location.kind) {
    case 'registry': {
      if (!options.registry) throw new VigilError('NO_REGISTRY_CLIENT', `cannot reach ${formatLocation(location)}`);
      const { registry, repository } = location.reference;
      return new RegistryRepository(options.registry, registry, repository);
    }
    case 'oci-layout':
      return openLayoutDirectory(location, options.repositoryName);
    case 'bundle': {
      const info = await stat(location.path).catch(() => undefined);
      if (!info?.isFile()) throw notFound(location, 'no such bundle file');
      const files = await tarLayoutFiles(location.path);
      try {
        const index = await readLayoutIndex(files);
        if (!index) throw notFound(location, 'the file holds no index.json: it is not a bundle');
        return layoutRepository(files, index, `file:${location.path}`, options.repositoryName);
      } catch (error) {
        await files.close();
        throw error;
      }
    }
  }
}
