import type { BoltBucket } from '../../../src/db/bolt/index.ts';
import type { BoltSpec } from '../../fixtures/db/bolt/specs.ts';

/** The shape `boltfix dump` prints: buckets as objects, values as strings. */
export type BoltDump = { [key: string]: BoltDump | string };

export function dumpBucket(bucket: BoltBucket): BoltDump {
  const out: BoltDump = {};
  for (const entry of bucket.entries()) {
    out[entry.key.toString('utf8')] = entry.bucket ? dumpBucket(bucket.openEntry(entry)) : entry.value.toString('utf8');
  }
  return out;
}

/** What a `boltfix write` spec stores, in dump form. */
export function specToDump(spec: BoltSpec): BoltDump {
  const out: BoltDump = {};
  for (const [key, value] of Object.entries(spec)) {
    if (typeof value === 'string') out[key] = value;
    else if ('@json' in value) out[key] = JSON.stringify(value['@json']);
    else out[key] = specToDump(value as BoltSpec);
  }
  return out;
}
