import { resolve } from 'node:path';
import { buildTrivyDb } from '../../db/build/index.ts';
import { usageError } from '../../errors/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import { formatDuration } from '../duration.ts';
import { defineOption } from '../option-spec.ts';

const BUILD_GROUP = 'Build Options:';

const fromFixturesOption = defineOption({
  name: 'from-fixtures',
  kind: 'list',
  valueName: 'FILE|DIR',
  description: "bolt-fixtures YAML files, or directories of them (the format of Trivy's test DBs)",
  group: BUILD_GROUP,
});

const fromOsvOption = defineOption({
  name: 'from-osv',
  kind: 'list',
  valueName: 'DIR',
  description: 'directories of OSV JSON advisories (GHSA, Go vulndb, PyPA and other OSV sources)',
  group: BUILD_GROUP,
});

const buildOutputOption = defineOption({
  name: 'output',
  short: 'o',
  kind: 'string',
  valueName: 'FILE',
  description: 'the artifact to write',
  defaultValue: () => 'db.tar.gz',
  group: BUILD_GROUP,
});

const updatedAtOption = defineOption({
  name: 'updated-at',
  kind: 'string',
  valueName: 'TIME',
  description: 'UpdatedAt in metadata.json, RFC 3339 (default: now)',
  group: BUILD_GROUP,
});

const nextUpdateOption = defineOption({
  name: 'next-update',
  kind: 'duration',
  valueName: 'DURATION',
  description: 'NextUpdate = UpdatedAt + this; clients look for a newer DB after it',
  defaultValue: () => 24 * 3_600_000,
  defaultText: '24h',
  group: BUILD_GROUP,
});

export const dbBuildCommand: CommandDefinition = {
  name: 'build',
  summary: 'build a trivy-db v2 artifact (db.tar.gz) from YAML fixtures or OSV JSON advisories',
  description:
    'Build db.tar.gz (trivy.db and metadata.json) in the layout Trivy and Vigil read. Fixtures are ' +
    "bolt-fixtures YAML, either in the shipped layout or in trivy-db's staging layout (advisory-detail, " +
    'vulnerability-detail, vulnerability-id), which is finalized as trivy-db does. OSV advisories are ' +
    "converted as trivy-db's GHSA, Go vulndb and OSV sources convert them. Publish the result with vigil db push.",
  options: [fromFixturesOption, fromOsvOption, buildOutputOption, updatedAtOption, nextUpdateOption],
  examples: [
    'vigil db build --from-fixtures fixtures/ --output db.tar.gz',
    'vigil db build --from-osv advisories/ --from-fixtures extra.yaml --updated-at 2026-01-01T00:00:00Z',
  ],
  run: runBuild,
};

async function runBuild(context: CommandContext): Promise<number> {
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
