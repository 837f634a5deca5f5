import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult, Analyzer, CollectedFiles } from '../analyzer/types.ts';
import type { PathFilter } from '../artifact/path-filter.ts';
import { describeError, VigilError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import { type ConfigFile, isConfigCandidate, MAX_CONFIG_FILE_BYTES, mightBeConfig } from './scan.ts';

/** Bounds a scan of a huge tree: past this many candidate files, or bytes held, the rest are skipped with a warning. */
export const MAX_CONFIG_FILES = 100_000;
export const MAX_CONFIG_TOTAL_BYTES = 512 * 1024 * 1024;

/**
 * The files under a directory that may be Dockerfiles or manifests (`vigil config DIR`), by path
 * relative to it; scanMisconfigurations decides. Symbolic links are not followed, `.git` is skipped.
 */
export async function collectConfigFiles(root: string, filter: PathFilter, logger: Logger): Promise<ConfigFile[]> {
  const info = await lstat(root).catch((error: unknown) => {
    throw new VigilError('TARGET_NOT_FOUND', `cannot read ${root}: ${describeError(error)}`, {
      hint: 'pass an existing directory',
    });
  });
  if (!info.isDirectory()) {
    throw new VigilError('TARGET_NOT_DIRECTORY', `${root} is not a directory`, { hint: 'pass the directory to scan' });
  }
  const files: ConfigFile[] = [];
  const pending: string[] = [''];
  let candidates = 0;
  let held = 0;
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, relative), { withFileTypes: true });
    } catch (error) {
      logger.warn(`cannot list ${join(root, relative)}: ${describeError(error)}`);
      continue;
    }
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && !filter.skipDir(path)) pending.push(path);
        continue;
      }
      if (!entry.isFile() || !isConfigCandidate(path) || filter.skipFile(path)) continue;
      candidates += 1;
      if (candidates > MAX_CONFIG_FILES) {
        logger.warn(`more than ${MAX_CONFIG_FILES} candidate files under ${root}; the rest are not checked`);
        return sortByPath(files);
      }
      const absolute = join(root, path);
      const stats = await lstat(absolute).catch(() => undefined);
      if (!stats || stats.size > MAX_CONFIG_FILE_BYTES) {
        if (stats) logger.warn(`skipping ${path}: larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
        continue;
      }
      const content = await readFile(absolute, 'utf8').catch((error: unknown) => {
        logger.warn(`cannot read ${path}: ${describeError(error)}`);
        return undefined;
      });
      if (content === undefined || !mightBeConfig(path, content)) continue;
      held += content.length;
      if (held > MAX_CONFIG_TOTAL_BYTES) {
        logger.warn(`config files under ${root} exceed ${MAX_CONFIG_TOTAL_BYTES} bytes; the rest are not checked`);
        return sortByPath(files);
      }
      files.push({ path, content });
    }
  }
  return sortByPath(files);
}

const sortByPath = <T extends { path: string }>(files: T[]): T[] =>
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/** An analysis result carrying the config files an image layer or directory holds (`ConfigFiles`). */
export type ConfigFilesResult = AnalysisResult;

/**
 * The analyzer for `--scanners misconfig` in fs, rootfs and image scans: collects Dockerfiles and
 * Kubernetes manifests (as `ConfigFiles`) so the scan can check them after layers are applied.
 */
export const misconfigAnalyzer: Analyzer = {
  type: 'misconfig',
  version: 1,
  scanKinds: ['fs', 'rootfs', 'image'],
  maxFileSize: MAX_CONFIG_FILE_BYTES,
  required: (path) => isConfigCandidate(path),
  async analyze(files: CollectedFiles): Promise<ConfigFilesResult> {
    const found: Array<{ path: string; content: string }> = [];
    for (const path of files.paths()) {
      const content = (await files.read(path)).toString('utf8');
      if (mightBeConfig(path, content)) found.push({ path, content });
    }
    return found.length > 0 ? { ConfigFiles: sortByPath(found) } : {};
  },
};
