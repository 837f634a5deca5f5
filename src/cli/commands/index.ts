import type { CommandDefinition } from '../command.ts';
import { cleanCommand } from './clean.ts';
import { bundleCommand, dbCommand, mirrorCommand } from './db.ts';
import { configCommand, fsCommand, imageCommand, rootfsCommand } from './scan.ts';
import { versionCommand } from './version.ts';
import { regoCommand, vexCommand } from './vex.ts';

/** Every command, in the order `vigil --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [
  imageCommand,
  fsCommand,
  rootfsCommand,
  configCommand,
  dbCommand,
  mirrorCommand,
  bundleCommand,
  vexCommand,
  regoCommand,
  cleanCommand,
  versionCommand,
];
