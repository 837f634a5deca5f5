import { type ArtifactUpdateOptions, allLocal, parseArtifactRepositories } from '../db/artifact/index.ts';
import { usageError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { OptionReader } from './command.ts';
import {
  allowDbDowngradeOption,
  checksBundleRepositoryOption,
  dbMaxAgeOption,
  dbRepositoryOption,
  dbSignatureKeyOption,
  downloadDbOnlyOption,
  downloadJavaDbOnlyOption,
  javaDbRepositoryOption,
  offlineScanOption,
  skipCheckUpdateOption,
  skipDbUpdateOption,
  skipJavaDbUpdateOption,
} from './db-options.ts';
import { offlineOption } from './network-options.ts';

// The DB options turned into what the artifact lifecycle takes. Kept apart from the option specs,
// which every command line reads, because this loads db/artifact.

/** The DB options resolved, checked against each other, with `--offline` folded in. */
export interface DbOptions {
  readonly vulnDb: ArtifactUpdateOptions;
  readonly javaDb: ArtifactUpdateOptions;
  readonly checks: ArtifactUpdateOptions;
  readonly downloadDbOnly: boolean;
  readonly downloadJavaDbOnly: boolean;
  /** --offline-scan, or implied by --offline. */
  readonly offlineScan: boolean;
  /** No connection at all: pass to the network policy. */
  readonly offline: boolean;
}

export function readDbOptions(options: OptionReader, cacheDir: string, logger: Logger): DbOptions {
  const on = (spec: typeof skipDbUpdateOption) => options.get(spec) === true;
  const offline = on(offlineOption);
  const downloadDbOnly = on(downloadDbOnlyOption);
  const downloadJavaDbOnly = on(downloadJavaDbOnlyOption);
  if (downloadDbOnly && downloadJavaDbOnly) {
    throw usageError(
      '--download-db-only and --download-java-db-only cannot be used together',
      'run them one after the other',
    );
  }
  if (on(skipDbUpdateOption) && downloadDbOnly) {
    throw usageError('--skip-db-update and --download-db-only cannot be used together', 'drop one of them');
  }
  if (on(skipJavaDbUpdateOption) && downloadJavaDbOnly) {
    throw usageError('--skip-java-db-update and --download-java-db-only cannot be used together', 'drop one of them');
  }
  if (offline && (downloadDbOnly || downloadJavaDbOnly)) {
    throw usageError(
      '--offline cannot download anything',
      'drop --offline to download the DB, or drop --download-*-only',
    );
  }
  const maxAgeMs = options.get(dbMaxAgeOption);
  const guard = {
    ...(options.get(dbSignatureKeyOption)?.length ? { signatureKeys: options.get(dbSignatureKeyOption) } : {}),
    allowDowngrade: on(allowDbDowngradeOption),
  };
  const repositories = (kind: 'db' | 'java-db' | 'checks', spec: typeof dbRepositoryOption) =>
    parseArtifactRepositories(kind, options.require(spec), logger);
  const vulnDbRepositories = repositories('db', dbRepositoryOption);
  const javaDbRepositories = repositories('java-db', javaDbRepositoryOption);
  const checksRepositories = repositories('checks', checksBundleRepositoryOption);
  // Layouts and bundles on disk need no network: --offline does not skip them.
  const offlineFor = (locations: typeof vulnDbRepositories) => offline && !allLocal(locations);
  return {
    vulnDb: {
      cacheDir,
      repositories: vulnDbRepositories,
      skipUpdate: offlineFor(vulnDbRepositories) || on(skipDbUpdateOption),
      maxAgeMs,
      ...guard,
    },
    javaDb: {
      cacheDir,
      repositories: javaDbRepositories,
      skipUpdate: offlineFor(javaDbRepositories) || on(skipJavaDbUpdateOption),
      maxAgeMs,
      ...guard,
    },
    checks: {
      cacheDir,
      repositories: checksRepositories,
      skipUpdate: offlineFor(checksRepositories) || on(skipCheckUpdateOption),
      ...guard,
    },
    downloadDbOnly,
    downloadJavaDbOnly,
    offlineScan: offline || on(offlineScanOption),
    offline,
  };
}
