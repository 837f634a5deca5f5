import { cacheLayout } from '../cache/layout.ts';
import { createHttpClient } from '../net/index.ts';
import type { LoadedVex, RepositoryNetwork } from '../vex/index.ts';
import { loadVexSources } from '../vex/index.ts';
import type { CommandContext } from './command.ts';
import { networkPolicy } from './network-options.ts';
import { defineOption } from './option-spec.ts';

/** The VEX options of the scan commands (`image`, `fs`, `rootfs`), with Trivy's names and config keys. */
export const VEX_GROUP = 'VEX Options:';

export const vexOption = defineOption({
  name: 'vex',
  kind: 'list',
  valueName: 'FILE|repo',
  description:
    'VEX sources, first has precedence: OpenVEX, CSAF or CycloneDX files, or "repo" for the repositories in $VIGIL_HOME/vex/repository.yaml',
  defaultValue: () => [],
  configPaths: ['vulnerability.vex'],
  group: VEX_GROUP,
});

export const showSuppressedOption = defineOption({
  name: 'show-suppressed',
  kind: 'boolean',
  description: 'list the findings VEX suppressed, with the status, justification and source of each',
  defaultValue: () => false,
  configPaths: ['vulnerability.show-suppressed'],
  group: VEX_GROUP,
});

export const skipVexRepoUpdateOption = defineOption({
  name: 'skip-vex-repo-update',
  kind: 'boolean',
  description: 'use the downloaded VEX repositories as they are, without checking for updates',
  defaultValue: () => false,
  configPaths: ['vulnerability.skip-vex-repo-update'],
  group: VEX_GROUP,
});

export const VEX_OPTIONS = [vexOption, showSuppressedOption, skipVexRepoUpdateOption] as const;

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
