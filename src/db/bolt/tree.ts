import { VigilError } from '../../errors/index.ts';
import { BoltWriter, type BoltWriterOptions } from './writer.ts';

/**
 * A bbolt database held in memory: a Map per bucket, keyed by UTF-8 strings; a Map value is a
 * nested bucket, anything else a value. Handy for test DBs and DBs built from fixtures, where
 * the content is small enough to sort in memory before writing.
 */
export type BoltTree = Map<string, BoltTreeNode>;
export type BoltTreeNode = BoltTree | string | Uint8Array;

/** Keys in bbolt order: ascending bytes of their UTF-8 encoding. */
export function sortedKeys(bucket: BoltTree): string[] {
  return [...bucket.keys()]
    .map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((entry) => entry.key);
}

/** The nested bucket at `path`, created (like bbolt's CreateBucketIfNotExists) when missing. */
export function ensureBucket(tree: BoltTree, path: readonly string[]): BoltTree {
  let current = tree;
  for (const name of path) {
    const existing = current.get(name);
    if (existing instanceof Map) {
      current = existing;
      continue;
    }
    if (existing !== undefined) throw new VigilError('BOLT_WRITE', `"${name}" holds a value, not a bucket`);
    const created: BoltTree = new Map();
    current.set(name, created);
    current = created;
  }
  return current;
}

/** Writes an in-memory tree to a bbolt file (top-level entries must all be buckets). */
export function writeBoltTree(path: string, tree: BoltTree, options: BoltWriterOptions = {}): void {
  const writer = new BoltWriter(path, options);
  try {
    writeEntries(writer, tree, true);
    writer.finish();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

function writeEntries(writer: BoltWriter, bucket: BoltTree, topLevel: boolean): void {
  for (const key of sortedKeys(bucket)) {
    const node = bucket.get(key) as BoltTreeNode;
    if (node instanceof Map) {
      writer.beginBucket(key);
      writeEntries(writer, node, false);
      writer.endBucket();
    } else if (topLevel) {
      throw new VigilError('BOLT_WRITE', `top-level key "${key}" must be a bucket`);
    } else {
      writer.put(key, node);
    }
  }
}
