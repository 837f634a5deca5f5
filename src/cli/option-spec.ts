/**
 * One declaration per option. Everything else — the commander flag, the help line, the
 * VIGIL_* environment variable, the config-file key and the typed value — derives from it.
 */
export type OptionKind = 'boolean' | 'string' | 'list' | 'duration' | 'integer';

export type ValueOf<K extends OptionKind> = K extends 'boolean'
  ? boolean
  : K extends 'list'
    ? string[]
    : K extends 'duration' | 'integer'
      ? number
      : string;

export interface OptionSpec<K extends OptionKind = OptionKind> {
  /** Long flag name without dashes, e.g. `cache-dir`. Also the top-level config-file key. */
  readonly name: string;
  readonly short?: string;
  readonly kind: K;
  /** Placeholder in help, e.g. `DIR`. */
  readonly valueName?: string;
  readonly description: string;
  /** Help section heading. */
  readonly group: string;
  /** Other long flag names accepted for compatibility (each has its own env var and key). */
  readonly aliases?: readonly string[];
  /** Nested config-file paths also accepted (Trivy's `trivy.yaml` keys, e.g. `cache.dir`). */
  readonly configPaths?: readonly string[];
  /** Allowed values for string and list options. */
  readonly choices?: readonly string[];
  /** Computed lazily so defaults that read the environment (home directory) stay testable. */
  readonly defaultValue?: (env: Environment) => ValueOf<K>;
  /** How the default reads in help when it is computed. */
  readonly defaultText?: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export function defineOption<K extends OptionKind>(spec: OptionSpec<K>): OptionSpec<K> {
  return spec;
}

/** `cache-dir` → `VIGIL_CACHE_DIR`. */
export function envVarName(flagName: string): string {
  return `VIGIL_${flagName.replace(/-/g, '_').toUpperCase()}`;
}

/** Every long name an option answers to: its own first, then the aliases. */
export function allNames(spec: OptionSpec): string[] {
  return [spec.name, ...(spec.aliases ?? [])];
}
