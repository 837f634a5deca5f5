import { resolve } from 'node:path';
import { buildTrivyDb } from '../../db/build/index.ts';
import { usageError } from '../../errors/index.ts';
import type { CommandContext } from '../command.ts';
import {
  buildOutputOption,
  fromFixturesOption,
  fromOsvOption,
  nextUpdateOption,
  updatedAtOption,
} from '../commands/db-build.ts';
import { formatDuration } from '../duration.ts';

export async function runBuild(context: CommandContext): Promise<number> {
  if (context.args.length > 0) {
    throw usageError(`unexpected argument ${context.args[0]}`, 'give inputs with --from-fixtures and --from-osv');
  }
  const fixtures = context.options.get(fromFixturesOption) ?? [];
  const osv = context.options.get(fromOsvOption) ?? [];
  if (fixtures.length === 0 && osv.length === 0) {
    throw usageError('nothing to build from', 'give --from-fixtures FILE|DIR and/or --from-osv DIR');
  }
  const updatedText = context.options.get(updatedAtOption);
  const updatedAt = updatedText === undefined ? context.io.now() : new Date(updatedText);
  if (Number.isNaN(updatedAt.getTime())) {
    throw usageError(`invalid --updated-at ${updatedText}`, 'use RFC 3339, e.g. 2026-01-02T03:04:05Z');
  }
  const nextUpdateMs = context.options.require(nextUpdateOption);
  const output = resolve(context.io.cwd, context.options.require(buildOutputOption));
  const summary = await buildTrivyDb({
    fixtures: fixtures.map((path) => resolve(context.io.cwd, path)),
    osv: osv.map((path) => resolve(context.io.cwd, path)),
    output,
    updatedAt,
    nextUpdateMs,
  });
  context.logger.info(
    `built ${output}: ${summary.buckets} buckets, trivy.db ${summary.dbBytes} bytes, from ${summary.fixtureFiles} ` +
      `fixture files and ${summary.osvFiles} OSV files; next update in ${formatDuration(nextUpdateMs)}`,
  );
  return 0;
}
