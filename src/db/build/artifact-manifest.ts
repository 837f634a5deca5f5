import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { VigilError } from '../../errors/index.ts';

/**
 * The OCI artifacts Trivy pulls, with exactly the media types and annotations it checks
 * (one layer of the expected media type, titled with the file name it extracts). Config blobs are
 * `{}` as `oras push` writes them; Trivy never reads them.
 */
export type DbArtifactKind = 'db' | 'java-db' | 'checks';

export interface DbArtifactType {
  readonly kind: DbArtifactKind;
  readonly configMediaType: string;
  readonly layerMediaType: string;
  /** `org.opencontainers.image.title` of the layer: the file name Trivy downloads and extracts. */
  readonly title: string;
}

export const DB_ARTIFACT_TYPES: Readonly<Record<DbArtifactKind, DbArtifactType>> = {
  db: {
    kind: 'db',
    configMediaType: 'application/vnd.aquasec.trivy.config.v1+json',
    layerMediaType: 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip',
    title: 'db.tar.gz',
  },
  'java-db': {
    kind: 'java-db',
    configMediaType: 'application/vnd.aquasec.trivy.config.v1+json',
    layerMediaType: 'application/vnd.aquasec.trivy.javadb.layer.v1.tar+gzip',
    title: 'javadb.tar.gz',
  },
  checks: {
    kind: 'checks',
    configMediaType: 'application/vnd.cncf.openpolicyagent.config.v1+json',
    layerMediaType: 'application/vnd.cncf.openpolicyagent.layer.v1.tar+gzip',
    title: 'bundle.tar.gz',
  },
};

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const TITLE_ANNOTATION = 'org.opencontainers.image.title';

/** The artifact kind a file name implies (`db.tar.gz`, `javadb.tar.gz`, `bundle.tar.gz`), if any. */
export function artifactKindForFile(path: string): DbArtifactKind | undefined {
  const name = basename(path);
  if (name === 'javadb.tar.gz' || name.startsWith('trivy-java')) return 'java-db';
  if (name === 'bundle.tar.gz' || name.includes('checks')) return 'checks';
  if (name === 'db.tar.gz' || name.endsWith('.tar.gz')) return 'db';
  return undefined;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** Everything a registry push needs: the two blobs and the manifest bytes with their digests. */
export interface ArtifactPushPlan {
  readonly type: DbArtifactType;
  readonly file: string;
  readonly config: OciDescriptor & { readonly bytes: Buffer };
  readonly layer: OciDescriptor;
  readonly manifest: Buffer;
  readonly manifestDigest: string;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

export async function planArtifactPush(
  file: string,
  kind: DbArtifactKind,
  manifestAnnotations: Readonly<Record<string, string>> = {},
): Promise<ArtifactPushPlan> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new VigilError('PUSH_FILE_MISSING', `no such file: ${file}`, { hint: 'build one with vigil db build' });
  }
  const type = DB_ARTIFACT_TYPES[kind];
  const configBytes = Buffer.from('{}');
  const config = {
    mediaType: type.configMediaType,
    digest: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
    size: configBytes.length,
    bytes: configBytes,
  };
  const layer: OciDescriptor = {
    mediaType: type.layerMediaType,
    digest: await sha256File(file),
    size,
    annotations: { [TITLE_ANNOTATION]: type.title },
  };
  const manifestObject: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: [layer],
  };
  if (Object.keys(manifestAnnotations).length > 0) manifestObject.annotations = { ...manifestAnnotations };
  const manifest = Buffer.from(JSON.stringify(manifestObject));
  const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  return { type, file, config, layer, manifest, manifestDigest };
}
