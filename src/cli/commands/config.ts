import type { CommandDefinition } from '../command.ts';
import { checksBundleRepositoryOption, skipCheckUpdateOption } from '../db-options.ts';
import { MISCONF_OPTIONS } from '../misconf-options.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';
import {
  exitCodeOption,
  formatOption,
  outputOption,
  severityOption,
  skipDirsOption,
  skipFilesOption,
} from '../scan-options.ts';

/** What `vigil config` runs, loaded only when it runs: parsing a command line never loads it. */
const actions = () => import('../actions/config.ts');

export const configCommand: CommandDefinition = {
  name: 'config',
  summary: 'scan a directory for misconfigurations (Dockerfiles, Kubernetes manifests)',
  description:
    'Check Dockerfiles and Kubernetes manifests against Rego checks: the checks bundle in the cache ' +
    '(<cache-dir>/policy), or the checks embedded in Vigil when there is none, plus your own through ' +
    '--config-check. Works offline; the report says which checks were used.',
  arguments: [{ name: 'DIR', required: true, description: 'directory to scan' }],
  options: [
    ...MISCONF_OPTIONS,
    checksBundleRepositoryOption,
    skipCheckUpdateOption,
    ...NETWORK_OPTIONS,
    formatOption,
    outputOption,
    severityOption,
    exitCodeOption,
    skipFilesOption,
    skipDirsOption,
  ],
  examples: [
    'vigil config ./deploy',
    'vigil config . --severity HIGH,CRITICAL --exit-code 1',
    'vigil config . --config-check ./policies --check-namespaces user --format json',
  ],
  run: async (context) => (await actions()).runConfig(context),
};
