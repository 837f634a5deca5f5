import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult } from '../analyzer/types.ts';
import type { Logger } from '../log/index.ts';

/** What one layer's analysis leaves behind: enough to rebuild the inventory without reading it again. */
export interface LayerAnalysis {
  diffId: string;
  uncompressedSize: number;
  result: AnalysisResult;
  whiteouts: string[];
  opaqueDirs: string[];
}

export interface ScanCache {
  get(key: string): Promise<LayerAnalysis | undefined>;
  put(key: string, value: LayerAnalysis): Promise<void>;
}

export interface ScanCacheOptions {
  /** Total size kept on disk; the least recently used entries go first. */
  maxBytes: number;
  logger: Logger;
}

const FORMAT = 1;

/** The cache key: the layer's content plus everything that shapes the analysis of it. */
export function layerCacheKey(parts: {
  diffId: string;
  analyzers: ReadonlyArray<{ type: string; version: number }>;
  settings: Readonly<Record<string, unknown>>;
}): string {
  const analyzers = parts.analyzers.map((analyzer) => `${analyzer.type}@${analyzer.version}`).sort();
  const material = JSON.stringify({ format: FORMAT, diffId: parts.diffId, analyzers, settings: parts.settings });
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Content-addressed files under `<cache>/scan/`: each entry is written to a temporary name and
 * renamed into place, so parallel processes never see half an entry and need no lock.
 */
export function fileScanCache(dir: string, options: ScanCacheOptions): ScanCache {
  const entryPath = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    async get(key) {
      const path = entryPath(key);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        return undefined;
      }
      try {
        const value = JSON.parse(text) as { format?: number; layer?: LayerAnalysis };
        if (value.format !== FORMAT || !value.layer) return undefined;
        const now = new Date();
        await utimes(path, now, now).catch(() => {});
        return value.layer;
      } catch {
        options.logger.debug(`scan cache entry ${path} is unreadable; analysing the layer again`);
        await rm(path, { force: true });
        return undefined;
      }
    },
    async put(key, layer) {
      const path = entryPath(key);
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
      const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, JSON.stringify({ format: FORMAT, layer }));
      await rename(temporary, path);
      await prune(dir, options);
    },
  };
}

async function prune(dir: string, options: ScanCacheOptions): Promise<void> {
  const entries: Array<{ path: string; size: number; used: number }> = [];
  let total = 0;
  for (const shard of await readdir(dir).catch(() => [] as string[])) {
    for (const name of await readdir(join(dir, shard)).catch(() => [] as string[])) {
      const path = join(dir, shard, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      entries.push({ path, size: info.size, used: info.mtimeMs });
      total += info.size;
    }
  }
  if (total <= options.maxBytes) return;
  entries.sort((a, b) => a.used - b.used);
  for (const entry of entries) {
    if (total <= options.maxBytes) break;
    await rm(entry.path, { force: true });
    total -= entry.size;
    options.logger.debug(`scan cache over its size limit: dropped ${entry.path}`);
  }
}
