import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { RepositoryNetwork } from '../vex/index.ts';
import type { VexRepositoryToBundle } from './bundle-create.ts';
import type { ImportedArtifact } from './bundle-import.ts';

export interface BundleVexOptions {
  readonly vigilHome: string;
  /** `<cache>/vex/repositories`. */
  readonly repositoriesDir: string;
  /** To bring each repository up to date first; undefined keeps the cached copies as they are. */
  readonly network: RepositoryNetwork | undefined;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/**
 * The enabled VEX repositories of `$VIGIL_HOME/vex/repository.yaml` that have a downloaded copy,
 * updated first when a network is given. A repository that cannot be had is left out, loudly.
 */
export async function vexRepositoriesToBundle(options: BundleVexOptions): Promise<VexRepositoryToBundle[]> {
  // The VEX modules load here, not with the air-gap commands (vigil mirror never needs them).
  const { readCacheMetadata, readRepositoryConfig, repositoryConfigPath, repositoryDir, updateRepository } =
    await import('../vex/index.ts');
  const config = await readRepositoryConfig(repositoryConfigPath(options.vigilHome));
  const chosen: VexRepositoryToBundle[] = [];
  for (const entry of config?.repositories.filter((repository) => repository.enabled) ?? []) {
    if (options.network) {
      try {
        await updateRepository(entry, {
          ...options,
          repositoriesDir: options.repositoriesDir,
          network: options.network,
        });
      } catch (error) {
        options.logger.warn(`VEX repository ${entry.name}: update failed (${describeError(error)})`);
      }
    }
    const dir = repositoryDir(options.repositoriesDir, entry.name);
    if (!(await stat(join(dir, '0.1', 'index.json')).catch(() => undefined))?.isFile()) {
      options.logger.warn(
        `VEX repository ${entry.name} is not downloaded and stays out of the bundle; run 'vigil vex repo download ${entry.name}'`,
      );
      continue;
    }
    const { UpdatedAt } = await readCacheMetadata(dir);
    chosen.push({ name: entry.name, url: entry.url, dir, ...(UpdatedAt ? { updatedAt: UpdatedAt } : {}) });
  }
  return chosen;
}

/**
 * After an import, `--vex repo` must find the imported repositories: a missing configuration is
 * written with them; one that lacks some is left alone, with a warning saying what to add.
 */
export async function recordImportedVexRepositories(
  vigilHome: string,
  imported: readonly ImportedArtifact[],
  logger: Logger,
): Promise<void> {
  const repositories = imported.filter((artifact) => artifact.kind === 'vex-repository' && artifact.url);
  if (repositories.length === 0) return;
  const { readRepositoryConfig, repositoryConfigPath } = await import('../vex/index.ts');
  const path = repositoryConfigPath(vigilHome);
  const config = await readRepositoryConfig(path).catch(() => undefined);
  if (!config) {
    const { stringify } = await import('yaml');
    const text = stringify({
      repositories: repositories.map((artifact) => ({ name: artifact.name, url: artifact.url, enabled: true })),
    });
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, path);
      logger.info(`wrote ${path} listing the imported VEX repositories`);
    } catch (error) {
      await rm(temporary, { force: true });
      logger.warn(`cannot write ${path}: ${describeError(error)}`);
    }
    return;
  }
  const known = new Set(config.repositories.map((repository) => repository.name));
  for (const artifact of repositories) {
    if (!known.has(artifact.name)) {
      logger.warn(
        `VEX repository ${artifact.name} was imported but ${path} does not list it; add "- name: ${artifact.name}, url: ${artifact.url}" to use it with --vex repo`,
      );
    }
  }
}
