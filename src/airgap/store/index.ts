/**
 * OCI artifact repositories wherever they live (registry, OCI layout directory, bundle file),
 * read with every byte verified, and written byte for byte.
 */
export { directoryLayoutFiles, type LayoutFiles, tarLayoutFiles } from './layout-files.ts';
export {
  LayoutRepository,
  layoutTags,
  OCI_LAYOUT_FILE,
  OCI_LAYOUT_TEXT,
  openLayoutBlob,
  REF_NAME_ANNOTATION,
  readLayoutIndex,
} from './layout-repository.ts';
export { indexWithManifest, LayoutWriter, replaceFile } from './layout-writer.ts';
export {
  type ArtifactLocation,
  formatLocation,
  locationDigest,
  locationTag,
  type OpenLocationOptions,
  openArtifactRepository,
  parseArtifactLocation,
  withDefaultTag,
} from './location.ts';
export { MemoryBlobs, readSmallBlob } from './memory-blobs.ts';
export { RegistryRepository, RegistryWriter, type RegistryWriterOptions } from './registry-repository.ts';
export { signatureTag, storedManifest } from './stored-manifest.ts';
export type { ArtifactRepository, ArtifactRepositoryWriter, BlobReadOptions, StoredManifest } from './types.ts';
export { copyVerifiedRange, type FileRange } from './verified-range.ts';
