import type { AnalysisResult, Analyzer, BuildInfo, CollectedFiles } from '../types.ts';
import { isBuildDockerfilePath, parseBuildDockerfile } from './build-dockerfile.ts';
import { type ContentManifest, isContentManifestPath, parseContentManifest } from './content-manifest.ts';

/** Content manifests list every package's origin in newer images; far beyond this is not one. */
const MAX_CONTENT_MANIFEST_SIZE = 16 * 1024 * 1024;
/** Build Dockerfiles are a few kilobytes. */
const MAX_BUILD_DOCKERFILE_SIZE = 1024 * 1024;

/** A file that cannot be read is skipped with a warning; the layer keeps what its other files say. */
function skipWarning(path: string, error: unknown): string {
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return `${path}: skipped, unable to parse: ${message}`;
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function result(buildInfo: BuildInfo | undefined, warnings: readonly string[]): AnalysisResult {
  const out: AnalysisResult = {};
  if (buildInfo) out.BuildInfo = buildInfo;
  if (warnings.length > 0) out.Warnings = [...warnings];
  return out;
}

/**
 * Red Hat content manifests → the layer's content sets. A layer normally adds one manifest; when
 * a squashed layer holds several, the one describing the highest layer of its image wins (then
 * the last by path), as the top image's manifest would in the unsquashed image.
 */
export const contentManifestAnalyzer: Analyzer = {
  type: 'redhat-content-manifest',
  version: 1,
  scanKinds: ['rootfs', 'image'],
  maxFileSize: MAX_CONTENT_MANIFEST_SIZE,
  required: (path) => isContentManifestPath(path),
  analyze: async (files: CollectedFiles) => {
    let chosen: ContentManifest | undefined;
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort(byPath)) {
      let manifest: ContentManifest | undefined;
      try {
        manifest = parseContentManifest((await files.read(path)).toString('utf8'));
      } catch (error) {
        warnings.push(skipWarning(path, error));
        continue;
      }
      if (manifest && (chosen === undefined || (manifest.layerIndex ?? -1) >= (chosen.layerIndex ?? -1))) {
        chosen = manifest;
      }
    }
    return result(chosen && { ContentSets: chosen.ContentSets }, warnings);
  },
};

/** Red Hat build Dockerfiles → the image's NVR and architecture; the last readable one by path wins. */
export const buildDockerfileAnalyzer: Analyzer = {
  type: 'redhat-dockerfile',
  version: 1,
  scanKinds: ['rootfs', 'image'],
  maxFileSize: MAX_BUILD_DOCKERFILE_SIZE,
  required: (path) => isBuildDockerfilePath(path),
  analyze: async (files: CollectedFiles) => {
    let chosen: BuildInfo | undefined;
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort(byPath)) {
      try {
        chosen = parseBuildDockerfile((await files.read(path)).toString('utf8'), path);
      } catch (error) {
        warnings.push(skipWarning(path, error));
      }
    }
    return result(chosen, warnings);
  },
};

export const buildInfoAnalyzers: readonly Analyzer[] = [contentManifestAnalyzer, buildDockerfileAnalyzer];
