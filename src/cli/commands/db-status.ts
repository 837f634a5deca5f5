import type { CommandDefinition } from '../command.ts';

export const dbStatusCommand: CommandDefinition = {
  name: 'status',
  summary: 'show what is cached: path, schema, UpdatedAt, NextUpdate, DownloadedAt, age, source',
  examples: ['vigil db status', 'vigil db status --cache-dir /srv/vigil-cache'],
  plannedFor: 'the DB lifecycle milestone (issue 3)',
};
