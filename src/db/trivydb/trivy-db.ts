import { existsSync } from 'node:fs';
import { VigilError } from '../../errors/index.ts';
import { type BoltBucket, type BoltDb, type BoltOpenOptions, openBolt } from '../bolt/index.ts';
import { flattenRedHatAdvisories } from './redhat.ts';
import { type Advisory, type DataSource, type RedHatEntry, statusFromJson, type Vulnerability } from './types.ts';

/** Buckets that hold no advisories. */
export const VULNERABILITY_BUCKET = 'vulnerability';
export const DATA_SOURCE_BUCKET = 'data-source';
export const RED_HAT_BUCKET = 'Red Hat';
export const RED_HAT_CPE_BUCKET = 'Red Hat CPE';
const NON_ADVISORY_BUCKETS = new Set([VULNERABILITY_BUCKET, DATA_SOURCE_BUCKET, RED_HAT_CPE_BUCKET]);

/** An advisory found by `findAdvisories`, with where it was found. */
export interface AdvisoryHit {
  readonly bucket: string;
  readonly packageName: string;
  readonly advisory: Advisory;
}

/** Which Red Hat products apply to an image: content sets and the image's NVR (`<nvr>-<arch>`). */
export interface RedHatCpeQuery {
  readonly repositories?: readonly string[];
  readonly nvrs?: readonly string[];
}

/**
 * Typed, read-only queries over trivy.db with trivy-db's semantics (pkg/db): advisories for a
 * package in one bucket, or in every bucket whose name starts with a prefix (`npm::`), where a
 * later bucket in byte order replaces an earlier one's advisory for the same vulnerability ID.
 */
export interface TrivyDb {
  readonly path: string;
  readonly bolt: BoltDb;
  /** Advisories for `packageName` in one bucket, sorted by vulnerability ID. */
  advisories(bucket: string, packageName: string): Advisory[];
  /** Advisories for `packageName` across every bucket named `prefix…`, sorted by vulnerability ID. */
  advisoriesByPrefix(prefix: string, packageName: string): Advisory[];
  /**
   * Advisories per vulnerability ID with the bucket each came from, as trivy-db's ForEachAdvisory:
   * a name containing `::` is a prefix, any other an exact bucket name.
   */
  forEachAdvisory(bucketOrPrefix: string, packageName: string): Map<string, { bucket: string; advisory: Advisory }>;
  vulnerability(id: string): Vulnerability | undefined;
  dataSource(bucket: string): DataSource | undefined;
  /** Top-level bucket names, in byte order. */
  bucketNames(): string[];
  /** The raw `Red Hat` bucket values for a package, keyed by CVE or RHSA ID. */
  redHatEntries(packageName: string): Map<string, RedHatEntry[]>;
  /** CPE indices for content sets and NVRs from `Red Hat CPE/repository` and `Red Hat CPE/nvr`. */
  redHatCpeIndices(query: RedHatCpeQuery): number[];
  /** `Red Hat` advisories for a package restricted to the given CPE indices (trivy-db redhat-oval Get). */
  redHatAdvisories(packageName: string, cpeIndices: readonly number[]): Advisory[];
  /** Every advisory whose key is `id` (or, in `Red Hat`, that lists it as a CVE): a full scan. */
  findAdvisories(id: string): AdvisoryHit[];
  close(): void;
}

export interface OpenTrivyDbOptions extends BoltOpenOptions {}

