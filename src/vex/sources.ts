import { describeError, usageError, VigilError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import { loadVexFile } from './document.ts';
import { loadRepositoryConfig, repositoryConfigPath } from './repository/config.ts';
import { type LocalRepository, openLocalRepository } from './repository/local-repository.ts';
import { type RepositoryNetwork, readCacheMetadata, repositoryDir, updateRepository } from './repository/update.ts';
import { DocumentMatcher, type MatchedStatement } from './statement-matcher.ts';
import type { VexSource } from './suppress.ts';

/**
 * Turning the --vex values into sources, and saying for each whether it was applied and, if not,
 * why: VEX never switches itself off silently (a cache that is missing or could not be updated is
 * reported, in the logs and in the report).
 */
export interface VexSourceReport {
  /** The --vex value for files; `repository NAME` for repositories. */
  readonly name: string;
  readonly type: 'file' | 'repository';
  readonly status: 'applied' | 'unavailable';
  /** Why a source is unavailable, or what is degraded about an applied one (stale cache, refused entries). */
  readonly reason?: string;
  readonly url?: string;
  /** Repositories: when the cached copy was last checked against the server. */
  readonly updatedAt?: string;
  readonly statements?: number;
}

export interface LoadedVex {
  /** In precedence order. */
  readonly sources: readonly VexSource[];
  /**
   * What was applied and what was not. Call it after filtering: repository documents load on
   * first use, and a document that turns out unusable is reported too.
   */
  report(): VexSourceReport[];
}

type ReportEntry = VexSourceReport & { readonly repository?: LocalRepository };

export interface LoadVexOptions {
  /** The --vex values: file paths and `repo` (or `repository`). */
  readonly values: readonly string[];
  /** `<cache>/vex/repositories` (cacheLayout(...).vexRepositoriesDir). */
  readonly repositoriesDir: string;
  readonly vigilHome: string;
  /** --skip-vex-repo-update. */
  readonly skipRepositoryUpdate: boolean;
  /** --offline: the cache only, never the network. */
  readonly offline: boolean;
  /** Needed to update repositories; without it they are read from the cache only. */
  readonly network?: RepositoryNetwork;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

const REPOSITORY_VALUES = new Set(['repo', 'repository']);
const UNSUPPORTED_VALUES = new Set(['oci', 'sbom-ref']);

/** One VEX document as a source. */
export function documentSource(matcher: DocumentMatcher, name = matcher.document.source): VexSource {
  return {
    name,
    statementFor: (vulnerabilityId: string, product: string, subcomponent?: string): MatchedStatement | undefined =>
      matcher.statementFor(vulnerabilityId, product, subcomponent),
  };
}

export async function loadVexSources(options: LoadVexOptions): Promise<LoadedVex> {
  const sources: VexSource[] = [];
  const report: ReportEntry[] = [];
  const seenRepository = { value: false };
  for (const value of options.values) {
    if (UNSUPPORTED_VALUES.has(value)) {
      throw usageError(`--vex ${value} is not supported by Vigil`, 'give VEX files or repo');
    }
    if (REPOSITORY_VALUES.has(value)) {
      if (seenRepository.value) continue;
      seenRepository.value = true;
      await loadRepositories(options, sources, report);
      continue;
    }
    const document = await loadVexFile(value);
    sources.push(documentSource(new DocumentMatcher(document), value));
    report.push({ name: value, type: 'file', status: 'applied', statements: document.statements.length });
    options.logger.debug(`VEX file ${value}: ${document.format}, ${document.statements.length} statements`);
  }
  return { sources, report: () => report.map(currentReport) };
}

function currentReport(entry: ReportEntry): VexSourceReport {
  const { repository, ...base } = entry;
  const problems = repository?.problems ?? [];
  if (problems.length === 0) return base;
  return { ...base, reason: [base.reason, ...problems].filter(Boolean).join('; ') };
}

async function loadRepositories(options: LoadVexOptions, sources: VexSource[], report: ReportEntry[]): Promise<void> {
  const configPath = repositoryConfigPath(options.vigilHome);
  const { config, created } = await loadRepositoryConfig(configPath);
  if (created) options.logger.info(`created the VEX repository configuration ${configPath} with VEX Hub as 'default'`);
  const enabled = config.repositories.filter((repository) => repository.enabled);
  if (enabled.length === 0) {
    const reason = `no enabled repository in ${configPath}`;
    options.logger.warn(`VEX repositories: ${reason}; --vex repo suppresses nothing`);
    report.push({ name: 'repo', type: 'repository', status: 'unavailable', reason });
    return;
  }
  const updating = !options.offline && !options.skipRepositoryUpdate && options.network !== undefined;
  for (const entry of enabled) {
    const dir = repositoryDir(options.repositoriesDir, entry.name);
    let updateProblem: string | undefined;
    if (updating && options.network) {
      try {
        await updateRepository(entry, {
          repositoriesDir: options.repositoriesDir,
          network: options.network,
          now: options.now,
          logger: options.logger,
          signal: options.signal,
        });
      } catch (error) {
        updateProblem = `update failed: ${describeError(error)}`;
      }
    }
    const name = `repository ${entry.name}`;
    try {
      const repository = openLocalRepository(dir, { name: entry.name, url: entry.url, logger: options.logger });
      const { UpdatedAt } = await readCacheMetadata(dir);
      const stale = updateProblem
        ? `${updateProblem}; using the copy checked at ${UpdatedAt ?? 'an unknown time'}`
        : undefined;
      if (stale) options.logger.warn(`VEX ${name}: ${stale}`);
      sources.push(repository);
      report.push({
        name,
        type: 'repository',
        status: 'applied',
        url: entry.url,
        updatedAt: UpdatedAt,
        repository,
        ...(stale ? { reason: stale } : {}),
      });
    } catch (error) {
      const missing = error instanceof VigilError && error.code === 'VEX_REPO_MISSING';
      const why = missing
        ? options.offline || options.skipRepositoryUpdate
          ? `not downloaded, and updates are off (${options.offline ? '--offline' : '--skip-vex-repo-update'}); run 'vigil vex repo download ${entry.name}'`
          : (updateProblem ?? `not downloaded; run 'vigil vex repo download ${entry.name}'`)
        : describeError(error);
      options.logger.warn(`VEX ${name} is unavailable: ${why}`);
      report.push({ name, type: 'repository', status: 'unavailable', url: entry.url, reason: why });
    }
  }
}
