import type { Logger } from '../../log/index.ts';

/** End-of-life moments by release, as Trivy's detectors list them. */
export type EolTable = ReadonlyMap<string, Date>;

/** The last second of a day, UTC: Trivy's EOL dates are `time.Date(y, m, d, 23, 59, 59, 0, UTC)`. */
export function endOfDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
}

export function eolTable(entries: ReadonlyArray<readonly [string, number, number, number]>): EolTable {
  return new Map(entries.map(([release, year, month, day]) => [release, endOfDay(year, month, day)]));
}

/** `8.1` → `8` (Trivy's osver.Major). */
export function majorVersion(version: string): string {
  const dot = version.indexOf('.');
  return dot < 0 ? version : version.slice(0, dot);
}

/** `3.17.2` → `3.17` (Trivy's osver.Minor). */
export function minorVersion(version: string): string {
  const dot = version.indexOf('.');
  if (dot < 0) return version;
  const next = version.indexOf('.', dot + 1);
  return next < 0 ? version : version.slice(0, next);
}

/**
 * Trivy's osver.Supported: a release is supported until its EOL moment. A release missing from the
 * table may be newer than the table, so it counts as supported (with a debug note).
 */
export function supportedUntilEol(
  table: EolTable | undefined,
  family: string,
  release: string,
  now: Date,
  logger: Logger,
): boolean {
  const eol = table?.get(release);
  if (eol === undefined) {
    logger.debug(`This OS version is not on the EOL list: family=${family} version=${release}`);
    return true;
  }
  return now.getTime() < eol.getTime();
}
