import { VigilError } from '../../errors/index.ts';
import { BoltBucket, type BoltKey } from './bucket.ts';
import { type BoltMeta, decodeMeta } from './format.ts';
import { PageFile } from './page-file.ts';
import type { PageReadStats } from './page-stats.ts';

export interface BoltOpenOptions {
  /** Size of the page cache in bytes (default 8 MiB); pages with overflow get up to a quarter more. */
  readonly cacheBytes?: number;
  /** Count the time spent in read calls in `stats.readMs` (for benchmarks). */
  readonly timeReads?: boolean;
}

/** A read-only bbolt database. Safe for many processes at once: nothing is locked or written. */
export interface BoltDb {
  readonly path: string;
  readonly meta: BoltMeta;
  /** The top-level bucket namespace. */
  readonly root: BoltBucket;
  /** A nested bucket by path, or undefined when any level is missing. */
  bucket(...path: BoltKey[]): BoltBucket | undefined;
  readonly stats: PageReadStats;
  close(): void;
}

/** Opens a bbolt file read-only, validating both meta pages and using the newest valid one. */
export function openBolt(path: string, options: BoltOpenOptions = {}): BoltDb {
  const file = new PageFile(path, options.cacheBytes ?? 8 * 1024 * 1024, options.timeReads === true);
  try {
    const meta = readMeta(file);
    file.setGeometry(meta.pageSize, meta.pageCount);
    const root = BoltBucket.atPage(file, meta.rootPgid);
    return {
      path,
      meta,
      root,
      bucket: (...names) => root.bucketPath(names),
      stats: file.stats,
      close: () => file.close(),
    };
  } catch (error) {
    file.close();
    throw error;
  }
}

function readMeta(file: PageFile): BoltMeta {
  if (file.fileSize < 1024) throw file.corrupt(`the file is only ${file.fileSize} bytes long`);
  const first = decodeMeta(file.readAt(0, 4096));
  const pageSize = first.ok ? first.meta.pageSize : 4096;
  const second = decodeMeta(file.readAt(pageSize, 4096));
  const candidates = [first, second].flatMap((check) => (check.ok ? [check.meta] : []));
  if (candidates.length === 0) {
    const reason = first.ok ? '' : first.reason;
    throw new VigilError('BOLT_CORRUPT', `${file.path} is not a valid bbolt file: ${reason || 'no valid meta page'}`, {
      hint: 'the file is damaged or not a bbolt database; download it again (vigil db pull)',
    });
  }
  const meta = candidates.reduce((best, next) => (next.txid > best.txid ? next : best));
  if (!Number.isSafeInteger(meta.pageCount) || meta.pageCount < 3) {
    throw file.corrupt(`meta page count ${meta.pageCount} is invalid`);
  }
  if (meta.pageCount * meta.pageSize > file.fileSize) {
    throw file.corrupt(
      `the file is truncated: ${file.fileSize} bytes, but the meta page says ${meta.pageCount} pages of ${meta.pageSize}`,
    );
  }
  if (meta.rootPgid < 2 || meta.rootPgid >= meta.pageCount) {
    throw file.corrupt(`root bucket page ${meta.rootPgid} is outside the file`);
  }
  return meta;
}
