import type { CommandDefinition } from '../command.ts';

export const dbSearchCommand: CommandDefinition = {
  name: 'search',
  summary: 'print advisories from the cached DB by vulnerability ID or by ecosystem and package',
  arguments: [
    { name: 'ID|ECOSYSTEM', required: true, description: 'a vulnerability ID, or an ecosystem such as npm' },
    { name: 'PACKAGE', description: 'package name, when the first argument is an ecosystem' },
  ],
  examples: ['vigil db search CVE-2019-11358', 'vigil db search npm jquery'],
  plannedFor: 'the trivy.db reader milestone (issue 4)',
};
