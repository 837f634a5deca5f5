import { pullArtifactNow } from '../../db/artifact/index.ts';
import type { DbArtifactKind } from '../../db/build/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import {
  allowDbDowngradeOption,
  checksBundleRepositoryOption,
  dbRepositoryOption,
  dbSignatureKeyOption,
  javaDbRepositoryOption,
  readDbOptions,
} from '../db-options.ts';
import { createRegistryAccess, NETWORK_OPTIONS, offlineOption, transferProgress } from '../network-options.ts';
import { defineOption } from '../option-spec.ts';

const PULL_GROUP = 'Pull Options:';
const javaOption = defineOption({
  name: 'java',
  kind: 'boolean',
  description: 'also pull the Java DB',
  group: PULL_GROUP,
});
const checksOption = defineOption({
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
  run: runPull,
};

async function runPull(context: CommandContext): Promise<number> {
  const db = readDbOptions(context.options, context.global.cacheDir, context.logger);
  const kinds: DbArtifactKind[] = ['db'];
  if (context.options.get(javaOption) === true) kinds.push('java-db');
  if (context.options.get(checksOption) === true) kinds.push('checks');
  const access = await createRegistryAccess(context, context.options.get(offlineOption) === true);
  try {
    const deps = {
      registry: access.registry,
      logger: context.logger,
      now: context.io.now,
      signal: context.signal,
      progress: transferProgress(context),
    };
    const settings = { db: db.vulnDb, 'java-db': db.javaDb, checks: db.checks } as const;
    for (const kind of kinds) {
      const { repositories, signatureKeys, allowDowngrade } = settings[kind];
      const outcome = await pullArtifactNow(
        kind,
        { cacheDir: context.global.cacheDir, repositories, signatureKeys, allowDowngrade },
        deps,
      );
      const what = outcome.status === 'downloaded' ? 'downloaded' : 'already up to date';
      context.io.stdout.write(
        `${outcome.label}: ${what} from ${outcome.repository} (${outcome.manifestDigest}) at ${outcome.path}\n`,
      );
    }
  } finally {
    await access.close();
  }
  return 0;
}
