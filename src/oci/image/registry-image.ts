import { VigilError } from '../../errors/index.ts';
import type { RegistryClient } from '../registry/index.ts';
import { formatReference, parseReference } from '../registry/index.ts';
import type { Platform } from './manifest.ts';
import type { ImageConfig, ImageLayer, ImageSource } from './types.ts';
import { layerHistory, MAX_CONFIG_BYTES } from './types.ts';

export interface RegistryImageOptions {
  platform?: Platform;
  signal?: AbortSignal;
}

const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/**
 * An image pulled from a registry through the shared client: the manifest (or the platform's
 * entry of an index) and config are fetched up front, each layer only when the scan opens it,
 * so layers already in the scan cache are never downloaded.
 */
export async function registryImage(
  client: RegistryClient,
  referenceText: string,
  options: RegistryImageOptions = {},
): Promise<ImageSource> {
  const reference = parseReference(referenceText);
  const fetched = await client.getImageManifest(reference, options.platform ?? DEFAULT_PLATFORM, {
    signal: options.signal,
  });
  const manifest = fetched.manifest;
  if (!manifest) {
    throw new VigilError('IMAGE_MANIFEST_INVALID', `${formatReference(reference)} is not a container image manifest`, {
      hint: 'the reference names an index without an image for this platform; pass --platform',
    });
  }
  if (manifest.config.size > MAX_CONFIG_BYTES) {
    throw new VigilError(
      'IMAGE_CONFIG_INVALID',
      `${formatReference(reference)}: the image config claims ${manifest.config.size} bytes`,
      {
        hint: 'image configs are small; the registry serves something else',
      },
    );
  }
  const configStream = await client.openBlob(fetched.reference, manifest.config, { signal: options.signal });
  const chunks: Buffer[] = [];
  for await (const chunk of configStream) chunks.push(chunk as Buffer);
  let config: ImageConfig;
  try {
    config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ImageConfig;
  } catch {
    throw new VigilError('IMAGE_CONFIG_INVALID', `${formatReference(reference)}: the image config is not JSON`, {
      hint: 'the registry serves a damaged image',
    });
  }
  const diffIds = config.rootfs?.diff_ids ?? [];
  const history = layerHistory(config);
  const layers: ImageLayer[] = manifest.layers.map((descriptor, index) => ({
    digest: descriptor.digest,
    diffId: diffIds[index],
    size: descriptor.size,
    mediaType: descriptor.mediaType,
    createdBy: history[index],
    open: () => client.openBlob(fetched.reference, descriptor, { signal: options.signal }),
  }));
  const repository = `${reference.registry}/${reference.repository}`;
  return {
    name: referenceText,
    imageId: manifest.config.digest,
    config,
    repoTags: reference.tag ? [`${repository}:${reference.tag}`] : [],
    repoDigests: [`${repository}@${fetched.digest}`],
    layers,
    close: async () => {},
  };
}
