import { resolve } from 'node:path';
import {
  type BundleContents,
  createBundle,
  entryAgeMs,
  importBundle,
  inspectBundle,
  type MirroredArtifact,
  mirrorArtifacts,
  parseMirrorTarget,
  recordImportedVexRepositories,
  vexRepositoriesToBundle,
} from '../../airgap/index.ts';
import type { ArtifactLocation } from '../../airgap/store/index.ts';
import { cacheLayout } from '../../cache/layout.ts';
import { formatAge } from '../../db/artifact/index.ts';
import type { DbArtifactKind } from '../../db/build/index.ts';
import { usageError } from '../../errors/index.ts';
import type { CommandContext, CommandDefinition } from '../command.ts';
import {
  allowDbDowngradeOption,
  checksBundleRepositoryOption,
  dbRepositoryOption,
  dbSignatureKeyOption,
  javaDbRepositoryOption,
  readDbOptions,
} from '../db-options.ts';
import { createRegistryAccess, NETWORK_OPTIONS, offlineOption, transferProgress } from '../network-options.ts';
import { defineOption } from '../option-spec.ts';
import { skipVexRepoUpdateOption, vexRepositoryNetwork } from '../vex-options.ts';

const AIR_GAP_GROUP = 'Air-gap Options:';
const KINDS: readonly DbArtifactKind[] = ['db', 'java-db', 'checks'];

const selectOption = (name: string, what: string) =>
  defineOption({
    name,
    kind: 'boolean',
    description: `include the ${what} (default: all three)`,
    group: AIR_GAP_GROUP,
  });
const dbSelectOption = selectOption('db', 'vulnerability DB');
const javaDbSelectOption = selectOption('java-db', 'Java DB');
const checksSelectOption = selectOption('checks', 'checks bundle');
const SELECT_OPTIONS = [dbSelectOption, javaDbSelectOption, checksSelectOption] as const;

const toOption = defineOption({
  name: 'to',
  kind: 'string',
  valueName: 'REGISTRY/PREFIX|oci:DIR',
  description: 'where to copy: a registry and path prefix, or oci:DIR for OCI layout directories',
  group: AIR_GAP_GROUP,
});

const fromBundleOption = defineOption({
  name: 'from-bundle',
  kind: 'string',
  valueName: 'FILE',
  description: 'copy from a file made by vigil bundle create instead of the --*-repository options',
  group: AIR_GAP_GROUP,
});

const fromCacheOption = defineOption({
  name: 'from-cache',
  kind: 'boolean',
  description:
    'pack the databases the cache holds (implied by --offline) instead of copying them byte for byte from their repositories; the original signatures cannot come along',
  group: AIR_GAP_GROUP,
});

