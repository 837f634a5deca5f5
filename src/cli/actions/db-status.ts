import { type ArtifactStatus, allArtifactStatus, formatAge } from '../../db/artifact/index.ts';
import type { CommandContext } from '../command.ts';
import { statusFormatOption } from '../commands/db-status.ts';

export async function runStatus(context: CommandContext): Promise<number> {
  const statuses = await allArtifactStatus(context.global.cacheDir, context.io.now().getTime());
  const out = context.io.stdout;
  if (context.options.require(statusFormatOption) === 'json') {
    out.write(
      `${JSON.stringify({ CacheDir: context.global.cacheDir, Artifacts: statuses.map(statusJson) }, null, 2)}\n`,
    );
  } else {
    out.write(statuses.map(statusText).join('\n'));
  }
  return 0;
}

function statusJson(status: ArtifactStatus): Record<string, unknown> {
  return {
    Kind: status.kind,
    Path: status.path,
    Present: status.present,
    ...(status.problem ? { Problem: status.problem } : {}),
    ...(status.schema === undefined ? {} : { Schema: status.schema }),
    ...(status.updatedAt ? { UpdatedAt: status.updatedAt } : {}),
    ...(status.nextUpdate ? { NextUpdate: status.nextUpdate } : {}),
    ...(status.downloadedAt ? { DownloadedAt: status.downloadedAt } : {}),
    ...(status.ageMs === undefined ? {} : { AgeSeconds: Math.floor(status.ageMs / 1000) }),
    ...(status.sizeBytes === undefined ? {} : { SizeBytes: status.sizeBytes }),
    ...(status.repository ? { Repository: status.repository } : {}),
    ...(status.manifestDigest ? { ManifestDigest: status.manifestDigest } : {}),
  };
}

function statusText(status: ArtifactStatus): string {
  const title = status.label.charAt(0).toUpperCase() + status.label.slice(1);
  if (!status.present && !status.problem) {
    const command =
      status.kind === 'db'
        ? 'vigil db pull'
        : status.kind === 'java-db'
          ? 'vigil db pull --java'
          : 'vigil db pull --checks';
    return `${title}: not in the cache (${status.path}); '${command}' downloads it\n`;
  }
  const rows: Array<[string, string | undefined]> = [
    ['Path', status.path],
    ['Problem', status.problem],
    ['Schema', status.schema === undefined ? undefined : String(status.schema)],
    ['UpdatedAt', status.updatedAt],
    ['NextUpdate', status.nextUpdate],
    ['DownloadedAt', status.downloadedAt],
    ['Age', status.ageMs === undefined ? undefined : formatAge(status.ageMs)],
    ['Size', status.sizeBytes === undefined ? undefined : `${status.sizeBytes} bytes`],
    ['Repository', status.repository ?? 'unknown (not pulled by Vigil)'],
    ['Digest', status.manifestDigest],
  ];
  const lines = rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([name, value]) => `  ${`${name}:`.padEnd(14)}${value}`);
  return `${title}\n${lines.join('\n')}\n`;
}
