import type { CommandDefinition } from '../command.ts';
import {
  allowDbDowngradeOption,
  checksBundleRepositoryOption,
  dbRepositoryOption,
  dbSignatureKeyOption,
  javaDbRepositoryOption,
} from '../db-options.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';
import { defineOption } from '../option-spec.ts';

/** What `vigil db pull` runs, loaded only when it runs: parsing a command line never loads it. */
const actions = () => import('../actions/db-pull.ts');

const PULL_GROUP = 'Pull Options:';

export const javaOption = defineOption({
  name: 'java',
  kind: 'boolean',
  description: 'also pull the Java DB',
  group: PULL_GROUP,
});

export const checksOption = defineOption({
  name: 'checks',
  kind: 'boolean',
  description: 'also pull the checks bundle',
  group: PULL_GROUP,
});

export const dbPullCommand: CommandDefinition = {
  name: 'pull',
  summary: 'download the vulnerability DB now (and the Java DB or checks bundle on request)',
  description:
    'Update the cached artifacts now, honouring the DB repository and network options. Repositories are ' +
    'tried in order until one works; the previous DB stays intact if every one fails. When the registry ' +
    'still serves the cached manifest, only its download time is refreshed.',
  options: [
    javaOption,
    checksOption,
    dbRepositoryOption,
    javaDbRepositoryOption,
    checksBundleRepositoryOption,
    dbSignatureKeyOption,
    allowDbDowngradeOption,
    ...NETWORK_OPTIONS,
  ],
  examples: [
    'vigil db pull',
    'vigil db pull --java --db-repository registry.local/trivy-db',
    'vigil db pull --db-repository 127.0.0.1:5000/x/trivy-db --username U --password-stdin --cacert ca.pem',
    'vigil db pull --db-repository registry.local/trivy-db@sha256:… --db-signature-key cosign.pub',
    'vigil db pull --db-repository oci:/media/usb/vigil-mirror   # or file:/media/usb/vigil-bundle.tar',
  ],
  run: async (context) => (await actions()).runPull(context),
};
