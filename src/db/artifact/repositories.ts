import {
  type ArtifactLocation,
  locationDigest,
  parseArtifactLocation,
  withDefaultTag,
} from '../../airgap/store/index.ts';
import type { Logger } from '../../log/index.ts';
import type { DbArtifactKind } from '../build/index.ts';
import { ARTIFACT_SPECS } from './artifact-kinds.ts';

/**
 * Repository option values as locations: registry references, `oci:DIR` layouts and `file:`
 * bundles. As in Trivy, a registry value with neither tag nor digest gets the schema version as
 * its tag (`:2`, `:1`); the checks bundle's gets `latest`. Layouts get the same tag; a bundle
 * without a tag gives the one artifact of the kind it holds.
 */
export function parseArtifactRepositories(
  kind: DbArtifactKind,
  values: readonly string[],
  logger: Logger,
): ArtifactLocation[] {
  const spec = ARTIFACT_SPECS[kind];
  return values.map((value) => {
    const location = parseArtifactLocation(value);
    // A bundle holds one artifact of each kind, whatever its tag: leave the choice to the bundle.
    if (location.kind === 'bundle') return location;
    const tagged = withDefaultTag(location, spec.taglessTag);
    if (tagged !== location && location.kind === 'registry' && kind !== 'checks') {
      logger.info(`adding schema version ${spec.taglessTag} to the ${spec.label} repository ${value} (as Trivy does)`);
    }
    return tagged;
  });
}

/** The repositories Vigil uses when none is configured. */
export function defaultArtifactRepositories(kind: DbArtifactKind): ArtifactLocation[] {
  return ARTIFACT_SPECS[kind].defaultRepositories.map((value) => parseArtifactLocation(value));
}

/** When every repository is pinned to a digest, the digests the cache may hold; otherwise undefined. */
export function pinnedDigests(locations: readonly ArtifactLocation[]): ReadonlySet<string> | undefined {
  const digests = locations.map((location) => locationDigest(location));
  if (digests.length === 0 || digests.some((digest) => digest === undefined)) return undefined;
  return new Set(digests as string[]);
}

/** Layouts and bundles are read from disk: --offline does not stand in their way. */
export function allLocal(locations: readonly ArtifactLocation[]): boolean {
  return locations.length > 0 && locations.every((location) => location.kind !== 'registry');
}
