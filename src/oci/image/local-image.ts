import { createHash } from 'node:crypto';
import { VigilError } from '../../errors/index.ts';
import type { FileStore } from './file-store.ts';
import type { Descriptor, ImageIndex, Platform } from './manifest.ts';
import {
  blobPath,
  isIndexMediaType,
  isManifestMediaType,
  MEDIA_TYPES,
  parseImageIndex,
  parseImageManifest,
  selectPlatform,
} from './manifest.ts';
import type { ImageConfig, ImageLayer, ImageSource } from './types.ts';
import { layerHistory, MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES } from './types.ts';

export interface LocalImageOptions {
  /** Name for reports (ArtifactName). */
  name: string;
  /** Tag within an OCI layout (`org.opencontainers.image.ref.name`). */
  tag?: string;
  platform?: Platform;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function parseConfig(bytes: Buffer, where: string): ImageConfig {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as ImageConfig;
  } catch {}
  throw new VigilError('IMAGE_CONFIG_INVALID', `the image config in ${where} is not a JSON object`, {
    hint: 'the image export is damaged; export it again',
  });
}

/** A `docker save` archive: manifest.json lists the config and the layer files. */
export async function dockerArchiveImage(store: FileStore, options: LocalImageOptions): Promise<ImageSource> {
  const where = `${store.description} (manifest.json)`;
  let entries: unknown;
  try {
    entries = JSON.parse((await store.read('manifest.json', MAX_MANIFEST_BYTES)).toString('utf8'));
  } catch (error) {
    if (error instanceof VigilError) throw error;
    throw new VigilError('IMAGE_MANIFEST_INVALID', `${where} is not valid JSON`, { hint: 'export the image again' });
  }
  const list = Array.isArray(entries)
    ? (entries as Array<{ Config?: unknown; RepoTags?: unknown; Layers?: unknown }>)
    : [];
  const entry = options.tag
    ? list.find(
        (candidate) =>
          Array.isArray(candidate.RepoTags) &&
          candidate.RepoTags.some((tag) => String(tag).endsWith(`:${options.tag}`)),
      )
    : list[0];
  if (!entry || typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) {
    throw new VigilError(
      'IMAGE_MANIFEST_INVALID',
      `${where} lists no image${options.tag ? ` tagged ${options.tag}` : ''}`,
      {
        hint: 'check the archive with `tar tf`; it should come from `docker save` or `skopeo copy … docker-archive:`',
      },
    );
  }
  const configBytes = await store.read(entry.Config, MAX_CONFIG_BYTES);
  const config = parseConfig(configBytes, store.description);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const history = layerHistory(config);
  const layerFiles = entry.Layers.map(String);
  if (diffIds.length !== layerFiles.length) {
    throw new VigilError(
      'IMAGE_CONFIG_INVALID',
      `${where} lists ${layerFiles.length} layers but the config has ${diffIds.length} diff IDs`,
      {
        hint: 'the image export is damaged; export it again',
      },
    );
  }
  const layers: ImageLayer[] = await Promise.all(
    layerFiles.map(async (file, index) => ({
      digest: undefined,
      diffId: diffIds[index],
      size: await store.size(file),
      mediaType: undefined,
      createdBy: history[index],
      open: () => store.open(file),
    })),
  );
  return {
    name: options.name,
    imageId: sha256(configBytes),
    config,
    repoTags: Array.isArray(entry.RepoTags) ? entry.RepoTags.map(String) : [],
    repoDigests: [],
    layers,
    close: () => store.close(),
  };
}

