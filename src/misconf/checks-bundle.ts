import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cacheLayout } from '../cache/layout.ts';
import {
  type ArtifactDeps,
  type ArtifactUpdateOptions,
  artifactPaths,
  type CachedChecks,
  type ChecksMetadataFile,
  ensureChecksBundle,
  readChecksMetadata,
  readSourceRecord,
  type SourceRecord,
} from '../db/artifact/index.ts';
import { describeError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';

/** Version label of the checks written for Vigil and shipped in the package. */
export const EMBEDDED_CHECKS_VERSION = '1';

/** The embedded checks, read at run time next to this module. */
export const EMBEDDED_CHECKS_DIR = fileURLToPath(new URL('./checks/', import.meta.url));

/** Which checks a scan used, for the report. */
export type ChecksBundleInfo =
  | { readonly source: 'embedded'; readonly version: string; readonly path: string }
  | {
      readonly source: 'bundle';
      /** `<cache>/policy/content`. */
      readonly path: string;
      /** The manifest digest the bundle was pulled at. */
      readonly digest: string;
      /** The bundle's major version, or `custom` for a build without a semantic version. */
      readonly version: string;
      readonly downloadedAt: string;
      readonly repository?: string;
    };

export function embeddedChecks(): ChecksBundleInfo {
  return { source: 'embedded', version: EMBEDDED_CHECKS_VERSION, path: EMBEDDED_CHECKS_DIR };
}

function bundleInfo(
  path: string,
  metadata: ChecksMetadataFile | undefined,
  source: SourceRecord | undefined,
): ChecksBundleInfo {
  const version = metadata?.CustomBuild ? 'custom' : String(metadata?.MajorVersion ?? 'unknown');
  return {
    source: 'bundle',
    path,
    digest: metadata?.Digest || source?.ManifestDigest || '',
    version,
    downloadedAt: metadata?.DownloadedAt ?? '',
    ...(source?.Repository ? { repository: source.Repository } : {}),
  };
}

/** A bundle the artifact lifecycle handed over. */
export function checksBundleFrom(cached: CachedChecks): ChecksBundleInfo {
  return bundleInfo(cached.path, cached.metadata, cached.source);
}

/**
 * The cached bundle as it is, without any network (for callers with no registry, or offline):
 * undefined when `<cache>/policy` holds no content directory with readable metadata.
 */
export async function cachedChecksBundle(cacheDir: string): Promise<ChecksBundleInfo | undefined> {
  const paths = artifactPaths(cacheLayout(cacheDir), 'checks');
  const metadata = readChecksMetadata(paths.metadata);
  const content = await stat(paths.data).catch(() => undefined);
  if (metadata.state !== 'ok' || !content?.isDirectory()) return undefined;
  return bundleInfo(paths.data, metadata.value, readSourceRecord(paths.source));
}

export interface ObtainChecksOptions {
  /** `--skip-check-update` given by the user: a missing bundle is then an error, as in Trivy. */
  readonly explicitSkip: boolean;
  readonly logger: Logger;
}

/**
 * The checks for a scan: the bundle from the artifact lifecycle (which downloads it when Trivy's
 * rules say so and keeps using a cached bundle when the registry is out of reach), or the
 * embedded checks when no bundle can be had. Unlike Trivy, an offline scan with a cached bundle
 * uses that bundle rather than the embedded checks.
 */
export async function obtainChecksBundle(
  update: ArtifactUpdateOptions,
  deps: ArtifactDeps,
  options: ObtainChecksOptions,
): Promise<ChecksBundleInfo> {
  try {
    return checksBundleFrom(await ensureChecksBundle(update, deps));
  } catch (error) {
    if (options.explicitSkip || deps.signal?.aborted) throw error;
    const cached = await cachedChecksBundle(update.cacheDir);
    if (cached) {
      options.logger.warn(`cannot update the checks bundle (${describeError(error)}); using the cached one`);
      return cached;
    }
    options.logger[update.skipUpdate ? 'info' : 'warn'](
      update.skipUpdate
        ? 'no checks bundle in the cache; using the checks embedded in Vigil'
        : `cannot get the checks bundle (${describeError(error)}); using the checks embedded in Vigil`,
    );
    return embeddedChecks();
  }
}