const inspectFormatOption = defineOption({
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

function selectedKinds(context: CommandContext): DbArtifactKind[] {
  const chosen = KINDS.filter(
    (_, index) => context.options.get(SELECT_OPTIONS[index] as typeof dbSelectOption) === true,
  );
  return chosen.length > 0 ? chosen : [...KINDS];
}

function sourcesFrom(context: CommandContext): Record<DbArtifactKind, readonly ArtifactLocation[]> {
  const bundle = context.options.get(fromBundleOption);
  if (bundle) {
    const path = resolve(context.io.cwd, bundle);
    const location: ArtifactLocation = { kind: 'bundle', path };
    return { db: [location], 'java-db': [location], checks: [location] };
  }
  const db = readDbOptions(context.options, context.global.cacheDir, context.logger);
  return {
    db: db.vulnDb.repositories ?? [],
    'java-db': db.javaDb.repositories ?? [],
    checks: db.checks.repositories ?? [],
  };
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function mirrorLine(artifact: MirroredArtifact): string {
  const { tally } = artifact;
  const sent =
    tally.blobsStored > 0 || tally.manifestsWritten > 0
      ? `${tally.blobsStored} blob(s) sent (${mib(tally.bytesStored)}), ${tally.blobsPresent} already there`
      : 'already there, nothing sent';
  const tags = artifact.tags.join(',');
  return `${artifact.label}: ${artifact.source} -> ${artifact.destination}:${tags} (${artifact.manifestDigests.join(', ')}): ${sent}${artifact.signed ? '; signatures copied' : ''}\n`;
}

async function runMirror(context: CommandContext): Promise<number> {
  const to = context.options.get(toOption);
  if (!to)
    throw usageError('--to is required', 'vigil mirror --to registry.local:5000/trivy (or --to oci:/media/usb/mirror)');
  const target = parseMirrorTarget(to);
  const kinds = selectedKinds(context);
  const sources = sourcesFrom(context);
  const access = await createRegistryAccess(context, context.options.get(offlineOption) === true);
  try {
    const mirrored = await mirrorArtifacts(
      { kinds, sources, target, signatureKeys: context.options.get(dbSignatureKeyOption) },
      {
        registry: access.registry,
        logger: context.logger,
        scratchDir: cacheLayout(context.global.cacheDir).downloadsDir,
        signal: context.signal,
        progress: transferProgress(context),
      },
    );
    for (const artifact of mirrored) context.io.stdout.write(mirrorLine(artifact));
  } finally {
    await access.close();
  }
  return 0;
}

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
  run: runMirror,
};

async function runCreate(context: CommandContext): Promise<number> {
  const [fileArg] = context.args;
  if (!fileArg) throw usageError('give the bundle file to write', 'vigil bundle create vigil-bundle.tar');
  const offline = context.options.get(offlineOption) === true;
  const fromCache = context.options.get(fromCacheOption) === true || offline;
  if (offline && context.options.get(fromCacheOption) !== true) {
    context.logger.info('--offline: the bundle is packed from the cache');
  }
  const access = await createRegistryAccess(context, offline);
  try {
    const keepVex = offline || context.options.get(skipVexRepoUpdateOption) === true;
    const vexRepositories = await vexRepositoriesToBundle({
      vigilHome: context.global.vigilHome,
      repositoriesDir: cacheLayout(context.global.cacheDir).vexRepositoriesDir,
      network: keepVex ? undefined : vexRepositoryNetwork(context),
      now: context.io.now,
      logger: context.logger,
      signal: context.signal,
    });
    const result = await createBundle(
      {
        file: resolve(context.io.cwd, fileArg),
        kinds: selectedKinds(context),
        sources: fromCache ? { db: [], 'java-db': [], checks: [] } : sourcesFrom(context),
        fromCache,
        cacheDir: context.global.cacheDir,
        vexRepositories,
        signatureKeys: context.options.get(dbSignatureKeyOption),
      },
      {
        registry: access.registry,
        logger: context.logger,
        now: context.io.now,
        signal: context.signal,
        progress: transferProgress(context),
      },
    );
    for (const artifact of result.artifacts) {
      const built = artifact.updatedAt ? `, built ${artifact.updatedAt}` : '';
      const signed = artifact.signed ? ', signed' : '';
      context.io.stdout.write(`${artifact.name}: ${artifact.digest} from ${artifact.source}${built}${signed}\n`);
    }
    context.io.stdout.write(`wrote ${result.file} (${mib(result.bytes)})\n`);
  } finally {
    await access.close();
  }
  return 0;
}

async function runImport(context: CommandContext): Promise<number> {
  const [fileArg] = context.args;
  if (!fileArg) throw usageError('give the bundle file to import', 'vigil bundle import vigil-bundle.tar');
  const imported = await importBundle(
    {
      file: resolve(context.io.cwd, fileArg),
      cacheDir: context.global.cacheDir,
      signatureKeys: context.options.get(dbSignatureKeyOption),
      allowDowngrade: context.options.get(allowDbDowngradeOption) === true,
    },
    { logger: context.logger, now: context.io.now, signal: context.signal },
  );
  for (const artifact of imported) {
    const built = artifact.updatedAt ? `, built ${artifact.updatedAt}` : '';
    const signed = artifact.signedBy ? `, signature verified with ${artifact.signedBy}` : '';
    context.io.stdout.write(`${artifact.name}: installed ${artifact.digest}${built}${signed} at ${artifact.path}\n`);
  }
  await recordImportedVexRepositories(context.global.vigilHome, imported, context.logger);
  return 0;
}

function inspectTable(contents: BundleContents, now: number): string {
  const lines = [
    `Bundle ${contents.file} (${mib(contents.bytes)}${contents.created ? `, created ${contents.created}` : ''})`,
    '',
  ];
  for (const entry of contents.entries) {
    if (entry.kind === 'signature') continue;
    const age = entryAgeMs(entry, now);
    lines.push(`${entry.refName}  (${entry.kind})`);
    lines.push(`  Digest:     ${entry.digest}`);
    if (entry.schema !== undefined) lines.push(`  Schema:     ${entry.schema}`);
    if (entry.updatedAt)
      lines.push(`  UpdatedAt:  ${entry.updatedAt}${age === undefined ? '' : ` (${formatAge(age)} ago)`}`);
    if (entry.nextUpdate) lines.push(`  NextUpdate: ${entry.nextUpdate}`);
    if (entry.url) lines.push(`  URL:        ${entry.url}`);
    if (entry.source) lines.push(`  Source:     ${entry.source}`);
    if (entry.signed !== undefined)
      lines.push(`  Signed:     ${entry.signed ? 'yes (cosign signature included)' : 'no'}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

async function runInspect(context: CommandContext): Promise<number> {
  const [fileArg] = context.args;
  if (!fileArg) throw usageError('give the bundle file to inspect', 'vigil bundle inspect vigil-bundle.tar');
  const contents = await inspectBundle(resolve(context.io.cwd, fileArg));
  const now = context.io.now().getTime();
  if (context.options.require(inspectFormatOption) === 'json') {
    const artifacts = contents.entries.map((entry) => {
      const age = entryAgeMs(entry, now);
      return { ...entry, ...(age === undefined ? {} : { AgeSeconds: Math.floor(age / 1000) }) };
    });
    const document = { File: contents.file, Bytes: contents.bytes, Created: contents.created, Artifacts: artifacts };
    context.io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    context.io.stdout.write(inspectTable(contents, now));
  }
  return 0;
}

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
      run: runCreate,
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
      run: runImport,
    },
    {
      name: 'inspect',
      summary: 'list what a bundle holds: digests, sources, build times and ages',
      arguments: [{ name: 'FILE', required: true, description: 'bundle to inspect' }],
      options: [inspectFormatOption],
      run: runInspect,
    },
  ],
};