/** An OCI image layout (directory or tarball): index.json → [index →] manifest → config and layers. */
export async function ociLayoutImage(store: FileStore, options: LocalImageOptions): Promise<ImageSource> {
  const index = parseImageIndex(await store.read('index.json', MAX_MANIFEST_BYTES), `${store.description}/index.json`);
  let descriptor = chooseManifest(index, options, store.description);
  for (let depth = 0; isIndexMediaType(descriptor.mediaType); depth += 1) {
    if (depth > 4) throw new VigilError('IMAGE_MANIFEST_INVALID', `${store.description}: indexes nest too deeply`);
    const nested = parseImageIndex(
      await readVerified(store, descriptor),
      `${store.description} index ${descriptor.digest}`,
    );
    descriptor = selectPlatform(nested, options.platform ?? { os: 'linux', architecture: 'amd64' }, store.description);
  }
  if (!isManifestMediaType(descriptor.mediaType)) {
    throw new VigilError(
      'IMAGE_MANIFEST_INVALID',
      `${store.description}: unsupported manifest media type ${JSON.stringify(descriptor.mediaType)}`,
      {
        hint: `expected ${MEDIA_TYPES.ociManifest} or ${MEDIA_TYPES.dockerManifest}`,
      },
    );
  }
  const manifest = parseImageManifest(
    await readVerified(store, descriptor),
    `${store.description} manifest ${descriptor.digest}`,
  );
  const configBytes = await readVerified(store, manifest.config, MAX_CONFIG_BYTES);
  const config = parseConfig(configBytes, store.description);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const history = layerHistory(config);
  const layers: ImageLayer[] = manifest.layers.map((layer, position) => ({
    digest: layer.digest,
    diffId: diffIds[position],
    size: layer.size,
    mediaType: layer.mediaType,
    createdBy: history[position],
    open: () => store.open(blobPath(layer.digest)),
  }));
  const refName = descriptor.annotations?.['org.opencontainers.image.ref.name'] ?? options.tag;
  return {
    name: options.name,
    imageId: sha256(configBytes),
    config,
    repoTags: refName ? [refName] : [],
    repoDigests: [],
    layers,
    close: () => store.close(),
  };
}

function chooseManifest(index: ImageIndex, options: LocalImageOptions, where: string): Descriptor {
  const refName = (entry: Descriptor) => entry.annotations?.['org.opencontainers.image.ref.name'];
  if (options.tag) {
    const tagged = index.manifests.find((entry) => refName(entry) === options.tag);
    if (!tagged) {
      const tags = index.manifests.map(refName).filter(Boolean);
      throw new VigilError('IMAGE_TAG_MISSING', `${where} has no image tagged ${JSON.stringify(options.tag)}`, {
        hint: tags.length ? `tags in the layout: ${tags.join(', ')}` : 'the layout has no tagged images; drop the :TAG',
      });
    }
    return tagged;
  }
  const usable = index.manifests.filter(
    (entry) => isManifestMediaType(entry.mediaType) || isIndexMediaType(entry.mediaType),
  );
  const first = usable[0];
  if (!first) {
    throw new VigilError('IMAGE_MANIFEST_INVALID', `${where}/index.json lists no image manifest`, {
      hint: 'the OCI layout holds no container image',
    });
  }
  if (options.platform && usable.length > 1) {
    return selectPlatform({ ...index, manifests: usable }, options.platform, where);
  }
  return first;
}

async function readVerified(store: FileStore, descriptor: Descriptor, maxBytes = MAX_MANIFEST_BYTES): Promise<Buffer> {
  if (descriptor.size > maxBytes) {
    throw new VigilError(
      'IMAGE_MANIFEST_INVALID',
      `${store.description}: ${descriptor.digest} claims ${descriptor.size} bytes`,
      {
        hint: 'manifests and configs are small; the layout is damaged or hostile',
      },
    );
  }
  const bytes = await store.read(blobPath(descriptor.digest), maxBytes);
  if (sha256(bytes) !== descriptor.digest) {
    throw new VigilError(
      'IMAGE_DIGEST_MISMATCH',
      `${store.description}: blob ${descriptor.digest} does not match its digest`,
      {
        hint: 'the layout was modified or damaged; copy the image again',
      },
    );
  }
  return bytes;
}
