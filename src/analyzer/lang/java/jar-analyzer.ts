import type { JavaDb } from '../../../db/javadb/index.ts';
import { describeError } from '../../../errors/index.ts';
import type { AnalysisResult, Analyzer, Application } from '../../types.ts';
import { buildApplication } from '../application.ts';
import { type JarLimits, type JavaDbProvider, parseJar, type UncheckedArchive } from './jar-parser.ts';

/** Trivy's application type for Java archives. */
export const JAR = 'jar';

const ARCHIVE = /\.(jar|war|ear|par)$/i;
/** Archives above 1 GiB are skipped (the collector logs it); nested ones have their own limits. */
const MAX_ARCHIVE = 1024 * 1024 * 1024;

export interface JarAnalyzerOptions {
  /**
   * Opens the Java DB (downloading it first when the DB lifecycle allows). Called once, when the
   * first archive needs a lookup; resolving to undefined (offline, `--skip-java-db-update`
   * without a DB) means archives are identified without it and reported as not checked.
   */
  javaDb: JavaDbProvider;
  /** Digest `sha1:…` on every package, as Trivy sets it for SBOM output. */
  includeChecksum?: boolean;
  limits?: JarLimits;
}

function uncheckedWarning(archive: UncheckedArchive): string {
  return archive.identifiedAs
    ? `${archive.filePath}: not checked by SHA-1 (no Java DB); identified from MANIFEST.MF as ${archive.identifiedAs}`
    : `${archive.filePath}: not identified: no Java DB to check its SHA-1 or file name, and no pom.properties or usable MANIFEST.MF`;
}

/**
 * Java archives (jar, war, ear, par) in images and root file systems, nested archives
 * included. The Java DB is opened only when an archive needs it, and at most once per analyzer.
 */
export function createJarAnalyzer(options: JarAnalyzerOptions): Analyzer {
  let opened: Promise<{ db?: JavaDb; failure?: string }> | undefined;
  const openOnce = () => {
    opened ??= options.javaDb().then(
      (db) => (db ? { db } : {}),
      (error: unknown) => ({ failure: describeError(error) }),
    );
    return opened;
  };
  return {
    type: JAR,
    version: 1,
    scanKinds: ['rootfs', 'image'],
    maxFileSize: MAX_ARCHIVE,
    independentFiles: true,
    required: (path) => ARCHIVE.test(path),
    analyze: async (files, context): Promise<AnalysisResult> => {
      const applications: Application[] = [];
      const warnings: string[] = [];
      let failureReported = false;
      const javaDb = async () => {
        const { db, failure } = await openOnce();
        if (failure && !failureReported) {
          failureReported = true;
          warnings.push(`Java DB unavailable, jars are identified without it: ${failure}`);
        }
        return db;
      };
      for (const path of [...files.paths()].sort()) {
        let result: Awaited<ReturnType<typeof parseJar>>;
        try {
          result = await parseJar(path, await files.read(path), {
            javaDb,
            includeChecksum: options.includeChecksum,
            limits: options.limits,
          });
        } catch (error) {
          warnings.push(`${path}: skipped, not a readable Java archive: ${describeError(error)}`);
          continue;
        }
        warnings.push(...result.warnings, ...result.unchecked.map(uncheckedWarning));
        const app = buildApplication(JAR, path, { packages: result.packages }, context);
        if (app) applications.push(app);
      }
      const analysis: AnalysisResult = {};
      if (applications.length > 0) analysis.Applications = applications;
      if (warnings.length > 0) analysis.Warnings = warnings;
      return analysis;
    },
  };
}
