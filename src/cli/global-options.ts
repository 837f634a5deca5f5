import { defineOption } from './option-spec.ts';
import { defaultCacheDir } from './paths.ts';

/** Options every command accepts, before or after the subcommand. */
export const GLOBAL_GROUP = 'Global Options:';
export const NETWORK_GROUP = 'Network Options:';

export const configOption = defineOption({
  name: 'config',
  short: 'c',
  kind: 'string',
  valueName: 'FILE',
  description: 'YAML config file; keys are option names',
  defaultText: 'vigil.yaml in the working directory, when present',
  group: GLOBAL_GROUP,
});

export const cacheDirOption = defineOption({
  name: 'cache-dir',
  kind: 'string',
  valueName: 'DIR',
  description: 'cache directory for databases, checks, VEX repositories and scan results',
  defaultValue: defaultCacheDir,
  defaultText: '$XDG_CACHE_HOME/vigil, else ~/.cache/vigil',
  configPaths: ['cache.dir'],
  group: GLOBAL_GROUP,
});

export const quietOption = defineOption({
  name: 'quiet',
  short: 'q',
  kind: 'boolean',
  description: 'print errors only: no info or warning logs, no progress',
  defaultValue: () => false,
  group: GLOBAL_GROUP,
});

export const debugOption = defineOption({
  name: 'debug',
  short: 'd',
  kind: 'boolean',
  description: 'print debug logs and stack traces',
  defaultValue: () => false,
  group: GLOBAL_GROUP,
});

export const noProgressOption = defineOption({
  name: 'no-progress',
  kind: 'boolean',
  description: 'never draw progress bars (they are drawn only on a terminal anyway)',
  defaultValue: () => false,
  configPaths: ['db.no-progress'],
  group: GLOBAL_GROUP,
});

export const timeoutOption = defineOption({
  name: 'timeout',
  kind: 'duration',
  valueName: 'DURATION',
  description: 'time limit for the whole command, e.g. 30s, 5m, 1h',
  defaultValue: () => 5 * 60_000,
  defaultText: '5m',
  group: GLOBAL_GROUP,
});

export const insecureOption = defineOption({
  name: 'insecure',
  kind: 'boolean',
  description: 'skip TLS certificate checks and allow plain-HTTP registries (never use on untrusted networks)',
  defaultValue: () => false,
  group: NETWORK_GROUP,
});

export const cacertOption = defineOption({
  name: 'cacert',
  kind: 'string',
  valueName: 'FILE',
  description:
    'PEM file of extra CA certificates trusted for every download (added to SSL_CERT_FILE and the system CAs)',
  group: NETWORK_GROUP,
});

export const GLOBAL_OPTIONS = [
  configOption,
  cacheDirOption,
  quietOption,
  debugOption,
  noProgressOption,
  timeoutOption,
  insecureOption,
  cacertOption,
] as const;
