import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { CacheLayout } from '../../cache/layout.ts';
import { describeError, VigilError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';

/**
 * Installing without ever exposing a half-written artifact: everything is downloaded and checked in
 * a staging directory on the cache's file system, then renamed into place, data first and
 * metadata.json last, each rename atomic. Readers never lock: an open file keeps its old inode.
 */

const STALE_STAGING_MS = 24 * 3_600_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StagingArea {
  readonly dir: string;
  dispose(): Promise<void>;
}

function cacheWriteError(path: string, error: unknown): VigilError {
  return new VigilError('CACHE_WRITE_FAILED', `cannot write to the cache at ${path}: ${describeError(error)}`, {
    hint: 'check the permissions and free space of --cache-dir',
  });
}

/** A fresh directory for one download, named so a later run can tell whether its owner still lives. */
export async function createStaging(layout: CacheLayout, kind: string): Promise<StagingArea> {
  try {
    await mkdir(layout.downloadsDir, { recursive: true });
    const dir = await mkdtemp(join(layout.downloadsDir, `${kind}-${process.pid}-`));
    return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    throw cacheWriteError(layout.downloadsDir, error);
  }
}

/** Removes what killed downloads left behind: their process is gone, or they are a day old. */
export async function removeAbandonedStaging(layout: CacheLayout, logger: Logger, now: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(layout.downloadsDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^[\w-]+?-(\d+)-\w+$/.exec(name)?.[1]);
    const path = join(layout.downloadsDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    const abandoned =
      (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) || now - info.mtimeMs > STALE_STAGING_MS;
    if (abandoned) {
      logger.debug(`removing an abandoned download: ${path}`);
      await rm(path, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

export interface InstallLockOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Give up waiting after this long and go on without the lock (default 15 min). */
  readonly maxWaitMs?: number;
  /** A lock whose owner cannot be checked (another host) counts as abandoned after this long (default 30 min). */
  readonly staleMs?: number;
  readonly pollMs?: number;
}

/**
 * Keeps parallel updates of one artifact from downloading it several times: the first takes the
 * lock, the others wait and then find the cache fresh. Correctness never depends on it (every
 * install is atomic), so an abandoned or unobtainable lock is logged and passed over.
 */
export async function acquireInstallLock(
  layout: CacheLayout,
  kind: string,
  options: InstallLockOptions,
): Promise<() => Promise<void>> {
  const path = join(layout.locksDir, `${kind}.lock`);
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const maxWait = options.maxWaitMs ?? 15 * 60_000;
  const staleMs = options.staleMs ?? 30 * 60_000;
  const started = Date.now();
  let announced = false;
  try {
    await mkdir(layout.locksDir, { recursive: true });
  } catch (error) {
    throw cacheWriteError(layout.locksDir, error);
  }
  for (;;) {
    try {
      const handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      return async () => {
        const current = await readFile(path, 'utf8').catch(() => '');
        if (current.includes(owner.token)) await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cacheWriteError(path, error);
    }
    if (await lockAbandoned(path, staleMs)) {
      options.logger.debug(`removing the abandoned lock ${path}`);
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() - started > maxWait) {
      options.logger.warn(`${path} is still held after ${Math.round(maxWait / 1000)}s; going on without it`);
      return async () => undefined;
    }
    if (!announced) {
      options.logger.info(`waiting for another Vigil process that is updating the ${kind} in this cache`);
      announced = true;
    }
    await delay(options.pollMs ?? 200, undefined, { signal: options.signal });
  }
}

async function lockAbandoned(path: string, staleMs: number): Promise<boolean> {
  const [text, info] = await Promise.all([
    readFile(path, 'utf8').catch(() => undefined),
    stat(path).catch(() => undefined),
  ]);
  if (!info) return false;
  let owner: Partial<LockOwner> = {};
  try {
    owner = JSON.parse(text ?? '') as Partial<LockOwner>;
  } catch {
    // Half-written by a process killed between create and write: judge by age.
  }
  if (owner.host === hostname() && typeof owner.pid === 'number') return !processAlive(owner.pid);
  return Date.now() - info.mtimeMs > staleMs;
}

/** Writes, flushes and closes a file, so a rename of it publishes complete content. */
export async function writeDurably(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse to fsync a directory; the renames are still atomic.
  } finally {
    await handle.close();
  }
}

/** Moves staged files into `targetDir` in the given order (metadata last), each by an atomic rename. */
export async function publishFiles(stagedFiles: readonly string[], targetDir: string): Promise<void> {
  try {
    await mkdir(targetDir, { recursive: true });
    // Flushed together: one wait for the disk instead of one per file.
    await Promise.all(stagedFiles.map(syncFile));
    for (const file of stagedFiles) await rename(file, join(targetDir, basename(file)));
    await syncDirectory(targetDir);
  } catch (error) {
    throw cacheWriteError(targetDir, error);
  }
}

/** How many files of a tree are flushed at once (the thread pool runs four at a time anyway). */
const SYNC_CONCURRENCY = 8;

/** Flushes every file and directory under `root`, so a rename of `root` publishes complete content. */
async function syncTree(root: string): Promise<void> {
  const files: string[] = [];
  const directories: string[] = [root];
  for (let index = 0; index < directories.length; index++) {
    const dir = directories[index] as string;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) directories.push(path);
      else if (entry.isFile()) files.push(path);
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < files.length) await syncFile(files[next++] as string);
  };
  await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, files.length) }, worker));
  await Promise.all(directories.map(syncDirectory));
}

/**
 * Replaces a directory tree (the checks' content/) with a staged one, flushed to disk first. A
 * directory cannot be swapped in one step, so the old tree is moved aside first; the gap is two
 * renames long.
 */
export async function publishTree(stagedDir: string, targetDir: string): Promise<void> {
  const aside = `${targetDir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await syncTree(stagedDir);
    await mkdir(dirname(targetDir), { recursive: true });
    const moved = await rename(targetDir, aside).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    try {
      await rename(stagedDir, targetDir);
    } catch (error) {
      if (moved) await rename(aside, targetDir).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(targetDir));
    if (moved) await rm(aside, { recursive: true, force: true });
  } catch (error) {
    throw cacheWriteError(targetDir, error);
  }
}
