import type { Analyzer, AnalyzerContext, LayerRef } from '../analyzer/types.ts';
import type { LayerAnalysis, ScanCache } from '../cache/scan-cache.ts';
import { layerCacheKey } from '../cache/scan-cache.ts';
import { VigilError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { ImageConfig, ImageSource } from '../oci/image/index.ts';
import type { AnalyzedLayer, Inventory } from './applier.ts';
import { applyLayers } from './applier.ts';
import { FileCollector } from './collector.ts';
import type { LayerLimits } from './layer-walker.ts';
import { walkLayer } from './layer-walker.ts';
import type { PathFilter } from './path-filter.ts';

export interface AnalysisDeps {
  analyzers: readonly Analyzer[];
  context: AnalyzerContext;
  filter: PathFilter;
  /** Options that change analyzer output; part of every cache key. */
  settings: Readonly<Record<string, unknown>>;
  cache: ScanCache | undefined;
  limits: LayerLimits;
  logger: Logger;
  /** Aborts the analysis between layers and inside the layer being read (--timeout). */
  signal?: AbortSignal;
}

/** Image facts for the report's Metadata, in Trivy's field names. */
export interface ImageMetadata {
  Size: number;
  ImageID: string;
  DiffIDs: string[];
  RepoTags: string[];
  RepoDigests: string[];
  ImageConfig: ImageConfig;
  Layers: Array<{ Size: number; Digest?: string; DiffID: string }>;
}

export interface ImageAnalysis {
  inventory: Inventory;
  metadata: ImageMetadata;
  /** How many layers were read (the rest came from the scan cache). */
  layersRead: number;
}

/**
 * Analyzes an image layer by layer. A layer whose result is cached under its diff ID is not
 * opened at all; a layer that is read is checked against the diff ID its config promises.
 */
export async function analyzeImage(image: ImageSource, deps: AnalysisDeps): Promise<ImageAnalysis> {
  const analyzed: AnalyzedLayer[] = [];
  const layersMeta: ImageMetadata['Layers'] = [];
  let layersRead = 0;
  for (const [index, layer] of image.layers.entries()) {
    deps.signal?.throwIfAborted();
    const label = layer.digest ?? layer.diffId ?? `#${index + 1}`;
    const key = layer.diffId
      ? layerCacheKey({ diffId: layer.diffId, analyzers: deps.analyzers, settings: deps.settings })
      : undefined;
    let analysis = key ? await deps.cache?.get(key) : undefined;
    if (analysis) {
      deps.logger.debug(`layer ${label}: analysis from the scan cache`);
    } else {
      analysis = await readLayer(await layer.open(), label, deps);
      layersRead += 1;
      if (layer.diffId && layer.diffId !== analysis.diffId) {
        throw new VigilError('IMAGE_DIFFID_MISMATCH', `layer ${label} does not match the diff ID in the image config`, {
          hint: `config says ${layer.diffId}, content is ${analysis.diffId}: the image is damaged or was tampered with`,
        });
      }
      if (key) await deps.cache?.put(key, analysis);
    }
    const ref: LayerRef = { DiffID: analysis.diffId };
    if (layer.digest) ref.Digest = layer.digest;
    if (layer.createdBy) ref.CreatedBy = layer.createdBy;
    analyzed.push({ ref, result: analysis.result, whiteouts: analysis.whiteouts, opaqueDirs: analysis.opaqueDirs });
    layersMeta.push({
      Size: analysis.uncompressedSize,
      ...(layer.digest ? { Digest: layer.digest } : {}),
      DiffID: analysis.diffId,
    });
  }
  const inventory = applyLayers(
    analyzed.map((layer) => ({ ...layer, ref: { Digest: layer.ref.Digest, DiffID: layer.ref.DiffID } })),
  );
  return {
    inventory,
    metadata: {
      Size: layersMeta.reduce((sum, layer) => sum + layer.Size, 0),
      ImageID: image.imageId,
      DiffIDs: layersMeta.map((layer) => layer.DiffID),
      RepoTags: [...image.repoTags],
      RepoDigests: [...image.repoDigests],
      ImageConfig: image.config,
      Layers: layersMeta,
    },
    layersRead,
  };
}

async function readLayer(
  stream: Awaited<ReturnType<ImageSource['layers'][number]['open']>>,
  label: string,
  deps: AnalysisDeps,
): Promise<LayerAnalysis> {
  const collector = new FileCollector(deps.analyzers, deps.filter, deps.context, deps.logger);
  // An abort ends the stream mid-layer; the walker would call that a damaged layer, so the
  // abort's own reason (the timeout) is what surfaces.
  const { signal } = deps;
  const abort = () => stream.destroy(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  let walked: Awaited<ReturnType<typeof walkLayer>>;
  try {
    walked = await walkLayer(stream, collector, deps.limits, label);
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  // A small layer may have streamed to its end before the abort landed: still no result to keep.
  signal?.throwIfAborted();
  const result = await collector.analyze();
  return {
    diffId: walked.diffId,
    uncompressedSize: walked.uncompressedSize,
    result,
    whiteouts: collector.whiteouts,
    opaqueDirs: collector.opaqueDirs,
  };
}
