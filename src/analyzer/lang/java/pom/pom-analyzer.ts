import { readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { AnalysisResult, Analyzer, Application, CollectedFiles } from '../../../types.ts';
import { buildApplication } from '../../application.ts';
import { analysisResult, parseWarning } from '../../lock-file-analyzer.ts';
import type { Environment } from './pom-model.ts';
import { type PomFileSource, PomResolver } from './pom-resolver.ts';

/** Trivy's application type for pom.xml. */
export const POM = 'pom';

export interface PomAnalyzerOptions {
  /**
   * The local Maven repository on the scanning machine (Trivy's `~/.m2/repository`, or
   * `<localRepository>` of settings.xml): parents and dependencies missing from the scanned
   * tree are read from it. Nothing is ever fetched from a remote repository.
   */
  localRepository?: string;
  /**
   * The scan root as Trivy sees it (`trivy fs DIR`): pom package IDs hash the pom's path
   * including it, so the same value gives Trivy's IDs.
   */
  rootDir?: string;
  /** For `${env.X}` in poms. */
  env?: Environment;
}

const MAX_POM = 8 * 1024 * 1024;

/** Collected pom.xml files (by scan path), then the local repository on disk. */
function fileSource(poms: ReadonlyMap<string, Buffer>, rootDir: string, localRepository?: string): PomFileSource {
  const repository = localRepository ? posix.normalize(localRepository) : undefined;
  const inRepository = (path: string) => repository !== undefined && path.startsWith(`${repository}/`);
  const scanPath = (path: string) =>
    rootDir === '' ? path : path.startsWith(`${rootDir}/`) ? path.slice(rootDir.length + 1) : undefined;
  return {
    read: (path) => {
      if (inRepository(path)) {
        try {
          return statSync(path).size > MAX_POM ? undefined : readFileSync(path);
        } catch {
          return undefined;
        }
      }
      const relative = scanPath(path);
      return relative === undefined ? undefined : poms.get(relative);
    },
    isDirectory: (path) => {
      if (inRepository(path)) {
        try {
          return statSync(path).isDirectory();
        } catch {
          return false;
        }
      }
      const relative = scanPath(path);
      if (relative === undefined) return false;
      return [...poms.keys()].some((file) => file.startsWith(`${relative}/`));
    },
  };
}

/** Poms of maven-invoker-plugin integration tests (`src/it/…`) are test code: all dev. */
const isIntegrationTest = (path: string) => /(^|\/)src\/it\//.test(path);

/**
 * pom.xml files in directory scans, each resolved as Trivy resolves it offline: parents and
 * modules from the scanned tree, everything else from the local repository when there is one.
 */
export function createPomAnalyzer(options: PomAnalyzerOptions = {}): Analyzer {
  const rootDir = options.rootDir ? posix.normalize(options.rootDir).replace(/\/+$/, '') : '';
  return {
    type: POM,
    version: 1,
    scanKinds: ['fs'],
    maxFileSize: MAX_POM,
    required: (path) => posix.basename(path) === 'pom.xml',
    analyze: async (files: CollectedFiles, context): Promise<AnalysisResult> => {
      const poms = new Map<string, Buffer>();
      for (const path of files.paths()) poms.set(path, await files.read(path));
      const applications: Application[] = [];
      const warnings: string[] = [];
      for (const path of [...poms.keys()].sort()) {
        const resolver = new PomResolver({
          files: fileSource(poms, rootDir, options.localRepository),
          localRepository: options.localRepository,
          env: options.env,
        });
        try {
          const parsed = resolver.parse(
            rootDir === '' ? path : `${rootDir}/${path}`,
            poms.get(path) ?? Buffer.alloc(0),
          );
          const dev = isIntegrationTest(path);
          const packages = parsed.packages.map((pkg) => (dev ? { ...pkg, Dev: true } : pkg));
          const app = buildApplication(POM, path, { packages, dependencies: parsed.dependencies }, context);
          if (app) applications.push(app);
        } catch (error) {
          warnings.push(parseWarning(path, error));
        }
      }
      return analysisResult(applications, warnings);
    },
  };
}
