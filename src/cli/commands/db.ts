import type { CommandDefinition } from '../command.ts';
import { dbBuildCommand } from './db-build.ts';
import { dbPullCommand } from './db-pull.ts';
import { dbPushCommand } from './db-push.ts';
import { dbSearchCommand } from './db-search.ts';
import { dbSignCommand } from './db-sign.ts';
import { dbStatusCommand } from './db-status.ts';

/** `vigil db …`: the lifecycle of the vulnerability DB, the Java DB and the checks bundle. */
export const dbCommand: CommandDefinition = {
  name: 'db',
  summary: 'download, inspect, search, build and publish the vulnerability databases',
  subcommands: [dbPullCommand, dbStatusCommand, dbSearchCommand, dbBuildCommand, dbPushCommand, dbSignCommand],
};
