import type { CommandDefinition } from '../command.ts';

export const dbPullCommand: CommandDefinition = {
  name: 'pull',
  summary: 'download the vulnerability DB now (and the Java DB or checks bundle on request)',
  description:
    'Update the cached artifacts now, honouring the DB repository and network options. Repositories are ' +
    'tried in order until one works; the previous DB stays intact if every one fails.',
  examples: ['vigil db pull', 'vigil db pull --java --db-repository registry.local/trivy-db'],
  plannedFor: 'the DB lifecycle milestone (issue 3)',
};
