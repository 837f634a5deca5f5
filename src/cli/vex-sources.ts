import { cacheLayout } from '../cache/layout.ts';
import { createHttpClient } from '../net/index.ts';
import type { LoadedVex, RepositoryNetwork } from '../vex/index.ts';
import { loadVexSources } from '../vex/index.ts';
import type { CommandContext } from './command.ts';
import { networkPolicy } from './registry-access.ts';
import { skipVexRepoUpdateOption, vexOption } from './vex-options.ts';

// What the VEX options load when a command runs; apart from the specs, which every command line reads.

/**
 * The transports for VEX repositories: the command's network policy, plus one without TLS checks
 * for repositories marked `insecure: true`, and GITHUB_TOKEN for github.com repositories.
 */
export function vexRepositoryNetwork(context: CommandContext, offline = false): RepositoryNetwork {
  const policy = networkPolicy(context, offline);
  return {
    http: createHttpClient(policy),
    insecureHttp: createHttpClient({ ...policy, insecure: true }),
    githubToken: context.io.env.GITHUB_TOKEN || undefined,
  };
}

/**
 * What a scan command calls after detection: the --vex sources loaded (repositories updated
 * first unless --skip-vex-repo-update or --offline), ready for applyVex, with a report of what
 * was applied and what was unavailable.
 */
export async function loadScanVex(context: CommandContext, offline: boolean): Promise<LoadedVex> {
  const values = context.options.get(vexOption) ?? [];
  const skip = context.options.get(skipVexRepoUpdateOption) === true;
  return loadVexSources({
    values,
    repositoriesDir: cacheLayout(context.global.cacheDir).vexRepositoriesDir,
    vigilHome: context.global.vigilHome,
    skipRepositoryUpdate: skip,
    offline,
    network: offline || skip ? undefined : vexRepositoryNetwork(context, offline),
    now: context.io.now,
    logger: context.logger,
    signal: context.signal,
  });
}
