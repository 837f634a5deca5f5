import { join } from 'node:path';

/**
 * Where everything lives under --cache-dir. The first four match Trivy's layout, so a cache
 * that Trivy or `oras pull` filled works unchanged; `scan/` is Vigil's own layer cache.
 */
export interface CacheLayout {
  readonly root: string;
  readonly vulnDbDir: string;
  readonly vulnDbFile: string;
  readonly vulnDbMetadata: string;
  readonly javaDbDir: string;
  readonly javaDbFile: string;
  readonly javaDbMetadata: string;
  readonly checksDir: string;
  readonly checksContent: string;
  readonly checksMetadata: string;
  readonly vexRepositoriesDir: string;
  readonly scanCacheDir: string;
  /** Downloads in progress, on the cache's file system so finished files are renamed into place. */
  readonly downloadsDir: string;
  /** Lock files that keep parallel updates of one artifact from downloading it twice. */
  readonly locksDir: string;
  /** Compressed `--input` archives unpacked for a scan. */
  readonly inputTempDir: string;
}

export function cacheLayout(root: string): CacheLayout {
  const vulnDbDir = join(root, 'db');
  const javaDbDir = join(root, 'java-db');
  const checksDir = join(root, 'policy');
  return {
    root,
    vulnDbDir,
    vulnDbFile: join(vulnDbDir, 'trivy.db'),
    vulnDbMetadata: join(vulnDbDir, 'metadata.json'),
    javaDbDir,
    javaDbFile: join(javaDbDir, 'trivy-java.db'),
    javaDbMetadata: join(javaDbDir, 'metadata.json'),
    checksDir,
    checksContent: join(checksDir, 'content'),
    checksMetadata: join(checksDir, 'metadata.json'),
    vexRepositoriesDir: join(root, 'vex', 'repositories'),
    inputTempDir: join(root, 'tmp'),
    scanCacheDir: join(root, 'scan'),
    downloadsDir: join(root, 'downloads'),
    locksDir: join(root, 'locks'),
  };
}
