import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';
import { analysisResult, baseName, LOCK_FILE_SCANS, parseWarning, readText } from '../lock-file-analyzer.ts';
import { parseConanLock } from './conan-lock.ts';

/** Recipes in a Conan 1 (`.conan/data/…/export/`) or Conan 2 (`.conan2/p/…/e/`) cache. */
const CACHED_RECIPE =
  /(?:^|\/)(?:\.conan\/data\/[^/]+\/[^/]+\/[^/]+\/[^/]+\/export|\.conan2\/p\/[^/]+\/e)\/conanfile\.py$/;

/** The value of a `name = "value"` attribute line of a conanfile.py, or empty. */
export function conanAttribute(name: string, line: string): string {
  const match = new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`).exec(line);
  return match?.[1] ?? '';
}

/** Licences of recipes in a Conan cache, by recipe name (any version, as Trivy matches them). */
async function cachedLicenses(files: CollectedFiles): Promise<Map<string, string[]>> {
  const licenses = new Map<string, string[]>();
  for (const path of files.paths()) {
    if (!CACHED_RECIPE.test(path)) continue;
    let name = '';
    let license = '';
    for (const line of (await readText(files, path)).split('\n')) {
      name ||= conanAttribute('name', line);
      license ||= conanAttribute('license', line);
      if (name !== '' && license !== '') break;
    }
    if (name !== '' && license !== '') licenses.set(name, [license]);
  }
  return licenses;
}

const isLockFile = (path: string) => baseName(path) === 'conan.lock';

/**
 * conan.lock in `fs` scans, with licences from the recipes of a Conan cache inside the scanned
 * tree (Trivy reads the scanning machine's CONAN_USER_HOME / CONAN_HOME instead).
 */
export const conanAnalyzer: Analyzer = {
  type: 'conan-lock',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => isLockFile(path) || CACHED_RECIPE.test(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    let licenses: Map<string, string[]> | undefined;
    for (const path of [...files.paths()].sort()) {
      if (CACHED_RECIPE.test(path)) continue;
      try {
        const parsed = parseConanLock(await readText(files, path));
        licenses ??= await cachedLicenses(files);
        for (const pkg of parsed.packages) {
          const found = licenses.get(pkg.Name);
          if (found) pkg.Licenses = found;
        }
        const app = buildApplication('conan', path, parsed, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
