export {
  BoltBucket,
  BoltCursor,
  type BoltEntry,
  type BoltKey,
  type EntryVisitor,
  type ValueDecoder,
} from './bucket.ts';
export {
  BOLT_MAGIC,
  BOLT_VERSION,
  type BoltMeta,
  decodeMeta,
  fnv64a,
} from './format.ts';
export type { PageReadStats } from './page-stats.ts';
export { type BoltDb, type BoltOpenOptions, openBolt } from './reader.ts';
export { type BoltTree, type BoltTreeNode, ensureBucket, sortedKeys, writeBoltTree } from './tree.ts';
export { BoltWriter, type BoltWriterOptions } from './writer.ts';
