import { mergeOs } from '../analyzer/os/index.ts';
import type {
  AnalysisResult,
  Application,
  BuildInfo,
  ConfigFileContent,
  LayerRef,
  OS,
  Package,
  PackageInfo,
  Repository,
} from '../analyzer/types.ts';

/** Everything found in an artifact once its layers are stacked. */
export interface Inventory {
  OS?: OS;
  Repository?: Repository;
  PackageInfos: PackageInfo[];
  Applications: Application[];
  Warnings: string[];
  /** Config files as the top layer sees them, for the misconfiguration scan. */
  ConfigFiles: ConfigFileContent[];
}

export interface AnalyzedLayer {
  ref: LayerRef;
  result: AnalysisResult;
  whiteouts: readonly string[];
  opaqueDirs: readonly string[];
}

const under = (path: string, dir: string) => dir === '' || path === dir || path.startsWith(`${dir}/`);

/**
 * Stacks layer results bottom-up as the union file system would: a whiteout or opaque directory
 * hides what lower layers found there, and a file found again in a higher layer replaces the
 * lower one. Each package then records the lowest layer that introduced it unchanged, which is
 * the layer Trivy reports, and an OS package takes the Red Hat build information of that layer
 * (see buildInfoOfLayer).
 */
export function applyLayers(layers: readonly AnalyzedLayer[]): Inventory {
  const packageInfos = new Map<string, PackageInfo>();
  const applications = new Map<string, Application>();
  const configFiles = new Map<string, ConfigFileContent>();
  let os: OS | undefined;
  let repository: Repository | undefined;
  const warnings: string[] = [];
  for (const layer of layers) {
    const hidden = (path: string) =>
      layer.whiteouts.some((gone) => under(path, gone)) ||
      layer.opaqueDirs.some((dir) => path !== dir && under(path, dir));
    for (const key of [...packageInfos.keys()]) if (hidden(key)) packageInfos.delete(key);
    for (const key of [...applications.keys()]) if (hidden(applicationPath(key))) applications.delete(key);
    for (const key of [...configFiles.keys()]) if (hidden(key)) configFiles.delete(key);
    const result = layer.result;
    if (result.OS) os = mergeOs(os, result.OS);
    if (result.Repository) repository = result.Repository;
    for (const info of result.PackageInfos ?? []) packageInfos.set(info.FilePath, info);
    for (const app of result.Applications ?? []) applications.set(`${app.Type}\u0000${app.FilePath}`, app);
    warnings.push(...(result.Warnings ?? []));
    for (const file of result.ConfigFiles ?? []) configFiles.set(file.path, file);
  }
  const inventory: Inventory = {
    OS: os,
    Repository: repository,
    PackageInfos: [...packageInfos.values()].map((info) => ({
      FilePath: info.FilePath,
      Packages: info.Packages.map((pkg) => {
        const origin = originOfOsPackage(layers, pkg);
        if (origin === undefined) return pkg;
        const layer = layers[origin] as AnalyzedLayer;
        return withLayer(withBuildInfo(pkg, buildInfoOfLayer(layers, origin)), layer.ref);
      }),
    })),
    Applications: [...applications.values()].map((app) => ({
      ...app,
      Packages: app.Packages.map((pkg) => withLayer(pkg, originOfLibrary(layers, app, pkg))),
    })),
    Warnings: [...new Set(warnings)],
    ConfigFiles: [...configFiles.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
  if (!inventory.OS) delete inventory.OS;
  if (!inventory.Repository) delete inventory.Repository;
  return inventory;
}

function applicationPath(key: string): string {
  return key.slice(key.indexOf('\u0000') + 1);
}

const samePackage = (a: Package, b: Package) =>
  a.Name === b.Name && a.Version === b.Version && a.Release === b.Release && a.Epoch === b.Epoch && a.Arch === b.Arch;

/** The index of the lowest layer whose package databases hold this package. */
function originOfOsPackage(layers: readonly AnalyzedLayer[], pkg: Package): number | undefined {
  for (const [index, layer] of layers.entries()) {
    for (const info of layer.result.PackageInfos ?? []) {
      if (info.Packages.some((candidate) => samePackage(candidate, pkg))) return index;
    }
  }
  return undefined;
}

/**
 * Trivy's rule for the build information of a package's layer: the layer's own; for the base
 * layer, which Red Hat ships without content sets, the next layer's; for a layer built on top of
 * a Red Hat image (a customer's), that of the nearest layer below that has some.
 */
export function buildInfoOfLayer(layers: readonly AnalyzedLayer[], index: number): BuildInfo | undefined {
  const own = layers[index]?.result.BuildInfo;
  if (own) return own;
  if (index === 0) return layers[1]?.result.BuildInfo;
  for (let below = index - 1; below >= 0; below -= 1) {
    const found = layers[below]?.result.BuildInfo;
    if (found) return found;
  }
  return undefined;
}

/** Package fields that come after BuildInfo in Trivy's JSON. */
const AFTER_BUILD_INFO = new Set([
  'Indirect',
  'Relationship',
  'DependsOn',
  'Layer',
  'FilePath',
  'Digest',
  'Locations',
  'InstalledFiles',
]);

/** Adds the build information where Trivy's report prints it, so JSON reports keep Trivy's field order. */
function withBuildInfo(pkg: Package, buildInfo: BuildInfo | undefined): Package {
  if (!buildInfo) return pkg;
  const entries = Object.entries(pkg).filter(([key]) => key !== 'BuildInfo');
  const at = entries.findIndex(([key]) => AFTER_BUILD_INFO.has(key));
  const copy: BuildInfo = {
    ...buildInfo,
    ...(buildInfo.ContentSets ? { ContentSets: [...buildInfo.ContentSets] } : {}),
  };
  entries.splice(at < 0 ? entries.length : at, 0, ['BuildInfo', copy]);
  return Object.fromEntries(entries) as unknown as Package;
}

function originOfLibrary(layers: readonly AnalyzedLayer[], app: Application, pkg: Package): LayerRef | undefined {
  for (const layer of layers) {
    for (const candidate of layer.result.Applications ?? []) {
      if (candidate.FilePath !== app.FilePath || candidate.Type !== app.Type) continue;
      if (candidate.Packages.some((other) => other.Name === pkg.Name && other.Version === pkg.Version))
        return layer.ref;
    }
  }
  return undefined;
}

function withLayer(pkg: Package, layer: LayerRef | undefined): Package {
  if (!layer || (!layer.Digest && !layer.DiffID)) return pkg;
  const ref: LayerRef = {};
  if (layer.Digest) ref.Digest = layer.Digest;
  if (layer.DiffID) ref.DiffID = layer.DiffID;
  return { ...pkg, Layer: ref };
}
