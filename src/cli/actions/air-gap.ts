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
import type { CommandContext } from '../command.ts';
import {
  type dbSelectOption,
  fromBundleOption,
  fromCacheOption,
  inspectFormatOption,
  KINDS,
  SELECT_OPTIONS,
  toOption,
} from '../commands/air-gap.ts';
import { allowDbDowngradeOption, dbSignatureKeyOption } from '../db-options.ts';
import { readDbOptions } from '../db-settings.ts';
import { offlineOption } from '../network-options.ts';
import { createRegistryAccess, transferProgress } from '../registry-access.ts';
import { skipVexRepoUpdateOption } from '../vex-options.ts';

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

export async function runMirror(context: CommandContext): Promise<number> {
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

export async function runCreate(context: CommandContext): Promise<number> {
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
      // The VEX code loads only for the commands that carry VEX repositories.
      network: keepVex ? undefined : (await import('../vex-sources.ts')).vexRepositoryNetwork(context),
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

export async function runImport(context: CommandContext): Promise<number> {
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

export async function runInspect(context: CommandContext): Promise<number> {
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
