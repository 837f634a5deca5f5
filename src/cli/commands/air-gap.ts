import type { CommandDefinition } from '../command.ts';

export const mirrorCommand: CommandDefinition = {
  name: 'mirror',
  summary: 'copy the DB, Java DB and checks bundle byte for byte into a private registry or OCI layout',
  plannedFor: 'the air-gap milestone (issue 8)',
};

export const bundleCommand: CommandDefinition = {
  name: 'bundle',
  summary: 'one-file offline bundles of every database, the checks and VEX repositories',
  subcommands: [
    {
      name: 'create',
      summary: 'write a bundle file from the cache',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to write' }],
      plannedFor: 'the air-gap milestone (issue 8)',
    },
    {
      name: 'import',
      summary: 'verify a bundle and install it into the cache, all or nothing',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to import' }],
      plannedFor: 'the air-gap milestone (issue 8)',
    },
    {
      name: 'inspect',
      summary: 'list what a bundle holds and how old it is',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to inspect' }],
      plannedFor: 'the air-gap milestone (issue 8)',
    },
  ],
};
