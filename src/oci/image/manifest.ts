import { VigilError } from '../../errors/index.ts';

/** Manifest and index documents as the OCI image spec and Docker's v2 schema 2 define them. */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
  artifactType?: string;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
}

export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType === MEDIA_TYPES.ociManifest || mediaType === MEDIA_TYPES.dockerManifest;
}

function invalid(where: string, why: string): VigilError {
  return new VigilError('IMAGE_MANIFEST_INVALID', `${where}: ${why}`, {
    hint: 'the image export is damaged or is not a container image',
  });
}

function parseJson(bytes: Buffer, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw invalid(where, `not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(where, 'not a JSON object');
  return value as Record<string, unknown>;
}

export function checkDescriptor(value: unknown, where: string): Descriptor {
  const descriptor = value as Partial<Descriptor> | null;
  if (!descriptor || typeof descriptor !== 'object') throw invalid(where, 'a descriptor is not an object');
  if (typeof descriptor.digest !== 'string' || !DIGEST.test(descriptor.digest)) {
    throw invalid(where, `unsupported or malformed digest ${JSON.stringify(descriptor.digest)}`);
  }
  if (typeof descriptor.size !== 'number' || !Number.isSafeInteger(descriptor.size) || descriptor.size < 0) {
    throw invalid(where, `descriptor ${descriptor.digest} has no valid size`);
  }
  return { ...descriptor, mediaType: String(descriptor.mediaType ?? '') } as Descriptor;
}

export function parseImageIndex(bytes: Buffer, where: string): ImageIndex {
  const document = parseJson(bytes, where);
  if (!Array.isArray(document.manifests)) throw invalid(where, 'no "manifests" list');
  return {
    schemaVersion: Number(document.schemaVersion),
    mediaType: document.mediaType as string | undefined,
    manifests: document.manifests.map((entry) => checkDescriptor(entry, where)),
    annotations: document.annotations as Record<string, string> | undefined,
  };
}

export function parseImageManifest(bytes: Buffer, where: string): ImageManifest {
  const document = parseJson(bytes, where);
  if (!Array.isArray(document.layers)) throw invalid(where, 'no "layers" list');
  return {
    schemaVersion: Number(document.schemaVersion),
    mediaType: document.mediaType as string | undefined,
    config: checkDescriptor(document.config, where),
    layers: document.layers.map((entry) => checkDescriptor(entry, where)),
    annotations: document.annotations as Record<string, string> | undefined,
  };
}

/** `linux/amd64`, `linux/arm64/v8` → Platform. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) {
    throw new VigilError('USAGE', `invalid platform ${JSON.stringify(text)}`, {
      hint: 'write it as OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm64/v8',
      exitCode: 2,
    });
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** The index entry for a platform; variant only compared when asked for. */
export function selectPlatform(index: ImageIndex, wanted: Platform, where: string): Descriptor {
  const candidates = index.manifests.filter(
    (entry) =>
      entry.platform?.os === wanted.os &&
      entry.platform.architecture === wanted.architecture &&
      (wanted.variant === undefined || entry.platform.variant === wanted.variant),
  );
  const chosen = candidates[0];
  if (!chosen) {
    const offered = index.manifests
      .map(
        (entry) =>
          entry.platform &&
          [entry.platform.os, entry.platform.architecture, entry.platform.variant].filter(Boolean).join('/'),
      )
      .filter(Boolean);
    throw new VigilError('IMAGE_PLATFORM_MISSING', `${where} has no image for ${wanted.os}/${wanted.architecture}`, {
      hint: offered.length ? `choose one with --platform: ${offered.join(', ')}` : 'the index lists no platforms',
    });
  }
  return chosen;
}

/** Blob path inside an OCI layout. */
export function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}
