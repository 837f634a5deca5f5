import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheLayout } from '../cache/layout.ts';
import { describeError, VigilError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';

/** trivy-checks bundles of this major version are current (Trivy's `BundleVersion`). */
export const CHECKS_BUNDLE_MAJOR_VERSION = 2;
/** A downloaded bundle is checked against its registry again after this long. */
export const CHECKS_BUNDLE_REFRESH_MS = 24 * 60 * 60 * 1000;
/** Version label of the checks written for Vigil and shipped in the package. */
export const EMBEDDED_CHECKS_VERSION = '1';

/** The embedded checks, read at run time next to this module. */
export const EMBEDDED_CHECKS_DIR = fileURLToPath(new URL('./checks/', import.meta.url));

/** `<cache>/policy/metadata.json` as Trivy writes it. */
export interface ChecksBundleMetadata {
  Digest?: string;
  DownloadedAt?: string;
  MajorVersion?: number;
  CustomBuild?: boolean;
  /** Not written by Trivy; kept when a puller records the full `org.opencontainers.image.version`. */
  Version?: string;
  Repository?: string;
}

/** Which checks a scan used, for the report. */
export type ChecksBundleInfo =
  | { readonly source: 'embedded'; readonly version: string; readonly path: string }
  | {
      readonly source: 'bundle';
      readonly path: string;
      readonly digest: string;
      readonly version: string;
      readonly downloadedAt: string;
      readonly repository?: string;
    };

/** Reads `policy/metadata.json`; undefined when missing or not a JSON object (Trivy then re-downloads). */
export async function readChecksBundleMetadata(cacheDir: string): Promise<ChecksBundleMetadata | undefined> {
  const text = await readFile(cacheLayout(cacheDir).checksMetadata, 'utf8').catch(() => undefined);
  if (text === undefined || text.length > 1024 * 1024) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const raw = parsed as Record<string, unknown>;
    const meta: ChecksBundleMetadata = {};
    if (typeof raw.Digest === 'string') meta.Digest = raw.Digest;
    if (typeof raw.DownloadedAt === 'string') meta.DownloadedAt = raw.DownloadedAt;
    if (typeof raw.MajorVersion === 'number' && Number.isInteger(raw.MajorVersion))
      meta.MajorVersion = raw.MajorVersion;
    if (raw.CustomBuild === true) meta.CustomBuild = true;
    if (typeof raw.Version === 'string') meta.Version = raw.Version;
    if (typeof raw.Repository === 'string') meta.Repository = raw.Repository;
    return meta;
  } catch {
    return undefined;
  }
}

export type ChecksUpdateReason = 'missing' | 'old-major-version' | 'stale';

/**
 * Trivy's update rule for the checks bundle: download when there is no usable metadata, when a
 * non-custom bundle has another major version, or when it was downloaded more than 24 hours ago
 * (then the puller compares the registry's digest and only refreshes DownloadedAt on a match).
 */
export function checksBundleUpdateReason(
  metadata: ChecksBundleMetadata | undefined,
  now: Date,
): ChecksUpdateReason | undefined {
  if (metadata === undefined) return 'missing';
  if (!metadata.CustomBuild && metadata.MajorVersion !== CHECKS_BUNDLE_MAJOR_VERSION) return 'old-major-version';
  const downloaded = Date.parse(metadata.DownloadedAt ?? '');
  if (!Number.isFinite(downloaded) || now.getTime() - downloaded > CHECKS_BUNDLE_REFRESH_MS) return 'stale';
  return undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function bundleInfo(contentDir: string, meta: ChecksBundleMetadata): ChecksBundleInfo {
  const version = meta.Version ?? (meta.CustomBuild ? 'custom' : String(meta.MajorVersion ?? 'unknown'));
  return {
    source: 'bundle',
    path: contentDir,
    digest: meta.Digest ?? '',
    version,
    downloadedAt: meta.DownloadedAt ?? '',
    ...(meta.Repository === undefined ? {} : { repository: meta.Repository }),
  };
}

export interface ChecksBundleOptions {
  readonly cacheDir: string;
  /** `--skip-check-update`: use the cached bundle, never download. */
  readonly skipUpdate: boolean;
  readonly now: Date;
  readonly logger: Logger;
  /**
   * Downloads the bundle into `<cache>/policy` (the DB artifact lifecycle). Absent when no puller
   * is wired in; then a cached bundle is used as it is, or the embedded checks.
   */
  readonly update?: (reason: ChecksUpdateReason) => Promise<void>;
}

/**
 * Picks the checks for a scan. A usable cached bundle wins; an update is tried when Trivy would
 * try one; when it fails the cached bundle is still used (Trivy would fall back to its embedded
 * checks, which would make an offline scan depend on the age of the cache), and only without a
 * cached bundle the embedded checks are used.
 */
export async function resolveChecksBundle(options: ChecksBundleOptions): Promise<ChecksBundleInfo> {
  const layout = cacheLayout(options.cacheDir);
  const embedded: ChecksBundleInfo = {
    source: 'embedded',
    version: EMBEDDED_CHECKS_VERSION,
    path: EMBEDDED_CHECKS_DIR,
  };
  const cached = async () => {
    const meta = await readChecksBundleMetadata(options.cacheDir);
    return meta !== undefined && (await isDirectory(layout.checksContent))
      ? bundleInfo(layout.checksContent, meta)
      : undefined;
  };
  if (options.skipUpdate) {
    const bundle = await cached();
    if (bundle) return bundle;
    throw new VigilError('CHECKS_CACHE_MISSING', `cache does not exist at "${resolve(layout.checksDir)}"`, {
      hint: 'run once without --skip-check-update, or copy a checks bundle into <cache-dir>/policy',
    });
  }
  const reason = checksBundleUpdateReason(await readChecksBundleMetadata(options.cacheDir), options.now);
  if (reason !== undefined && options.update) {
    try {
      await options.update(reason);
    } catch (error) {
      const fallback = await cached();
      options.logger.warn(
        `cannot update the checks bundle (${describeError(error)}); using ${fallback ? 'the cached bundle' : 'the embedded checks'}`,
      );
      return fallback ?? embedded;
    }
  }
  const bundle = await cached();
  if (bundle) return bundle;
  options.logger.debug('no checks bundle in the cache; using the embedded checks');
  return embedded;
}
