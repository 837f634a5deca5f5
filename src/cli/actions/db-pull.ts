import { pullArtifactNow } from '../../db/artifact/index.ts';
import type { DbArtifactKind } from '../../db/build/index.ts';
import type { CommandContext } from '../command.ts';
import { checksOption, javaOption } from '../commands/db-pull.ts';
import { readDbOptions } from '../db-settings.ts';
import { offlineOption } from '../network-options.ts';
import { createRegistryAccess, transferProgress } from '../registry-access.ts';

export async function runPull(context: CommandContext): Promise<number> {
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
