export type { FileStore } from './file-store.ts';
export type { Descriptor, ImageIndex, ImageManifest, Platform } from './manifest.ts';
export {
  blobPath,
  isIndexMediaType,
  isManifestMediaType,
  MEDIA_TYPES,
  parseImageIndex,
  parseImageManifest,
  parsePlatform,
  selectPlatform,
} from './manifest.ts';
export type { OpenLocalImageOptions } from './open-local.ts';
export { byteLimit, openLocalImage } from './open-local.ts';
export { type RegistryImageOptions, registryImage } from './registry-image.ts';
export type { ImageConfig, ImageLayer, ImageSource } from './types.ts';
export { layerHistory } from './types.ts';
