import { resolve } from 'node:path';
import { cacheLayout } from '../../cache/layout.ts';
import { describeError, usageError, VigilError } from '../../errors/index.ts';
import { silentLogger } from '../../log/index.ts';
import {
  buildRepository,
  initRepositoryConfig,
  loadRepositoryConfig,
  openLocalRepository,
  parseGoDuration,
  readCacheMetadata,
  repositoryConfigPath,
  repositoryDir,
  updateRepository,
} from '../../vex/index.ts';
import type { CommandContext } from '../command.ts';
import { baseUrlOption, nameOption, outOption, updateIntervalOption } from '../commands/vex.ts';
import { vexRepositoryNetwork } from '../vex-sources.ts';

export async function runInit(context: CommandContext): Promise<number> {
  const path = repositoryConfigPath(context.global.vigilHome);
  const created = await initRepositoryConfig(path);
  context.io.stdout.write(created ? `created ${path}\n` : `${path} already exists; left unchanged\n`);
  return 0;
}

export async function runList(context: CommandContext): Promise<number> {
  const path = repositoryConfigPath(context.global.vigilHome);
  const { config, created } = await loadRepositoryConfig(path);
  if (created) context.logger.info(`created ${path} with VEX Hub as 'default'`);
  const repositoriesDir = cacheLayout(context.global.cacheDir).vexRepositoriesDir;
  const lines = [`VEX repositories (config: ${path})`, ''];
  if (config.repositories.length === 0) lines.push('(none)');
  for (const repository of config.repositories) {
    const dir = repositoryDir(repositoriesDir, repository.name);
    lines.push(`- Name: ${repository.name}`, `  URL: ${repository.url}`);
    lines.push(`  Status: ${repository.enabled ? 'Enabled' : 'Disabled'}`);
    if (repository.insecure) lines.push('  TLS Verify: No');
    if (repository.token) lines.push('  Auth: token');
    else if (repository.username) lines.push(`  Auth: user ${repository.username}`);
    lines.push(`  Cache: ${await cacheSummary(dir, repository.name)}`);
    lines.push('');
  }
  context.io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function cacheSummary(dir: string, name: string): Promise<string> {
  try {
    const repository = openLocalRepository(dir, { name, url: '', logger: silentLogger });
    const { UpdatedAt } = await readCacheMetadata(dir);
    const indexDate = repository.index.updatedAt ? `, index of ${repository.index.updatedAt}` : '';
    return `${repository.index.entries.size} packages${indexDate}, checked ${UpdatedAt ?? 'never'} (${dir})`;
  } catch (error) {
    return error instanceof VigilError && error.code === 'VEX_REPO_MISSING'
      ? 'not downloaded'
      : `unreadable: ${describeError(error)}`;
  }
}

export async function runDownload(context: CommandContext): Promise<number> {
  const path = repositoryConfigPath(context.global.vigilHome);
  const { config, created } = await loadRepositoryConfig(path);
  if (created) context.logger.info(`created ${path} with VEX Hub as 'default'`);
  const names = context.args;
  for (const name of names) {
    if (!config.repositories.some((repository) => repository.name === name)) {
      throw usageError(`no repository named '${name}' in ${path}`, 'run vigil vex repo list to see the names');
    }
  }
  const selected = config.repositories.filter(
    (repository) => repository.enabled && (names.length === 0 || names.includes(repository.name)),
  );
  if (selected.length === 0) {
    context.logger.warn(`no enabled repository to download in ${path}`);
    return 0;
  }
  const network = vexRepositoryNetwork(context);
  const failures: string[] = [];
  for (const repository of selected) {
    try {
      const outcome = await updateRepository(repository, {
        repositoriesDir: cacheLayout(context.global.cacheDir).vexRepositoriesDir,
        network,
        now: context.io.now,
        logger: context.logger,
        force: true,
        signal: context.signal,
      });
      const what =
        outcome.status === 'downloaded'
          ? `downloaded (${outcome.files} files)`
          : outcome.status === 'not-modified'
            ? 'not modified; cache kept'
            : 'up to date';
      context.io.stdout.write(`${repository.name}: ${what}\n`);
    } catch (error) {
      failures.push(`${repository.name}: ${describeError(error)}`);
      context.io.stdout.write(`${repository.name}: failed\n`);
      context.logger.error(describeError(error));
    }
  }
  if (failures.length > 0) {
    throw new VigilError(
      'VEX_REPO_DOWNLOAD',
      `${failures.length} of ${selected.length} repositories failed to download`,
      {
        hint: 'see the errors above; the previously downloaded copies are unchanged',
      },
    );
  }
  return 0;
}

export async function runBuild(context: CommandContext): Promise<number> {
  const [dir, ...rest] = context.args;
  if (dir === undefined || rest.length > 0)
    throw usageError('give one folder of VEX documents', 'vigil vex repo build DIR --out OUT');
  const out = context.options.get(outOption);
  if (out === undefined || out === '') throw usageError('--out is required', 'vigil vex repo build DIR --out OUT');
  const baseUrl = context.options.get(baseUrlOption);
  if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl)) {
    throw usageError(`--base-url ${baseUrl} is not an http(s) URL`, 'e.g. --base-url https://vex.corp.example');
  }
  const updateInterval = context.options.require(updateIntervalOption);
  if (parseGoDuration(updateInterval) === undefined) {
    throw usageError(`--update-interval ${updateInterval} is not a Go duration`, 'e.g. --update-interval 24h');
  }
  const result = await buildRepository(resolve(context.io.cwd, dir), resolve(context.io.cwd, out), {
    baseUrl,
    name: context.options.require(nameOption),
    updateInterval,
    now: context.io.now,
  });
  for (const skipped of result.skipped) context.logger.debug(`skipped ${skipped.path}: ${skipped.reason}`);
  const ignored = result.skipped.length > 0 ? `, ${result.skipped.length} files skipped (--debug lists them)` : '';
  context.io.stdout.write(
    [
      `${result.packages} packages from ${result.documents} documents (${result.statements} statements)${ignored}`,
      `archive:  ${result.archive} (${result.archiveBytes} bytes, sha256 ${result.archiveSha256})`,
      `manifest: ${result.manifest} (location ${result.location})`,
      `Serve ${resolve(context.io.cwd, out)} over HTTP(S) and add it to $VIGIL_HOME/vex/repository.yaml:`,
      `  - name: my-vex`,
      `    url: ${baseUrl ?? 'https://<where-you-serve-it>'}`,
      '',
    ].join('\n'),
  );
  return 0;
}
