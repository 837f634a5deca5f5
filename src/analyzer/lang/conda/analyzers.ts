import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication } from '../application.ts';
import {
  analysisResult,
  baseName,
  INSTALLED_SCANS,
  joinPath,
  LOCK_FILE_SCANS,
  lockFileAnalyzer,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { parseCondaEnvironment } from './environment.ts';
import { parseCondaMeta } from './package-meta.ts';

const CONDA_META = /(?:^|\/)conda-meta\/[^/]+-[^/]+-[^/]+\.json$/;

/** Installed conda packages (`conda-meta/*.json`) in `rootfs` and `image` scans. */
export const condaPackageAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'conda-pkg',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => CONDA_META.test(path),
  parse: (text, path) => ({ packages: [{ ...parseCondaMeta(text), FilePath: path }] }),
});

const isEnvironmentFile = (path: string) =>
  baseName(path) === 'environment.yaml' || baseName(path) === 'environment.yml';

/**
 * environment.yaml / .yml in `fs` scans. Licences come from the environment's `conda-meta`
 * records when its `prefix` lies inside the scanned tree (matched by name and exact version).
 */
export const condaEnvironmentAnalyzer: Analyzer = {
  type: 'conda-environment',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => isEnvironmentFile(path) || CONDA_META.test(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    const available = [...files.paths()].sort();
    for (const path of available) {
      if (!isEnvironmentFile(path)) continue;
      try {
        const environment = parseCondaEnvironment(await readText(files, path));
        const metaDir = `${joinPath(environment.prefix.replace(/^\/+|\/+$/g, ''), 'conda-meta')}/`;
        for (const pkg of environment.packages) {
          if (environment.prefix === '' || pkg.Version === '') continue;
          const record = available.find((candidate) => candidate.startsWith(`${metaDir}${pkg.Name}-${pkg.Version}-`));
          if (!record) continue;
          try {
            pkg.Licenses = parseCondaMeta(await readText(files, record)).Licenses;
          } catch (error) {
            warnings.push(parseWarning(record, error));
          }
        }
        const app = buildApplication('conda-environment', path, { packages: environment.packages }, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
