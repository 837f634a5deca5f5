import type { BuildInfo } from '../types.ts';

/**
 * Trivy's rule for two pieces of build information found in one layer: a Dockerfile's NVR and
 * architecture replace earlier ones together, and non-empty content sets replace earlier ones.
 */
export function mergeBuildInfo(into: BuildInfo | undefined, from: BuildInfo | undefined): BuildInfo | undefined {
  if (!from) return into;
  if (!into) return copyBuildInfo(from);
  const merged = copyBuildInfo(into);
  if (from.Nvr || from.Arch) {
    merged.Nvr = from.Nvr;
    merged.Arch = from.Arch;
    if (!merged.Nvr) delete merged.Nvr;
    if (!merged.Arch) delete merged.Arch;
  }
  if (from.ContentSets?.length) merged.ContentSets = [...from.ContentSets];
  return merged;
}

function copyBuildInfo(info: BuildInfo): BuildInfo {
  const copy: BuildInfo = {};
  if (info.ContentSets?.length) copy.ContentSets = [...info.ContentSets];
  if (info.Nvr) copy.Nvr = info.Nvr;
  if (info.Arch) copy.Arch = info.Arch;
  return copy;
}
