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
import { DbValueError, decodeAdvisory, decodeRedHatEntries, decodeVulnerability } from './db-values.ts';

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
  const roots = new Map<string, Array<[string, BoltBucket]>>();

  const rootBuckets = (name: string, byPrefix: boolean): Array<[string, BoltBucket]> => {
    const key = `${byPrefix ? 'prefix' : 'bucket'}\u0000${name}`;
    const cached = roots.get(key);
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
    roots.set(key, found);
    return found;
  };

  const collect = (buckets: Array<[string, BoltBucket]>, packageName: string): StoredAdvisory[] => {
    const byId = new Map<string, StoredAdvisory>();
    for (const [bucketName, root] of buckets) {
      const pkg = root.bucket(packageName);
      if (pkg === undefined) continue;
      const source = db.dataSource(bucketName);
      for (const entry of pkg.entries()) {
        // trivy-db skips nested buckets and keys without a value.
        if (entry.bucket || entry.value.length === 0) continue;
        const id = entry.key.toString('utf8');
        const advisory: StoredAdvisory = decodeAdvisory(entry.value, `${bucketName}/${packageName}/${id}`, id);
        if (source !== undefined) advisory.DataSource = source;
        byId.set(id, advisory);
      }
    }
    return [...byId.values()];
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
      const raw = rootBuckets(VULNERABILITY_BUCKET, false)[0]?.[1].get(id);
      return raw === undefined ? undefined : decodeVulnerability(raw, `${VULNERABILITY_BUCKET}/${id}`);
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
