import type { Logger } from '../log/index.ts';
import type { OptionKind, OptionSpec, ValueOf } from './option-spec.ts';
import type { OptionSource } from './resolve-options.ts';

/** The process's streams and environment, passed in so commands run the same in tests. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
}

/** Typed access to the command's options after flag > env > config > default resolution. */
export interface OptionReader {
  get<K extends OptionKind>(spec: OptionSpec<K>): ValueOf<K> | undefined;
  /** For options with a default: never undefined. */
  require<K extends OptionKind>(spec: OptionSpec<K>): ValueOf<K>;
  sourceOf(spec: OptionSpec): OptionSource;
}

/** The global options every command sees, already resolved. */
export interface GlobalOptions {
  readonly cacheDir: string;
  readonly configPath: string | undefined;
  readonly quiet: boolean;
  readonly debug: boolean;
  readonly progress: boolean;
  readonly timeoutMs: number;
  readonly insecure: boolean;
  readonly cacert: string | undefined;
  readonly vigilHome: string;
}

export interface CommandContext {
  readonly args: readonly string[];
  readonly options: OptionReader;
  readonly global: GlobalOptions;
  readonly logger: Logger;
  readonly io: CliIO;
  /** Aborts when --timeout passes. */
  readonly signal: AbortSignal;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
  readonly description: string;
}

/**
 * A command as data. `run` returns the exit status (0 when omitted). A command without
 * `run` and without subcommands is not built yet: it says so and exits 2.
 */
export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly arguments?: readonly ArgumentSpec[];
  readonly options?: readonly OptionSpec[];
  readonly examples?: readonly string[];
  readonly subcommands?: readonly CommandDefinition[];
  /** The issue or milestone that will build it, shown when the command is not built yet. */
  readonly plannedFor?: string;
  readonly run?: (context: CommandContext) => Promise<number | undefined> | number | undefined;
}
