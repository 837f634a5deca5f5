import type { CommandDefinition } from '../command.ts';
import { bundleCommand, mirrorCommand } from './air-gap.ts';
import { cleanCommand } from './clean.ts';
import { configCommand } from './config.ts';
import { dbCommand } from './db.ts';
import { regoCommand } from './rego.ts';
import { fsCommand, imageCommand, rootfsCommand } from './scan.ts';
import { versionCommand } from './version.ts';
import { vexCommand } from './vex.ts';

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
