import { VigilError } from '../../errors/index.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../image/index.ts';
import { MEDIA_TYPES } from '../image/index.ts';

/** Every manifest kind a registry client asks for, OCI first (distribution 2.8 needs the OCI types listed). */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
].join(', ');

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export type ManifestDocument =
  | { readonly kind: 'manifest'; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly index: ImageIndex };

const DIGEST = /^sha256:[a-f0-9]{64}$/;

function invalid(where: string, why: string): VigilError {
  return new VigilError('REGISTRY_MANIFEST_INVALID', `${where}: ${why}`, {
    hint: 'the registry served something that is not an OCI or Docker v2 manifest',
  });
}

function descriptor(value: unknown, where: string): Descriptor {
  const entry = value as Partial<Descriptor> | null;
  if (!entry || typeof entry !== 'object') throw invalid(where, 'a descriptor is not an object');
  if (typeof entry.digest !== 'string' || !DIGEST.test(entry.digest)) {
    throw invalid(where, `unsupported or malformed digest ${JSON.stringify(entry.digest)}`);
  }
  if (typeof entry.size !== 'number' || !Number.isSafeInteger(entry.size) || entry.size < 0) {
    throw invalid(where, `descriptor ${entry.digest} has no valid size`);
  }
  if (entry.annotations !== undefined && (typeof entry.annotations !== 'object' || entry.annotations === null)) {
    throw invalid(where, `descriptor ${entry.digest} has malformed annotations`);
  }
  return { ...entry, mediaType: typeof entry.mediaType === 'string' ? entry.mediaType : '' } as Descriptor;
}

/** Parses a manifest or index; the media type comes from the document, else from Content-Type. */
export function parseManifestDocument(
  bytes: Buffer,
  contentType: string | undefined,
  where: string,
): {
  mediaType: string;
  document: ManifestDocument;
} {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(where, 'not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(where, 'not a JSON object');
  const record = value as Record<string, unknown>;
  const declared = typeof record.mediaType === 'string' ? record.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  const mediaType = declared ?? header ?? '';
  if (record.schemaVersion === 1 || mediaType.startsWith('application/vnd.docker.distribution.manifest.v1+')) {
    throw invalid(where, 'Docker schema 1 manifests are not supported');
  }
  const annotations = record.annotations as Record<string, string> | undefined;
  if (Array.isArray(record.manifests)) {
    const index: ImageIndex = {
      schemaVersion: Number(record.schemaVersion),
      mediaType: declared,
      manifests: record.manifests.map((entry) => descriptor(entry, where)),
      annotations,
    };
    return { mediaType: mediaType || MEDIA_TYPES.ociIndex, document: { kind: 'index', index } };
  }
  if (!Array.isArray(record.layers)) throw invalid(where, 'neither "layers" nor "manifests"');
  const manifest: ImageManifest = {
    schemaVersion: Number(record.schemaVersion),
    mediaType: declared,
    config: descriptor(record.config, where),
    layers: record.layers.map((entry) => descriptor(entry, where)),
    annotations,
  };
  return { mediaType: mediaType || MEDIA_TYPES.ociManifest, document: { kind: 'manifest', manifest } };
}
