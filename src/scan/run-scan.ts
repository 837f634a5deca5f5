import type { Analyzer, ScanKind } from '../analyzer/types.ts';
import type { Inventory } from '../artifact/applier.ts';
import { analyzeDirectory } from '../artifact/directory-artifact.ts';
import type { AnalysisDeps, ImageMetadata } from '../artifact/image-artifact.ts';
import { analyzeImage } from '../artifact/image-artifact.ts';
import type { PathFilter } from '../artifact/path-filter.ts';
import { cacheLayout } from '../cache/layout.ts';
import { fileScanCache } from '../cache/scan-cache.ts';
import type { Detector } from '../detect/types.ts';
import type { Logger } from '../log/index.ts';
import type { ImageSource } from '../oci/image/index.ts';
import type { Report, ReportMetadata } from '../report/index.ts';
import { buildResults } from './build-results.ts';

export type ScanTarget = { kind: 'image'; image: ImageSource } | { kind: 'fs' | 'rootfs'; path: string; name: string };

export interface ScanSettings {
  cacheDir: string;
  analyzers: readonly Analyzer[];
  filter: PathFilter;
  includeDevDeps: boolean;
  listAllPackages: boolean;
  /** Settings that change analyzer output, for the layer cache key. */
  cacheKeySettings: Readonly<Record<string, unknown>>;
  scanCacheMaxBytes: number;
  maxLayerBytes: number;
  maxFileBytes: number;
  now: Date;
  logger: Logger;
  /** --timeout: checked between layers, inside the layer being read and between the scan's steps. */
  signal?: AbortSignal;
}

/** Analysis then detection: the report before filters, VEX and output. */
export async function scanTarget(
  target: ScanTarget,
  detector: Detector | undefined,
  settings: ScanSettings,
): Promise<{ report: Report; inventory: Inventory }> {
  const scanKind: ScanKind = target.kind;
  const layout = cacheLayout(settings.cacheDir);
  const deps: AnalysisDeps = {
    analyzers: settings.analyzers.filter((analyzer) => analyzer.scanKinds.includes(scanKind)),
    context: { scanKind, includeDevDeps: settings.includeDevDeps },
    filter: settings.filter,
    settings: settings.cacheKeySettings,
    cache:
      target.kind === 'image'
        ? fileScanCache(layout.scanCacheDir, { maxBytes: settings.scanCacheMaxBytes, logger: settings.logger })
        : undefined,
    limits: { maxUncompressedBytes: settings.maxLayerBytes, maxFileBytes: settings.maxFileBytes },
    logger: settings.logger,
    signal: settings.signal,
  };
  let inventory: Inventory;
  let metadata: ReportMetadata = {};
  let artifactName: string;
  if (target.kind === 'image') {
    artifactName = target.image.name;
    const analysis = await analyzeImage(target.image, deps);
    settings.logger.debug(
      `${analysis.layersRead} of ${target.image.layers.length} layers read; the rest from the scan cache`,
    );
    inventory = analysis.inventory;
    metadata = imageMetadata(analysis.metadata);
  } else {
    artifactName = target.name;
    inventory = await analyzeDirectory(target.path, deps);
  }
  settings.signal?.throwIfAborted();
  reportAnalysisWarnings(inventory.Warnings, settings.logger);
  const { results, os } = await buildResults(inventory, {
    artifactName,
    listAllPackages: settings.listAllPackages,
    detector,
    logger: settings.logger,
  });
  // Trivy's field order: Size, OS, then the image fields.
  if (os) metadata = { ...(metadata.Size === undefined ? {} : { Size: metadata.Size }), OS: os, ...metadata };
  return {
    inventory,
    report: {
      SchemaVersion: 2,
      CreatedAt: settings.now.toISOString(),
      ArtifactName: artifactName,
      ArtifactType: target.kind === 'image' ? 'container_image' : 'filesystem',
      Metadata: metadata,
      Results: results,
      ...(inventory.Warnings.length > 0 ? { Vigil: { AnalysisWarnings: inventory.Warnings } } : {}),
    },
  };
}

const WARNINGS_SHOWN = 20;

/**
 * What analysis could not do (unparsable files, jars not checked by SHA-1) is never silent: it is
 * logged as a warning and kept in the report (`Vigil.AnalysisWarnings`).
 */
function reportAnalysisWarnings(warnings: readonly string[], logger: Logger): void {
  for (const warning of warnings.slice(0, WARNINGS_SHOWN)) logger.warn(warning);
  if (warnings.length > WARNINGS_SHOWN) {
    logger.warn(
      `… and ${warnings.length - WARNINGS_SHOWN} more analysis warnings (all of them are in the JSON report)`,
    );
  }
}

function imageMetadata(metadata: ImageMetadata): ReportMetadata {
  return {
    Size: metadata.Size,
    ImageID: metadata.ImageID,
    DiffIDs: metadata.DiffIDs,
    RepoTags: metadata.RepoTags,
    RepoDigests: metadata.RepoDigests,
    ImageConfig: metadata.ImageConfig,
    Layers: metadata.Layers,
  };
}

/** Where compressed `--input` archives are unpacked: inside the cache, never elsewhere. */
export function inputTempDir(cacheDir: string): string {
  return cacheLayout(cacheDir).inputTempDir;
}
