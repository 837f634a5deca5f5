import type { DbArtifactKind } from '../../db/build/index.ts';
import type { CommandDefinition } from '../command.ts';
import {
  allowDbDowngradeOption,
  checksBundleRepositoryOption,
  dbRepositoryOption,
  dbSignatureKeyOption,
  javaDbRepositoryOption,
} from '../db-options.ts';
import { NETWORK_OPTIONS, offlineOption } from '../network-options.ts';
import { defineOption } from '../option-spec.ts';
import { skipVexRepoUpdateOption } from '../vex-options.ts';

/** What `vigil mirror` and `vigil bundle …` run, loaded only when one of them runs: parsing a command line never loads it. */
const actions = () => import('../actions/air-gap.ts');

const AIR_GAP_GROUP = 'Air-gap Options:';

export const KINDS: readonly DbArtifactKind[] = ['db', 'java-db', 'checks'];

const selectOption = (name: string, what: string) =>
  defineOption({
    name,
    kind: 'boolean',
    description: `include the ${what} (default: all three)`,
    group: AIR_GAP_GROUP,
  });

export const dbSelectOption = selectOption('db', 'vulnerability DB');

const javaDbSelectOption = selectOption('java-db', 'Java DB');

const checksSelectOption = selectOption('checks', 'checks bundle');

export const SELECT_OPTIONS = [dbSelectOption, javaDbSelectOption, checksSelectOption] as const;

export const toOption = defineOption({
  name: 'to',
  kind: 'string',
  valueName: 'REGISTRY/PREFIX|oci:DIR',
  description: 'where to copy: a registry and path prefix, or oci:DIR for OCI layout directories',
  group: AIR_GAP_GROUP,
});

export const fromBundleOption = defineOption({
  name: 'from-bundle',
  kind: 'string',
  valueName: 'FILE',
  description: 'copy from a file made by vigil bundle create instead of the --*-repository options',
  group: AIR_GAP_GROUP,
});

export const fromCacheOption = defineOption({
  name: 'from-cache',
  kind: 'boolean',
  description:
    'pack the databases the cache holds (implied by --offline) instead of copying them byte for byte from their repositories; the original signatures cannot come along',
  group: AIR_GAP_GROUP,
});

export const inspectFormatOption = defineOption({
  name: 'format',
  short: 'f',
  kind: 'string',
  valueName: 'FORMAT',
  description: 'output format',
  choices: ['table', 'json'],
  defaultValue: () => 'table',
  group: AIR_GAP_GROUP,
});

const REPOSITORY_OPTIONS = [dbRepositoryOption, javaDbRepositoryOption, checksBundleRepositoryOption] as const;

export const mirrorCommand: CommandDefinition = {
  name: 'mirror',
  summary: 'copy the DB, Java DB and checks bundle byte for byte into a private registry or OCI layout',
  description:
    'Copy the vulnerability DB, the Java DB and the checks bundle (all three unless --db, --java-db or --checks ' +
    'choose) from their repositories (the --*-repository options, tried in order) or from a bundle into ' +
    'REGISTRY/PREFIX/{trivy-db,trivy-java-db,trivy-checks} or oci:DIR/{trivy-db,…}: the same manifest bytes, ' +
    'digests, media types, annotations and tags, with their cosign signatures. Blobs already there are not sent ' +
    'again, so the command is idempotent and a killed run resumes. Afterwards point Vigil or Trivy at it: ' +
    '--db-repository REGISTRY/PREFIX/trivy-db (or oci:DIR).',
  options: [
    toOption,
    fromBundleOption,
    ...SELECT_OPTIONS,
    ...REPOSITORY_OPTIONS,
    dbSignatureKeyOption,
    ...NETWORK_OPTIONS,
  ],
  examples: [
    'vigil mirror --to registry.local:5000/trivy --username ci --password-stdin',
    'vigil mirror --to oci:/media/usb/vigil-mirror --db',
    'vigil mirror --from-bundle vigil-bundle.tar --to registry.internal/security --offline',
    'vigil image alpine:3.19 --db-repository registry.local:5000/trivy/trivy-db   # then, on the clients',
  ],
  run: async (context) => (await actions()).runMirror(context),
};

export const bundleCommand: CommandDefinition = {
  name: 'bundle',
  summary: 'one-file offline bundles of every database, the checks and VEX repositories',
  subcommands: [
    {
      name: 'create',
      summary: 'write a bundle file: the databases, the checks bundle and the enabled VEX repositories',
      description:
        'Write one file (an OCI image layout in a tar) holding the vulnerability DB, the Java DB and the checks ' +
        'bundle (all three unless --db, --java-db or --checks choose), copied byte for byte with their cosign ' +
        'signatures from their repositories (the --*-repository options), or packed from the cache with ' +
        '--from-cache or --offline; and the enabled VEX repositories of $VIGIL_HOME/vex/repository.yaml from the ' +
        'cache (updated first unless --skip-vex-repo-update or --offline). Its index.json records each ' +
        "artifact's digest, source, schema and build time.",
      arguments: [{ name: 'FILE', required: true, description: 'bundle to write' }],
      options: [
        fromCacheOption,
        ...SELECT_OPTIONS,
        ...REPOSITORY_OPTIONS,
        dbSignatureKeyOption,
        skipVexRepoUpdateOption,
        ...NETWORK_OPTIONS,
      ],
      examples: ['vigil bundle create vigil-bundle.tar', 'vigil bundle create db-only.tar --db --from-cache'],
      run: async (context) => (await actions()).runCreate(context),
    },
    {
      name: 'import',
      summary: 'verify a bundle and install it into the cache, all or nothing',
      description:
        'Check every blob of the bundle against its digest, unpack and check every database (format, schema, ' +
        'not older than the cached one unless --allow-db-downgrade, a cosign signature by --db-signature-key ' +
        'when given) in staging directories, and only then install everything into the cache. A bundle with one ' +
        'changed byte installs nothing. Never connects to the network.',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to import' }],
      // --offline is accepted (import never connects anyway), so scripts can pass it everywhere.
      options: [dbSignatureKeyOption, allowDbDowngradeOption, offlineOption],
      examples: ['vigil bundle import /media/usb/vigil-bundle.tar --db-signature-key cosign.pub'],
      run: async (context) => (await actions()).runImport(context),
    },
    {
      name: 'inspect',
      summary: 'list what a bundle holds: digests, sources, build times and ages',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to inspect' }],
      options: [inspectFormatOption],
      run: async (context) => (await actions()).runInspect(context),
    },
  ],
};
