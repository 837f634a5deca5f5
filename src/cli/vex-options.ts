import { defineOption } from './option-spec.ts';

/** The VEX options of the scan commands (`image`, `fs`, `rootfs`), with Trivy's names and config keys. */
export const VEX_GROUP = 'VEX Options:';

export const vexOption = defineOption({
  name: 'vex',
  kind: 'list',
  valueName: 'FILE|repo',
  description:
    'VEX sources, first has precedence: OpenVEX, CSAF or CycloneDX files, or "repo" for the repositories in $VIGIL_HOME/vex/repository.yaml',
  defaultValue: () => [],
  configPaths: ['vulnerability.vex'],
  group: VEX_GROUP,
});

export const showSuppressedOption = defineOption({
  name: 'show-suppressed',
  kind: 'boolean',
  description: 'list the findings VEX suppressed, with the status, justification and source of each',
  defaultValue: () => false,
  configPaths: ['vulnerability.show-suppressed'],
  group: VEX_GROUP,
});

export const skipVexRepoUpdateOption = defineOption({
  name: 'skip-vex-repo-update',
  kind: 'boolean',
  description: 'use the downloaded VEX repositories as they are, without checking for updates',
  defaultValue: () => false,
  configPaths: ['vulnerability.skip-vex-repo-update'],
  group: VEX_GROUP,
});

export const VEX_OPTIONS = [vexOption, showSuppressedOption, skipVexRepoUpdateOption] as const;
