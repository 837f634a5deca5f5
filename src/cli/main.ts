import { CommanderError } from 'commander';
import { describeError, isVigilError, usageError, VigilError } from '../errors/index.ts';
import type { Logger, LogLevel } from '../log/index.ts';
import { createLogger } from '../log/index.ts';
import type { CliIO, CommandContext, CommandDefinition, GlobalOptions, OptionReader } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import type { ConfigFile } from './config-file.ts';
import { loadConfigFile } from './config-file.ts';
import {
  cacertOption,
  cacheDirOption,
  configOption,
  debugOption,
  insecureOption,
  noProgressOption,
  quietOption,
  timeoutOption,
} from './global-options.ts';
import type { OptionKind, OptionSpec, ValueOf } from './option-spec.ts';
import { vigilHome } from './paths.ts';
import type { Invocation } from './program.ts';
import { buildProgram } from './program.ts';
import type { OptionSources } from './resolve-options.ts';
import { resolveOption, unknownConfigKeys } from './resolve-options.ts';

/** Runs the CLI and returns the exit status; never calls process.exit itself. */
export async function runCli(
  argv: readonly string[],
  io: CliIO,
  commands: readonly CommandDefinition[] = COMMANDS,
): Promise<number> {
  let debug = argv.includes('--debug') || argv.includes('-d');
  const { program, selection } = buildProgram(commands, {
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync([...argv], { from: 'user' });
    const invocation = selection();
    if (!invocation) return 2;
    const sources: OptionSources = { flags: invocation.flags, env: io.env, config: undefined };
    const configPath = resolveOption(configOption, sources).value;
    sources.config = loadConfigFile(configPath, io.cwd);
    const options = createOptionReader(sources);
    const global = readGlobalOptions(options, configPath, sources.config, io);
    debug = global.debug;
    const logger = createLogger({
      level: logLevel(global),
      write: (line) => io.stderr.write(line),
      colour: Boolean(io.stderr.isTTY) && !io.env.NO_COLOR,
      now: io.now,
    });
    if (sources.config) warnUnknownConfigKeys(sources.config, invocation, logger);
    return await runSelected(invocation, { options, global, logger, io });
  } catch (error) {
    return reportFailure(error, io, debug, commandPath(argv, commands));
  }
}

/** The subcommand words at the start of argv, for a hint that names the right --help. */
function commandPath(argv: readonly string[], commands: readonly CommandDefinition[]): string {
  const words = ['vigil'];
  let level = commands;
  for (const token of argv) {
    if (token.startsWith('-')) continue;
    const match = level.find((definition) => definition.name === token);
    if (!match) break;
    words.push(token);
    level = match.subcommands ?? [];
  }
  return words.join(' ');
}

async function runSelected(invocation: Invocation, base: Omit<CommandContext, 'args' | 'signal'>): Promise<number> {
  const { definition } = invocation;
  if (!definition.run) throw notBuiltYet(invocation.path, definition);
  const signal = AbortSignal.timeout(base.global.timeoutMs > 0 ? base.global.timeoutMs : 2 ** 31 - 1);
  const status = await definition.run({ ...base, args: invocation.args, signal });
  return status ?? 0;
}

function notBuiltYet(path: readonly string[], definition: CommandDefinition): VigilError {
  const name = `vigil ${path.join(' ')}`;
  return new VigilError('NOT_IMPLEMENTED', `'${name}' is not built yet in this version of Vigil`, {
    hint: definition.plannedFor
      ? `it arrives with ${definition.plannedFor}; run '${name} --help' to see what it will do`
      : `run '${name} --help' to see what it will do`,
    exitCode: 2,
  });
}

function createOptionReader(sources: OptionSources): OptionReader {
  const cache = new Map<OptionSpec, ReturnType<typeof resolveOption>>();
  const resolved = <K extends OptionKind>(spec: OptionSpec<K>) => {
    let entry = cache.get(spec);
    if (!entry) {
      entry = resolveOption(spec, sources);
      cache.set(spec, entry);
    }
    return entry as ReturnType<typeof resolveOption<K>>;
  };
  return {
    get: (spec) => resolved(spec).value,
    require<K extends OptionKind>(spec: OptionSpec<K>): ValueOf<K> {
      const value = resolved(spec).value;
      if (value === undefined) throw usageError(`--${spec.name} is required`, `pass --${spec.name}`);
      return value;
    },
    sourceOf: (spec) => resolved(spec).source,
  };
}

function readGlobalOptions(
  options: OptionReader,
  configPath: string | undefined,
  config: ConfigFile | undefined,
  io: CliIO,
): GlobalOptions {
  return {
    cacheDir: options.require(cacheDirOption),
    configPath: config?.path ?? configPath,
    quiet: options.require(quietOption),
    debug: options.require(debugOption),
    progress: !options.require(noProgressOption) && !options.require(quietOption),
    timeoutMs: options.require(timeoutOption),
    insecure: options.require(insecureOption),
    cacert: options.get(cacertOption),
    vigilHome: vigilHome(io.env),
  };
}

function logLevel(global: GlobalOptions): LogLevel {
  if (global.debug) return 'debug';
  return global.quiet ? 'error' : 'info';
}

function warnUnknownConfigKeys(config: ConfigFile, invocation: Invocation, logger: Logger): void {
  for (const key of unknownConfigKeys(config, invocation.specs)) {
    logger.warn(`config file ${config.path}: key '${key}' is not an option of 'vigil ${invocation.path.join(' ')}'`);
  }
}

function reportFailure(error: unknown, io: CliIO, debug: boolean, command: string): number {
  if (error instanceof CommanderError) {
    // Help and --version end parsing through exceptions too; they are not failures.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') return 2;
    io.stderr.write(`hint: run '${command} --help' to see its arguments and options\n`);
    return 2;
  }
  if (isVigilError(error)) {
    io.stderr.write(`error: ${error.message}\n`);
    if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
    if (debug) io.stderr.write(`${error.stack ?? ''}\n`);
    return error.exitCode;
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    io.stderr.write('error: the command did not finish within --timeout\n');
    io.stderr.write('hint: raise the limit, e.g. --timeout 15m\n');
    return 1;
  }
  io.stderr.write(`error: unexpected failure: ${describeError(error)}\n`);
  io.stderr.write(
    debug ? `${error instanceof Error ? (error.stack ?? '') : ''}\n` : 'hint: run again with --debug for details\n',
  );
  return 1;
}
