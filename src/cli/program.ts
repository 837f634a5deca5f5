import { Argument, Command, Option } from 'commander';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../product/index.ts';
import type { CommandDefinition } from './command.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import type { OptionSpec } from './option-spec.ts';
import { envVarName } from './option-spec.ts';
import type { FlagValues } from './resolve-options.ts';

/** What the command line selected: the definition to run, its arguments and the raw flags. */
export interface Invocation {
  readonly path: readonly string[];
  readonly definition: CommandDefinition;
  readonly args: readonly string[];
  readonly flags: FlagValues;
  /** Options accepted by the selected command, globals included. */
  readonly specs: readonly OptionSpec[];
}

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * Builds the commander tree from command definitions. Parsing records the selected command
 * in `selection`; the caller resolves options and runs it, so commander never runs our code.
 */
export function buildProgram(
  commands: readonly CommandDefinition[],
  output: ProgramOutput,
): { program: Command; selection: () => Invocation | undefined } {
  let selected: Invocation | undefined;
  const program = new Command(PRODUCT_NAME)
    .description(
      'Vigil finds vulnerable packages in container images and file systems, and works fully offline.\n' +
        "Its data is Trivy's: trivy.db, trivy-java.db and the checks bundle, pulled as OCI artifacts.",
    )
    .version(`Version: ${PRODUCT_VERSION}`, '-v, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for the command')
    .helpCommand(false)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => output.writeOut(text),
      writeErr: (text) => output.writeErr(text),
      outputError: (text, write) => write(text),
    })
    .exitOverride()
    .showSuggestionAfterError(true);
  for (const spec of GLOBAL_OPTIONS) addOption(program, spec);

  const attach = (parent: Command, definition: CommandDefinition, path: string[]): void => {
    const command = parent
      .command(definition.name)
      .summary(definition.summary)
      .description(definition.description ?? definition.summary)
      .helpOption('-h, --help', 'show help for the command')
      .configureHelp({ showGlobalOptions: true })
      .exitOverride();
    if (definition.examples?.length) {
      command.addHelpText('after', `\nExamples:\n${definition.examples.map((line) => `  ${line}`).join('\n')}\n`);
    }
    for (const argument of definition.arguments ?? []) {
      const placeholder = `${argument.name}${argument.variadic ? '...' : ''}`;
      command.addArgument(
        new Argument(argument.required ? `<${placeholder}>` : `[${placeholder}]`, argument.description),
      );
    }
    for (const spec of definition.options ?? []) addOption(command, spec);
    const here = [...path, definition.name];
    if (definition.subcommands?.length) {
      command.helpCommand(false);
      for (const child of definition.subcommands) attach(command, child, here);
      return;
    }
    command.action((...actionArgs: unknown[]) => {
      const self = actionArgs[actionArgs.length - 1] as Command;
      selected = {
        path: here,
        definition,
        args: self.args,
        flags: collectFlags(self),
        specs: [...GLOBAL_OPTIONS, ...ancestorSpecs(definition, commands, here)],
      };
    });
  };
  for (const definition of commands) attach(program, definition, []);
  return { program, selection: () => selected };
}

/** Options of the command itself plus those of its parent groups (`vex repo` passes its own down). */
function ancestorSpecs(
  definition: CommandDefinition,
  roots: readonly CommandDefinition[],
  path: readonly string[],
): OptionSpec[] {
  const specs: OptionSpec[] = [];
  let level: readonly CommandDefinition[] = roots;
  for (const name of path.slice(0, -1)) {
    const group = level.find((candidate) => candidate.name === name);
    if (!group) break;
    specs.push(...(group.options ?? []));
    level = group.subcommands ?? [];
  }
  specs.push(...(definition.options ?? []));
  return specs;
}

function addOption(command: Command, spec: OptionSpec): void {
  const placeholder = spec.kind === 'boolean' ? '' : ` <${spec.valueName ?? 'VALUE'}>`;
  const shortPart = spec.short ? `-${spec.short}, ` : '';
  const option = new Option(`${shortPart}--${spec.name}${placeholder}`, describeOption(spec)).helpGroup(spec.group);
  if (spec.kind === 'list') option.argParser(appendValue);
  command.addOption(option);
  for (const alias of spec.aliases ?? []) {
    const hidden = new Option(`--${alias}${placeholder}`).hideHelp();
    if (spec.kind === 'list') hidden.argParser(appendValue);
    command.addOption(hidden);
  }
}

function appendValue(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function describeOption(spec: OptionSpec): string {
  const notes: string[] = [];
  if (spec.choices) notes.push(`one of: ${spec.choices.join(', ')}`);
  if (spec.defaultText) notes.push(`default: ${spec.defaultText}`);
  else if (spec.defaultValue && spec.kind !== 'boolean') notes.push(`default: ${String(spec.defaultValue({}))}`);
  if (spec.aliases?.length) notes.push(`alias: ${spec.aliases.map((alias) => `--${alias}`).join(', ')}`);
  if (spec.kind === 'list') notes.push('repeatable or comma-separated');
  notes.push(`env: ${envVarName(spec.name)}`);
  return `${spec.description} (${notes.join('; ')})`;
}

/** Flags given on the command line, for the command and every ancestor, by long name. */
function collectFlags(command: Command): Map<string, boolean | string | string[]> {
  const flags = new Map<string, boolean | string | string[]>();
  for (let current: Command | null = command; current; current = current.parent) {
    for (const option of current.options) {
      const key = option.attributeName();
      if (current.getOptionValueSource(key) !== 'cli' || !option.long) continue;
      const value = current.getOptionValue(key) as boolean | string | string[];
      // commander turns a lone `--no-progress` into `progress: false`; we keep the positive name.
      flags.set(option.long.slice(2), option.negate ? !value : value);
    }
  }
  return flags;
}
