import type { BoltBucket } from '../db/bolt/index.ts';
import {
  type Advisory,
  type DataSource,
  RED_HAT_BUCKET,
  type RedHatCpeQuery,
  type RedHatEntry,
  type TrivyDb,
  VULNERABILITY_BUCKET,
  type Vulnerability,
} from '../db/trivydb/index.ts';
import { describeError, isVigilError, VigilError } from '../errors/index.ts';
import { DbValueError, decodeAdvisoryAt, decodeRedHatEntries, decodeVulnerabilityAt } from './db-values.ts';

/** Oracle OVAL stores one fixed version per set of architectures under `Entries`. */
export interface OracleEntry {
  FixedVersion?: string;
  Arches?: string[];
  VendorIDs?: string[];
}

export type StoredAdvisory = Advisory & { Entries?: OracleEntry[] };

/**
 * The lookups the detectors make, with trivy-db's semantics (pkg/db ForEachAdvisory): an exact
 * platform bucket, or every bucket named `<prefix>…` in byte order where a later bucket's
 * advisory replaces an earlier one's for the same ID. Values are decoded strictly (db-values.ts),
 * so a damaged DB fails the lookup with a clear error instead of a wrong answer.
 */
export interface AdvisoryStore {
  platform(bucket: string, packageName: string): StoredAdvisory[];
  ecosystem(prefix: string, packageName: string): StoredAdvisory[];
  /** `Red Hat` bucket values for a package, by CVE or RHSA key, in key order. */
  redHatEntries(packageName: string): Map<string, RedHatEntry[]>;
  redHatCpeIndices(query: RedHatCpeQuery): number[];
  /** The `data-source` entry for a bucket. */
  dataSource(bucket: string): DataSource | undefined;
  vulnerability(id: string): Vulnerability | undefined;
}

export function createAdvisoryStore(db: TrivyDb): AdvisoryStore {
  // One map per kind, so a lookup does not build a key string per package.
  const named = new Map<string, Array<[string, BoltBucket]>>();
  const prefixed = new Map<string, Array<[string, BoltBucket]>>();

  const rootBuckets = (name: string, byPrefix: boolean): Array<[string, BoltBucket]> => {
    const roots = byPrefix ? prefixed : named;
    const cached = roots.get(name);
    if (cached !== undefined) return cached;
    const found: Array<[string, BoltBucket]> = [];
    if (byPrefix) {
      for (const entry of db.bolt.root.entries(name)) {
        if (entry.bucket) found.push([entry.key.toString('utf8'), db.bolt.root.openEntry(entry)]);
      }
    } else {
      const bucket = db.bolt.root.bucket(name);
      if (bucket !== undefined) found.push([name, bucket]);
    }
    if (roots.size > 1024) roots.clear();
    roots.set(name, found);
    return found;
  };

  /**
   * trivy-db's ForEachAdvisory: values are decoded where they lie in the page cache, with no
   * copy, entry object or path string per advisory (the path is built only for an error). The
   * bucket's data source is looked up first, because nothing may be read while visiting.
   */
  const collect = (buckets: Array<[string, BoltBucket]>, packageName: string): StoredAdvisory[] => {
    const key = Buffer.from(packageName, 'utf8');
    let first: StoredAdvisory[] | undefined;
    let byId: Map<string, StoredAdvisory> | undefined;
    // Index loops and no destructuring: before the JIT has warmed up, iterators allocate per step.
    for (let i = 0; i < buckets.length; i++) {
      const bucket = buckets[i] as [string, BoltBucket];
      const bucketName = bucket[0];
      const source = db.dataSource(bucketName);
      const found: StoredAdvisory[] = [];
      // One closure per bucket names the value being decoded, should it fail.
      let id = '';
      const where = () => `${bucketName}/${packageName}/${id}`;
      bucket[1].visitBucket(key, (bytes, keyStart, valueStart, valueEnd, isBucket) => {
        // trivy-db skips nested buckets and keys without a value.
        if (isBucket || valueEnd === valueStart) return;
        id = bytes.toString('utf8', keyStart, valueStart);
        const advisory: StoredAdvisory = decodeAdvisoryAt(bytes, valueStart, valueEnd, where, id);
        if (source !== undefined) advisory.DataSource = source;
        found.push(advisory);
      });
      if (found.length === 0) continue;
      if (first === undefined) {
        first = found;
        continue;
      }
      // A later bucket's advisory replaces an earlier one's for the same ID, in the earlier one's place.
      if (byId === undefined) byId = new Map(first.map((advisory) => [advisory.VulnerabilityID, advisory]));
      for (const advisory of found) byId.set(advisory.VulnerabilityID, advisory);
    }
    return byId !== undefined ? [...byId.values()] : (first ?? []);
  };

  return {
    platform: (bucket, packageName) => collect(rootBuckets(bucket, false), packageName),
    ecosystem: (prefix, packageName) => collect(rootBuckets(prefix, true), packageName),
    redHatEntries: (packageName) => {
      const out = new Map<string, RedHatEntry[]>();
      const pkg = rootBuckets(RED_HAT_BUCKET, false)[0]?.[1].bucket(packageName);
      for (const entry of pkg?.entries() ?? []) {
        if (entry.bucket || entry.value.length === 0) continue;
        const key = entry.key.toString('utf8');
        out.set(key, decodeRedHatEntries(entry.value, `${RED_HAT_BUCKET}/${packageName}/${key}`));
      }
      return out;
    },
    redHatCpeIndices: (query) => db.redHatCpeIndices(query),
    dataSource: (bucket) => db.dataSource(bucket),
    vulnerability: (id) => {
      const bucket = rootBuckets(VULNERABILITY_BUCKET, false)[0]?.[1];
      return bucket?.read(id, (bytes, start, end) =>
        decodeVulnerabilityAt(bytes, start, end, () => `${VULNERABILITY_BUCKET}/${id}`),
      );
    },
  };
}

/**
 * Runs a DB lookup and turns a damaged value or file into Trivy's error for the family
 * ("failed to get debian advisories: …"), so the scan stops with a clear message.
 */
export function lookupAdvisories<T>(subject: string, lookup: () => T): T {
  try {
    return lookup();
  } catch (error) {
    if (error instanceof DbValueError || isVigilError(error)) {
      throw new VigilError('DB_CORRUPT', `failed to get ${subject}: ${describeError(error)}`, {
        hint: 'the vulnerability DB is damaged; download it again with vigil db pull',
        cause: error,
      });
    }
    throw error;
  }
}
