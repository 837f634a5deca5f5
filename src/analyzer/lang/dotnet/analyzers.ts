import type { Analyzer, AnalyzerContext, Application, CollectedFiles, Package } from '../../types.ts';
import { buildApplication } from '../application.ts';
import {
  analysisResult,
  baseName,
  EVERY_SCAN,
  lockFileAnalyzer,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { parseDepsJson } from './deps-json.ts';
import { parseNugetLock } from './nuget-lock.ts';
import { nuspecLicenses } from './nuspec.ts';
import { parsePackagesConfig } from './packages-config.ts';
import { parsePackagesProps } from './packages-props.ts';

/** `.nuget/packages/<id lower>/<version>/<id lower>.nuspec` in the NuGet global packages folder. */
const NUSPEC = /(?:^|\/)\.nuget\/packages\/([^/]+)\/([^/]+)\/([^/]+)\.nuspec$/;

/**
 * Licences from the NuGet global packages folders found in the scanned tree, by `id@version`
 * (lower case). Trivy reads the scanning machine's folder (HOME, NUGET_PACKAGES); a scan here
 * only reads what is inside its target.
 */
async function nuspecIndex(files: CollectedFiles, warnings: string[]): Promise<Map<string, string[]>> {
  const index = new Map<string, string[]>();
  for (const path of files.paths()) {
    const match = NUSPEC.exec(path);
    if (!match || match[1] !== match[3]) continue;
    try {
      const licenses = nuspecLicenses(await readText(files, path));
      if (licenses.length > 0) index.set(`${match[1]}@${match[2]}`, licenses);
    } catch (error) {
      warnings.push(parseWarning(path, error));
    }
  }
  return index;
}

const isNugetFile = (path: string) => baseName(path) === 'packages.lock.json' || baseName(path) === 'packages.config';

/** packages.lock.json and packages.config, in every kind of scan (neither lock file nor installed metadata for Trivy). */
export const nugetAnalyzer: Analyzer = {
  type: 'nuget',
  version: 1,
  scanKinds: EVERY_SCAN,
  required: (path) => isNugetFile(path) || NUSPEC.test(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    let licenses: Map<string, string[]> | undefined;
    for (const path of [...files.paths()].sort()) {
      if (!isNugetFile(path)) continue;
      try {
        const text = await readText(files, path);
        const parsed = baseName(path) === 'packages.config' ? parsePackagesConfig(text) : parseNugetLock(text);
        licenses ??= await nuspecIndex(files, warnings);
        const withLicenses: Package[] = parsed.packages.map((pkg) => {
          const found = (licenses as Map<string, string[]>).get(`${pkg.Name.toLowerCase()}@${pkg.Version}`);
          return found ? { ...pkg, Licenses: found } : pkg;
        });
        const app = buildApplication('nuget', path, { ...parsed, packages: withLicenses }, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};

export const dotnetDepsAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'dotnet-core',
  version: 1,
  scanKinds: EVERY_SCAN,
  required: (path) => path.endsWith('.deps.json'),
  parse: (text) => parseDepsJson(text),
});

export const packagesPropsAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'packages-props',
  version: 1,
  scanKinds: EVERY_SCAN,
  required: (path) => baseName(path).toLowerCase().endsWith('packages.props'),
  parse: (text) => parsePackagesProps(text),
});
