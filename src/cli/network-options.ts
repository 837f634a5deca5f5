import { NETWORK_GROUP } from './global-options.ts';
import { defineOption } from './option-spec.ts';

/** Registry credentials and mirrors, for every command that downloads (Trivy's flags and config keys). */
export const usernameOption = defineOption({
  name: 'username',
  kind: 'list',
  valueName: 'USERS',
  description: 'registry user names, paired in order with --password; tried for every registry',
  configPaths: ['registry.username'],
  group: NETWORK_GROUP,
});

export const passwordOption = defineOption({
  name: 'password',
  kind: 'list',
  valueName: 'PASSWORDS',
  description: 'registry passwords, one per --username (prefer --password-stdin or VIGIL_PASSWORD)',
  configPaths: ['registry.password'],
  group: NETWORK_GROUP,
});

export const passwordStdinOption = defineOption({
  name: 'password-stdin',
  kind: 'boolean',
  description: 'read the password for the one --username from standard input',
  defaultValue: () => false,
  configPaths: ['registry.password-stdin'],
  group: NETWORK_GROUP,
});

export const registryTokenOption = defineOption({
  name: 'registry-token',
  kind: 'string',
  valueName: 'TOKEN',
  description: 'bearer token for registries; when set, the only credential used',
  configPaths: ['registry.token'],
  group: NETWORK_GROUP,
});

export const registryMirrorOption = defineOption({
  name: 'registry-mirror',
  kind: 'list',
  valueName: 'HOST=MIRROR',
  description: 'pull from MIRROR before HOST (repeatable; the config key registry.mirrors takes a map as in Trivy)',
  group: NETWORK_GROUP,
});

export const offlineOption = defineOption({
  name: 'offline',
  kind: 'boolean',
  description: 'no network at all: implies every --skip-*-update and --offline-scan, and any attempt to connect fails',
  defaultValue: () => false,
  group: NETWORK_GROUP,
});

export const NETWORK_OPTIONS = [
  usernameOption,
  passwordOption,
  passwordStdinOption,
  registryTokenOption,
  registryMirrorOption,
  offlineOption,
] as const;
