import type { Logger } from '../../log/index.ts';
import type { PushBlobResult, Reference, RegistryClient } from '../../oci/registry/index.ts';
import { checkArtifactArchive } from './archive-check.ts';
import { type DbArtifactKind, OCI_MANIFEST_MEDIA_TYPE, planArtifactPush } from './artifact-manifest.ts';

export interface PushArtifactOptions {
  /** Manifest annotations, e.g. `org.opencontainers.image.version` for a checks bundle. */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export interface PushArtifactResult {
  readonly reference: Reference;
  readonly manifestDigest: string;
  readonly layerDigest: string;
  readonly layerSize: number;
  readonly config: PushBlobResult;
  readonly layer: PushBlobResult;
}

/**
 * Publishes a DB artifact file as Trivy's publishers do (`oras push`): the `{}` config blob, the
 * file as the single layer with Trivy's media type and title, then the manifest under the
 * reference's tag. The archive is checked first, so a file no client could use is never published;
 * blobs the repository already holds are not uploaded again.
 */
export async function pushArtifactFile(
  registry: RegistryClient,
  reference: Reference,
  file: string,
  kind: DbArtifactKind,
  options: PushArtifactOptions = {},
): Promise<PushArtifactResult> {
  const { signal, logger } = options;
  await checkArtifactArchive(file, kind, signal);
  const plan = await planArtifactPush(file, kind, options.annotations);
  const config = await registry.pushBlob(
    reference,
    { digest: plan.config.digest, size: plan.config.size, bytes: plan.config.bytes },
    { signal },
  );
  logger?.debug(`config blob ${plan.config.digest}: ${config}`);
  const layer = await registry.pushBlob(
    reference,
    { digest: plan.layer.digest, size: plan.layer.size, file },
    { signal },
  );
  logger?.info(`layer ${plan.type.title} ${plan.layer.digest} (${plan.layer.size} bytes): ${layer}`);
  const manifestDigest = await registry.pushManifest(reference, plan.manifest, OCI_MANIFEST_MEDIA_TYPE, { signal });
  return {
    reference,
    manifestDigest,
    layerDigest: plan.layer.digest,
    layerSize: plan.layer.size,
    config,
    layer,
  };
}