/** Opens a trivy.db read-only. A missing file is a VigilError pointing at `vigil db pull`. */
export function openTrivyDb(path: string, options: OpenTrivyDbOptions = {}): TrivyDb {
  if (!existsSync(path)) {
    throw new VigilError('DB_MISSING', `the vulnerability DB is not there: ${path}`, {
      hint: 'download it with vigil db pull (or build one with vigil db build)',
    });
  }
  const bolt = openBolt(path, options);
  const dataSources = new Map<string, DataSource | undefined>();

  /** JSON at `bytes[start, end)`; the error names where it was (joined only when it fails). */
  const decodeAt = <T>(bytes: Buffer, start: number, end: number, bucket: string, name?: string, key?: string): T => {
    try {
      return JSON.parse(bytes.toString('utf8', start, end)) as T;
    } catch (error) {
      const where = [bucket, name, key].filter((part) => part !== undefined).join('/');
      throw new VigilError('DB_CORRUPT', `json unmarshal error in ${path} at ${where}: ${(error as Error).message}`, {
        hint: 'the DB is damaged; download it again with vigil db pull',
      });
    }
  };
  const decode = <T>(bytes: Buffer, where: string): T => decodeAt<T>(bytes, 0, bytes.length, where);

  const dataSource = (bucket: string): DataSource | undefined => {
    if (dataSources.has(bucket)) return dataSources.get(bucket);
    const raw = single(DATA_SOURCE_BUCKET)?.get(bucket);
    const source = raw === undefined ? undefined : decode<DataSource>(raw, `${DATA_SOURCE_BUCKET}/${bucket}`);
    dataSources.set(bucket, source);
    return source;
  };

  /** An advisory from its stored JSON, with the ID from its key and the bucket's data source. */
  const advisoryFrom = (value: Record<string, unknown>, id: string, source: DataSource | undefined): Advisory => {
    const advisory = Object.assign({ VulnerabilityID: id }, value) as Advisory;
    if (typeof value.Status === 'string') advisory.Status = statusFromJson(value.Status);
    if (source !== undefined) advisory.DataSource = source;
    return advisory;
  };
  const decodeAdvisory = (raw: Buffer, bucket: string, packageName: string, id: string): Advisory =>
    advisoryFrom(decodeAt(raw, 0, raw.length, bucket, packageName, id), id, dataSource(bucket));

  // Top-level buckets change only with the file, so their handles are looked up once.
  // One map per kind, so a lookup does not build a key string per package.
  const named = new Map<string, Array<[string, BoltBucket]>>();
  const prefixed = new Map<string, Array<[string, BoltBucket]>>();
  /** The named bucket, or every bucket whose name starts with the prefix. */
  const rootBuckets = (name: string, byPrefix: boolean): Array<[string, BoltBucket]> => {
    const roots = byPrefix ? prefixed : named;
    const cached = roots.get(name);
    if (cached !== undefined) return cached;
    const found: Array<[string, BoltBucket]> = [];
    if (!byPrefix) {
      const bucket = bolt.root.bucket(name);
      if (bucket !== undefined) found.push([name, bucket]);
    } else {
      for (const entry of bolt.root.entries(name)) {
        if (entry.bucket) found.push([entry.key.toString('utf8'), bolt.root.openEntry(entry)]);
      }
    }
    if (roots.size > 4096) roots.clear();
    roots.set(name, found);
    return found;
  };
  const single = (name: string): BoltBucket | undefined => rootBuckets(name, false)[0]?.[1];

  /**
   * Later buckets (byte order) replace earlier ones' advisories for the same ID, as in trivy-db.
   * Values are decoded where they lie in the page cache (the data source is looked up first, as
   * nothing may be read while visiting).
   */
  const collect = (roots: Array<[string, BoltBucket]>, packageName: string) => {
    const results = new Map<string, { bucket: string; advisory: Advisory }>();
    const key = Buffer.from(packageName, 'utf8');
    // Index loops and no destructuring: before the JIT warms up, iterators allocate per step.
    for (let i = 0; i < roots.length; i++) {
      const bucket = roots[i] as [string, BoltBucket];
      const name = bucket[0];
      const source = dataSource(name);
      bucket[1].visitBucket(key, (bytes, keyStart, valueStart, valueEnd, isBucket) => {
        if (isBucket || valueEnd === valueStart) return;
        const id = bytes.toString('utf8', keyStart, valueStart);
        const value = decodeAt<Record<string, unknown>>(bytes, valueStart, valueEnd, name, packageName, id);
        results.set(id, { bucket: name, advisory: advisoryFrom(value, id, source) });
      });
    }
    return results;
  };

  /** By vulnerability ID; values from one bucket come in byte order, which is usually this order already. */
  const sorted = (results: Map<string, { advisory: Advisory }>): Advisory[] => {
    const advisories: Advisory[] = [];
    let inOrder = true;
    for (const { advisory } of results.values()) {
      const previous = advisories.at(-1);
      if (previous !== undefined && compareStrings(previous.VulnerabilityID, advisory.VulnerabilityID) > 0) {
        inOrder = false;
      }
      advisories.push(advisory);
    }
    return inOrder ? advisories : advisories.sort((a, b) => compareStrings(a.VulnerabilityID, b.VulnerabilityID));
  };

  const cpeIndices = (sub: string, key: string): number[] => {
    const raw = single(RED_HAT_CPE_BUCKET)?.bucket(sub)?.get(key);
    if (raw === undefined) return [];
    const value = decode<unknown>(raw, `${RED_HAT_CPE_BUCKET}/${sub}/${key}`);
    if (!Array.isArray(value) || !value.every((n) => Number.isInteger(n))) {
      throw new VigilError('DB_CORRUPT', `json unmarshal error in ${path} at ${RED_HAT_CPE_BUCKET}/${sub}/${key}`, {
        hint: 'the DB is damaged; download it again with vigil db pull',
      });
    }
    return value as number[];
  };

  const redHatEntries = (packageName: string): Map<string, RedHatEntry[]> => {
    const out = new Map<string, RedHatEntry[]>();
    const pkg = single(RED_HAT_BUCKET)?.bucket(packageName);
    for (const entry of pkg?.entries() ?? []) {
      if (entry.bucket || entry.value.length === 0) continue;
      const key = entry.key.toString('utf8');
      const value = decode<{ Entries?: RedHatEntry[] }>(entry.value, `${RED_HAT_BUCKET}/${packageName}/${key}`);
      out.set(
        key,
        (value.Entries ?? []).map((e) => ({ ...e, Status: statusFromJson(e.Status) })),
      );
    }
    return out;
  };

  return {
    path,
    bolt,
    advisories: (bucket, packageName) => sorted(collect(rootBuckets(bucket, false), packageName)),
    advisoriesByPrefix: (prefix, packageName) => sorted(collect(rootBuckets(prefix, true), packageName)),
    forEachAdvisory: (bucketOrPrefix, packageName) =>
      collect(rootBuckets(bucketOrPrefix, bucketOrPrefix.includes('::')), packageName),
    vulnerability: (id) =>
      single(VULNERABILITY_BUCKET)?.read(id, (bytes, start, end) =>
        decodeAt<Vulnerability>(bytes, start, end, VULNERABILITY_BUCKET, id),
      ),
    dataSource,
    bucketNames: () => [...bolt.root.entries()].filter((e) => e.bucket).map((e) => e.key.toString('utf8')),
    redHatEntries,
    redHatCpeIndices: (query) => {
      const indices = new Set<number>();
      for (const repository of query.repositories ?? [])
        for (const i of cpeIndices('repository', repository)) indices.add(i);
      for (const nvr of query.nvrs ?? []) for (const i of cpeIndices('nvr', nvr)) indices.add(i);
      return [...indices].sort((a, b) => a - b);
    },
    redHatAdvisories: (packageName, indices) =>
      flattenRedHatAdvisories(redHatEntries(packageName), new Set(indices), dataSource(RED_HAT_BUCKET)),
    findAdvisories: (id) => findAdvisories(bolt, id, decodeAdvisory, decode),
    close: () => bolt.close(),
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Decode = <T>(bytes: Buffer, where: string) => T;
type DecodeAdvisory = (raw: Buffer, bucket: string, packageName: string, id: string) => Advisory;

function findAdvisories(bolt: BoltDb, id: string, decodeAdvisory: DecodeAdvisory, decode: Decode): AdvisoryHit[] {
  const hits: AdvisoryHit[] = [];
  const needle = Buffer.from(id, 'utf8');
  for (const top of bolt.root.entries()) {
    const bucketName = top.key.toString('utf8');
    if (!top.bucket || NON_ADVISORY_BUCKETS.has(bucketName)) continue;
    const root = bolt.root.openEntry(top);
    for (const pkgEntry of root.entries()) {
      if (!pkgEntry.bucket) continue;
      const packageName = pkgEntry.key.toString('utf8');
      const pkg = root.openEntry(pkgEntry);
      if (bucketName === RED_HAT_BUCKET) {
        // Keys are CVE or RHSA IDs; an RHSA lists its CVEs inside the value.
        for (const entry of pkg.entries()) {
          if (entry.bucket || (entry.value.indexOf(needle) < 0 && !entry.key.equals(needle))) continue;
          const key = entry.key.toString('utf8');
          const value = decode<{ Entries?: RedHatEntry[] }>(entry.value, `${bucketName}/${packageName}/${key}`);
          const entries = new Map([
            [key, (value.Entries ?? []).map((e) => ({ ...e, Status: statusFromJson(e.Status) }))],
          ]);
          for (const advisory of flattenRedHatAdvisories(entries, undefined, undefined)) {
            if (advisory.VulnerabilityID === id || key === id) hits.push({ bucket: bucketName, packageName, advisory });
          }
        }
        continue;
      }
      const raw = pkg.get(needle);
      if (raw !== undefined && raw.length > 0) {
        hits.push({ bucket: bucketName, packageName, advisory: decodeAdvisory(raw, bucketName, packageName, id) });
      }
    }
  }
  return hits;
}
