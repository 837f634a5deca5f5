import type { CommandDefinition } from '../command.ts';
import { defineOption } from '../option-spec.ts';

/** What `vigil db build` runs, loaded only when it runs: parsing a command line never loads it. */
const actions = () => import('../actions/db-build.ts');

const BUILD_GROUP = 'Build Options:';

export const fromFixturesOption = defineOption({
  name: 'from-fixtures',
  kind: 'list',
  valueName: 'FILE|DIR',
  description: "bolt-fixtures YAML files, or directories of them (the format of Trivy's test DBs)",
  group: BUILD_GROUP,
});

export const fromOsvOption = defineOption({
  name: 'from-osv',
  kind: 'list',
  valueName: 'DIR',
  description: 'directories of OSV JSON advisories (GHSA, Go vulndb, PyPA and other OSV sources)',
  group: BUILD_GROUP,
});

export const buildOutputOption = defineOption({
  name: 'output',
  short: 'o',
  kind: 'string',
  valueName: 'FILE',
  description: 'the artifact to write',
  defaultValue: () => 'db.tar.gz',
  group: BUILD_GROUP,
});

export const updatedAtOption = defineOption({
  name: 'updated-at',
  kind: 'string',
  valueName: 'TIME',
  description: 'UpdatedAt in metadata.json, RFC 3339 (default: now)',
  group: BUILD_GROUP,
});

export const nextUpdateOption = defineOption({
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
  run: async (context) => (await actions()).runBuild(context),
};
