import type { Logger } from '../../log/index.ts';
import { parseReference, type Reference } from '../../oci/registry/index.ts';
import type { DbArtifactKind } from '../build/index.ts';
import { ARTIFACT_SPECS } from './artifact-kinds.ts';

/**
 * Repository option values as references. As in Trivy, a value with neither tag nor digest gets
 * the schema version as its tag (`:2`, `:1`); the checks bundle's gets `latest`.
 */
export function parseArtifactRepositories(
  kind: DbArtifactKind,
  values: readonly string[],
  logger: Logger,
): Reference[] {
  const spec = ARTIFACT_SPECS[kind];
  return values.map((value) => {
    const reference = parseReference(value, { defaultTag: null });
    if (reference.tag !== undefined || reference.digest !== undefined) return reference;
    if (kind !== 'checks') {
      logger.info(`adding schema version ${spec.taglessTag} to the ${spec.label} repository ${value} (as Trivy does)`);
    }
    return { ...reference, tag: spec.taglessTag };
  });
}
