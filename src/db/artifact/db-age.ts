import { VigilError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';
import type { ArtifactPaths, ArtifactSpec } from './artifact-kinds.ts';
import { type DbMetadataFile, parseGoTime } from './metadata.ts';

/** Older than this, every use of a DB logs a warning. */
export const DB_AGE_WARNING_MS = 7 * 86_400_000;

/** A DB's age: time since it was built (UpdatedAt), else since it was downloaded. */
export function dbAgeMs(metadata: DbMetadataFile, now: number): number | undefined {
  const built = parseGoTime(metadata.UpdatedAt) ?? parseGoTime(metadata.DownloadedAt);
  return built === undefined ? undefined : Math.max(0, now - built);
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** A readable duration in its largest unit and the next: `3d4h`, `5h0m`, `40s`. */
export function formatAge(ms: number): string {
  const rest = Math.max(0, Math.floor(ms));
  const first = UNITS.findIndex(([, size]) => rest >= size);
  if (first === -1) return '0s';
  const [unit, size] = UNITS[first] as readonly [string, number];
  const next = UNITS[first + 1];
  const head = `${Math.floor(rest / size)}${unit}`;
  return next ? `${head}${Math.floor((rest % size) / next[1])}${next[0]}` : head;
}

/**
 * Logs the DB's age on every use, warns past a week, and refuses it past --db-max-age: a stale DB
 * hides new vulnerabilities, and in an air gap nothing else would say so.
 */
export function checkDbAge(
  spec: ArtifactSpec,
  paths: ArtifactPaths,
  metadata: DbMetadataFile,
  now: number,
  maxAgeMs: number | undefined,
  logger: Logger,
): number | undefined {
  const age = dbAgeMs(metadata, now);
  if (age === undefined) {
    logger.warn(`the ${spec.label} at ${paths.data} has no build time in ${paths.metadata}`);
    if (maxAgeMs !== undefined && maxAgeMs > 0) {
      throw new VigilError('DB_TOO_OLD', `the age of the ${spec.label} is unknown and --db-max-age is set`, {
        hint: `update it with '${spec.pullCommand}'`,
      });
    }
    return undefined;
  }
  const text = `the ${spec.label} was built ${metadata.UpdatedAt} (${formatAge(age)} ago)`;
  if (maxAgeMs !== undefined && maxAgeMs > 0 && age > maxAgeMs) {
    throw new VigilError('DB_TOO_OLD', `${text}, older than --db-max-age ${formatAge(maxAgeMs)}`, {
      hint: `update it with '${spec.pullCommand}' (or bring a newer cache to this machine), or raise --db-max-age`,
    });
  }
  if (age > DB_AGE_WARNING_MS) logger.warn(`${text}; update it with '${spec.pullCommand}'`);
  else logger.info(text);
  return age;
}
