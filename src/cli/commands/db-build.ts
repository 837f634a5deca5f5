import type { CommandDefinition } from '../command.ts';

export const dbBuildCommand: CommandDefinition = {
  name: 'build',
  summary: 'build a trivy-db v2 artifact (db.tar.gz) from YAML fixtures or OSV JSON advisories',
  plannedFor: 'the trivy.db reader milestone (issue 4)',
};
