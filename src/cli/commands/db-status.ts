import type { CommandDefinition } from '../command.ts';
import { defineOption } from '../option-spec.ts';

/** What `vigil db status` runs, loaded only when it runs: parsing a command line never loads it. */
const actions = () => import('../actions/db-status.ts');

export const statusFormatOption = defineOption({
  name: 'format',
  short: 'f',
  kind: 'string',
  valueName: 'FORMAT',
  description: 'output format',
  choices: ['table', 'json'],
  defaultValue: () => 'table',
  group: 'Status Options:',
});

export const dbStatusCommand: CommandDefinition = {
  name: 'status',
  summary: 'show what is cached: path, schema, UpdatedAt, NextUpdate, DownloadedAt, age, source',
  description:
    'Show the vulnerability DB, the Java DB and the checks bundle in the cache: where they are, their schema, ' +
    'when they were built, are due and were downloaded, their age, and the repository and manifest digest they ' +
    'were pulled from (recorded by Vigil next to metadata.json). Reads only; never connects.',
  options: [statusFormatOption],
  examples: ['vigil db status', 'vigil db status --cache-dir /srv/vigil-cache --format json'],
  run: async (context) => (await actions()).runStatus(context),
};
