import { describeError } from '../../../errors/index.ts';
import type { AnalysisResult, Analyzer, AnalyzerContext, Application, CollectedFiles, Package } from '../../types.ts';
import { buildApplication } from '../application.ts';
import { classifyLicenseText } from '../license-text.ts';
import { type GoModPackages, parseGoMod, parseGoSum } from './gomod-parser.ts';
import { LICENSE_FILE, type ModuleFiles, moduleCacheDir, vendorDir } from './module-sources.ts';

/** Trivy's application type for go.mod. */
export const GO_MODULE = 'gomod';

export interface GoModAnalyzerOptions {
  /**
   * `$GOPATH/pkg/mod` on the scanning machine (Trivy reads it for licences and the dependency
   * graph); undefined when there is none. See `defaultGoModCacheDir`.
   */
  moduleCacheDir?: string;
  /** Report `stdlib` from the toolchain/go lines (Trivy's `--detection-priority comprehensive`). */
  stdlib?: boolean;
}

/** `$GOPATH/pkg/mod`, GOPATH defaulting to `~/go` as Go's build.Default does. */
export function defaultGoModCacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const gopath = env.GOPATH || `${home}/go`;
  return `${gopath}/pkg/mod`;
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dirname = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');

/** Go 1.16 and older go.mod files lack indirect requirements: go.sum fills them in as indirect. */
function mergeGoSum(parsed: GoModPackages, sum: Package[]): void {
  const names = new Set(parsed.packages.map((pkg) => pkg.Name));
  for (const pkg of sum) {
    if (names.has(pkg.Name)) continue;
    names.add(pkg.Name);
    parsed.packages.push({ ...pkg, Relationship: 'indirect' });
  }
}

function firstLicense(module: ModuleFiles): string[] | undefined {
  for (const path of module.licenseFiles()) {
    const text = module.read(path);
    if (!text) continue;
    const found = classifyLicenseText(text.toString('utf8'));
    if (found.length > 0) return found;
  }
  return undefined;
}

/** The direct requirements of a dependency's own go.mod (module names), from the module cache. */
function moduleRequirements(module: ModuleFiles): string[] | undefined {
  const text = module.read('go.mod');
  if (!text) return undefined;
  return parseGoMod(text.toString('utf8'), { replace: false })
    .packages.filter((pkg) => pkg.Relationship === 'direct')
    .map((pkg) => pkg.Name);
}

/** Licences and each dependency's own requirements, as Trivy's fillAdditionalData does. */
async function fillAdditionalData(
  files: CollectedFiles,
  goModPath: string,
  packages: Package[],
  options: GoModAnalyzerOptions,
): Promise<void> {
  const used = new Map(packages.map((pkg) => [pkg.Name, pkg]));
  const licenses = new Map<string, string[]>();
  for (const pkg of packages) {
    const cached = options.moduleCacheDir ? moduleCacheDir(options.moduleCacheDir, pkg.Name, pkg.Version) : undefined;
    const vendored = await vendorDir(files, goModPath, pkg.Name);
    if (!options.moduleCacheDir && !vendored) continue;
    const id = pkg.ID ?? pkg.Name;
    let found = licenses.get(id);
    for (const source of [cached, vendored]) {
      if (found || !source) continue;
      found = firstLicense(source);
      if (found) licenses.set(id, found);
    }
    if (found) pkg.Licenses = found;
    if (!cached) continue;
    const requirements = moduleRequirements(cached);
    if (requirements === undefined) continue;
    pkg.DependsOn = requirements.flatMap((name) => {
      const dep = used.get(name);
      return dep?.ID ? [dep.ID] : [];
    });
  }
}

/** Indirect modules nobody depends on (no module cache, incomplete cache) hang under the root. */
function attachOrphans(packages: Package[]): void {
  const root = packages.find((pkg) => pkg.Relationship === 'root');
  if (!root) return;
  const parents = new Set(packages.flatMap((pkg) => pkg.DependsOn ?? []));
  const orphans = packages
    .filter((pkg) => pkg.Relationship === 'indirect' && pkg.ID && !parents.has(pkg.ID))
    .map((pkg) => pkg.ID ?? '');
  if (orphans.length > 0) root.DependsOn = [...(root.DependsOn ?? []), ...orphans];
}

async function analyzeGoMod(
  files: CollectedFiles,
  path: string,
  context: AnalyzerContext,
  options: GoModAnalyzerOptions,
  warnings: string[],
): Promise<Application | undefined> {
  const parsed = parseGoMod((await files.read(path)).toString('utf8'), { replace: true, stdlib: options.stdlib });
  if (!parsed.packages.some((pkg) => pkg.Relationship === 'indirect')) {
    const sumPath = `${dirname(path)}go.sum`;
    if (files.info(sumPath)) mergeGoSum(parsed, parseGoSum((await files.read(sumPath)).toString('utf8')));
  }
  const graph = new Map(parsed.dependencies.map((dep) => [dep.ID, dep.DependsOn]));
  const packages = parsed.packages.map((pkg) => ({ ...pkg, DependsOn: graph.get(pkg.ID ?? '') }));
  try {
    await fillAdditionalData(files, path, packages, options);
  } catch (error) {
    // As in Trivy: what was filled in so far stays, the rest is reported.
    warnings.push(`${path}: unable to collect licences and dependencies: ${describeError(error)}`);
  }
  attachOrphans(packages);
  return buildApplication(GO_MODULE, path, { packages }, context);
}

/**
 * go.mod (with go.sum for Go < 1.17) in directory scans. Licences come from the module cache
 * or the vendor directory, each dependency's requirements from its go.mod in the module
 * cache; without them, indirect modules hang under the root. A go.mod that does not parse is
 * reported as a warning and skipped.
 */
export function createGoModAnalyzer(options: GoModAnalyzerOptions = {}): Analyzer {
  return {
    type: GO_MODULE,
    version: 2,
    scanKinds: ['fs'],
    required: (path) => {
      const name = basename(path);
      if (name === 'go.mod' || name === 'go.sum') return true;
      return LICENSE_FILE.test(name) && path.split('/').includes('vendor');
    },
    analyze: async (files, context): Promise<AnalysisResult> => {
      const applications: Application[] = [];
      const warnings: string[] = [];
      for (const path of [...files.paths()].sort()) {
        if (basename(path) !== 'go.mod') continue;
        try {
          const app = await analyzeGoMod(files, path, context, options, warnings);
          if (app) applications.push(app);
        } catch (error) {
          warnings.push(`${path}: skipped, unable to parse: ${describeError(error)}`);
        }
      }
      const result: AnalysisResult = {};
      if (applications.length > 0) result.Applications = applications;
      if (warnings.length > 0) result.Warnings = warnings;
      return result;
    },
  };
}
