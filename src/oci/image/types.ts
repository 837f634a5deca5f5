import type { Readable } from 'node:stream';

/** The parts of an OCI / Docker image config that scanning and reports use. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  history?: Array<{ created?: string; created_by?: string; empty_layer?: boolean; comment?: string }>;
  rootfs?: { type?: string; diff_ids?: string[] };
  config?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ImageLayer {
  /** Digest of the blob as stored (compressed); absent for `docker save` archives, as Trivy reports them. */
  readonly digest: string | undefined;
  /** sha256 of the uncompressed tar, from the image config. */
  readonly diffId: string | undefined;
  readonly size: number | undefined;
  readonly mediaType: string | undefined;
  /** The history line that made the layer. */
  readonly createdBy: string | undefined;
  /** The layer as stored: gzip, zstd or plain tar. */
  open(): Promise<Readable>;
}

/**
 * An image from any back end (docker archive, OCI layout directory or tarball, registry):
 * one small interface, so scanning never cares where the bytes come from.
 */
export interface ImageSource {
  readonly name: string;
  /** sha256 of the config blob. */
  readonly imageId: string;
  readonly config: ImageConfig;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly layers: readonly ImageLayer[];
  close(): Promise<void>;
}

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** The history entries that produced a layer (empty_layer entries excluded), aligned with the layers. */
export function layerHistory(config: ImageConfig): Array<string | undefined> {
  return (config.history ?? []).filter((entry) => !entry.empty_layer).map((entry) => entry.created_by);
}
