import { defineOption } from './option-spec.ts';

/** Options of misconfiguration scanning (`vigil config`, `--scanners misconfig`), named as in Trivy. */
const MISCONF_GROUP = 'Misconfiguration Options:';

export const configCheckOption = defineOption({
  name: 'config-check',
  kind: 'list',
  valueName: 'PATHS',
  description: 'extra Rego checks: files or directories',
  aliases: ['policy', 'config-policy'],
  configPaths: ['rego.check'],
  defaultValue: () => [],
  defaultText: 'none',
  group: MISCONF_GROUP,
});

export const configDataOption = defineOption({
  name: 'config-data',
  kind: 'list',
  valueName: 'PATHS',
  description: 'JSON or YAML files or directories whose contents checks read under data',
  aliases: ['data'],
  configPaths: ['rego.data'],
  defaultValue: () => [],
  defaultText: 'none',
  group: MISCONF_GROUP,
});

export const checkNamespacesOption = defineOption({
  name: 'check-namespaces',
  kind: 'list',
  valueName: 'NAMESPACES',
  description: 'top-level Rego packages of your checks to evaluate besides builtin, defsec and appshield',
  aliases: ['namespaces', 'policy-namespaces'],
  configPaths: ['rego.namespaces'],
  defaultValue: () => [],
  defaultText: 'none',
  group: MISCONF_GROUP,
});

/** The checks bundle's own options (--checks-bundle-repository, --skip-check-update) are in db-options.ts. */
export const MISCONF_OPTIONS = [configCheckOption, configDataOption, checkNamespacesOption] as const;
