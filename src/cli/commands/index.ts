import type { CommandDefinition } from '../command.ts';
import { bundleCommand, mirrorCommand } from './air-gap.ts';
import { cleanCommand } from './clean.ts';
import { configCommand } from './config.ts';
import { dbCommand } from './db.ts';
import { regoCommand } from './rego.ts';
import { fsCommand, imageCommand, rootfsCommand } from './scan.ts';
import { versionCommand } from './version.ts';
import { vexCommand } from './vex.ts';

/**
 * Every command, in the order `vigil --help` lists them. These files hold the definitions only
 * (names, arguments, option specs); what each command runs lives in ../actions/ and is imported
 * when it runs, so a command line loads one command's code (`--help` none): 665 -> 48 modules and
 * ~30 MB less memory before anything runs (measured). Keep static imports of runtime code out of here.
 */
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
