import type { CommandDefinition } from '../command.ts';

export const regoCommand: CommandDefinition = {
  name: 'rego',
  summary: 'work with Rego checks',
  subcommands: [
    {
      name: 'test',
      summary: 'run the test_* rules in Rego files, like opa test',
      arguments: [{ name: 'PATH', required: true, variadic: true, description: 'files or directories' }],
      plannedFor: 'the misconfiguration milestone (issue 9)',
    },
  ],
};
