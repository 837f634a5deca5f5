import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describeError, VigilError } from '../errors/index.ts';
import type { Inventory } from './applier.ts';
import { applyLayers } from './applier.ts';
import { FileCollector } from './collector.ts';
import type { AnalysisDeps } from './image-artifact.ts';

/**
 * Analyzes a directory (`vigil fs`, `vigil rootfs`) as one layer. Symbolic links are never
 * followed, so a link cannot lead the scan outside the directory; files are read only when an
 * analyzer asks for them.
 */
export async function analyzeDirectory(root: string, deps: AnalysisDeps): Promise<Inventory> {
  const info = await lstat(root).catch((error: unknown) => {
    throw new VigilError('TARGET_NOT_FOUND', `cannot read ${root}: ${describeError(error)}`, {
      hint: 'pass an existing directory',
    });
  });
  const collector = new FileCollector(deps.analyzers, deps.filter, deps.context, deps.logger);
  if (info.isFile()) {
    // One file (`vigil fs package-lock.json`): analyzed as if its folder held nothing else.
    const fileInfo = { size: info.size, mode: info.mode };
    if (collector.wants(basename(root), fileInfo))
      await collector.lazyFile(basename(root), fileInfo, () => readFile(root));
    return applyLayers([{ ref: {}, result: await collector.analyze(), whiteouts: [], opaqueDirs: [] }]);
  }
  if (!info.isDirectory()) {
    throw new VigilError('TARGET_NOT_DIRECTORY', `${root} is neither a directory nor a regular file`, {
      hint: 'to scan an image archive use `vigil image --input FILE`',
    });
  }
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, relative), { withFileTypes: true });
    } catch (error) {
      deps.logger.warn(`cannot list ${join(root, relative)}: ${describeError(error)}`);
      continue;
    }
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!deps.filter.skipDir(path)) pending.push(path);
      } else if (entry.isFile()) {
        const absolute = join(root, path);
        const stats = await lstat(absolute).catch(() => undefined);
        if (!stats) continue;
        const fileInfo = { size: stats.size, mode: stats.mode };
        if (collector.wants(path, fileInfo)) await collector.lazyFile(path, fileInfo, () => readFile(absolute));
      }
    }
  }
  const result = await collector.analyze();
  return applyLayers([{ ref: {}, result, whiteouts: [], opaqueDirs: [] }]);
}
