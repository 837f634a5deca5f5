import type { CommandDefinition } from '../command.ts';

/** `vigil vex repo …`: VEX repositories (VEX Hub or a self-hosted copy). */
export const vexCommand: CommandDefinition = {
  name: 'vex',
  summary: 'manage VEX repositories',
  subcommands: [
    {
      name: 'repo',
      summary: 'VEX repositories configured in $VIGIL_HOME/vex/repository.yaml',
      subcommands: [
        {
          name: 'init',
          summary: 'create the repository configuration with VEX Hub as "default"',
          plannedFor: 'the VEX milestone (issue 7)',
        },
        {
          name: 'list',
          summary: 'list configured repositories and their status',
          plannedFor: 'the VEX milestone (issue 7)',
        },
        {
          name: 'download',
          summary: 'download or refresh the enabled repositories (all, or the NAMES given)',
          arguments: [{ name: 'NAMES', variadic: true, description: 'repositories to download' }],
          plannedFor: 'the VEX milestone (issue 7)',
        },
        {
          name: 'build',
          summary: 'build a servable VEX repository from a folder of VEX documents',
          arguments: [{ name: 'DIR', required: true, description: 'folder of VEX documents' }],
          plannedFor: 'the VEX milestone (issue 7)',
        },
      ],
    },
  ],
};
