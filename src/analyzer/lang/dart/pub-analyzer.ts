import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication, packageId } from '../application.ts';
import { asRecord } from '../document-values.ts';
import { analysisResult, baseName, LOCK_FILE_SCANS, parseWarning, readText } from '../lock-file-analyzer.ts';
import { parseYamlText } from '../yaml-document.ts';
import { parsePubspecLock } from './pubspec-lock.ts';

/** A hosted package in a pub cache: `hosted/<host>/<name>-<version>/pubspec.yaml`. */
const CACHED_PUBSPEC = /(?:^|\/)hosted\/[^/]+\/([^/]+)\/pubspec\.yaml$/;

/**
 * pubspec.lock in `fs` scans. Dependency edges come from the pubspec.yaml files of a pub cache
 * (`hosted/<host>/<name>-<version>/`) inside the scanned tree; Trivy reads the scanning
 * machine's cache (PUB_CACHE) instead, which a scan here never does.
 */
export const pubAnalyzer: Analyzer = {
  type: 'pubspec-lock',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'pubspec.lock' || CACHED_PUBSPEC.test(path),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    const cache = new Map<string, string>();
    for (const path of files.paths()) {
      const match = CACHED_PUBSPEC.exec(path);
      if (match) cache.set(match[1] as string, path);
    }
    for (const path of [...files.paths()].sort()) {
      if (baseName(path) !== 'pubspec.lock') continue;
      try {
        const parsed = parsePubspecLock(await readText(files, path));
        const versions = new Map(parsed.packages.map((pkg) => [pkg.Name, pkg.Version]));
        for (const pkg of parsed.packages) {
          const pubspec = cache.get(`${pkg.Name}-${pkg.Version}`);
          if (!pubspec) continue;
          try {
            const names = Object.keys(
              asRecord(asRecord(parseYamlText(await readText(files, pubspec)))?.dependencies) ?? {},
            );
            const dependsOn = names
              .filter((name) => versions.has(name))
              .map((name) => packageId(name, versions.get(name) ?? ''));
            if (dependsOn.length > 0) pkg.DependsOn = dependsOn.sort();
          } catch (error) {
            warnings.push(parseWarning(pubspec, error));
          }
        }
        const app = buildApplication('pub', path, parsed, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
