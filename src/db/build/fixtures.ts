import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { VigilError } from '../../errors/index.ts';
import { type BoltTree, ensureBucket } from '../bolt/index.ts';
import { goJson } from './go-json.ts';

/**
 * Loads bolt-fixtures YAML (github.com/aquasecurity/bolt-fixtures, the format of Trivy's and
 * trivy-db's test DBs) into an in-memory tree:
 *
 *   - bucket: npm::GitHub Security Advisory npm
 *     pairs:
 *       - bucket: jquery            # nested bucket (created if missing)
 *         pairs:
 *           - key: CVE-2019-11358
 *             value: {PatchedVersions: [3.4.0]}
 *
 * Values are stored as bolt-fixtures stores them: scalars as their plain text (a string without
 * quotes, `1.0` as `1`), anything else as Go-style JSON. Later files and pairs overwrite earlier ones.
 */
export function loadBoltFixtures(paths: readonly string[], tree: BoltTree = new Map()): BoltTree {
  for (const path of paths) {
    let documents: unknown;
    try {
      documents = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new VigilError('FIXTURE_INVALID', `cannot read the fixture file ${path}: ${(error as Error).message}`, {
        hint: 'fixture files are YAML lists of {bucket, pairs} as in bolt-fixtures',
      });
    }
    if (documents === null || documents === undefined) continue;
    if (!Array.isArray(documents)) throw invalid(path, 'the top level must be a list of buckets');
    for (const item of documents) {
      const fixture = asFixture(path, item);
      if (fixture.bucket === undefined) throw invalid(path, 'a top-level entry needs a bucket name');
      loadPairs(path, tree, [fixture.bucket], fixture.pairs);
    }
  }
  return tree;
}

interface Fixture {
  bucket?: string;
  pairs: unknown[];
  key?: string;
  value?: unknown;
}

function asFixture(path: string, item: unknown): Fixture {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(path, 'each entry must be a map');
  const raw = item as Record<string, unknown>;
  const bucket = scalarText(raw.bucket);
  const key = scalarText(raw.key);
  const pairs = raw.pairs ?? [];
  if (!Array.isArray(pairs)) throw invalid(path, `pairs of ${bucket ?? key ?? '?'} must be a list`);
  return { bucket: bucket === '' ? undefined : bucket, pairs, key, value: raw.value };
}

function loadPairs(path: string, tree: BoltTree, bucketPath: string[], pairs: unknown[]): void {
  let bucket: BoltTree;
  try {
    bucket = ensureBucket(tree, bucketPath);
  } catch (error) {
    throw invalid(path, `${bucketPath.join(' / ')}: ${(error as Error).message}`);
  }
  for (const item of pairs) {
    const pair = asFixture(path, item);
    if (pair.bucket !== undefined) {
      loadPairs(path, tree, [...bucketPath, pair.bucket], pair.pairs);
      continue;
    }
    if (pair.key === undefined || pair.key === '')
      throw invalid(path, `a pair in ${bucketPath.join(' / ')} has no key`);
    if (bucket.get(pair.key) instanceof Map) {
      throw invalid(path, `${[...bucketPath, pair.key].join(' / ')} is a bucket and cannot take a value`);
    }
    bucket.set(pair.key, fixtureValue(pair.value));
  }
}

/** bolt-fixtures: bool, numbers and strings via fmt.Sprint; everything else via json.Marshal. */
export function fixtureValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value === undefined) return 'null';
  return goJson(value);
}

function scalarText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function invalid(path: string, detail: string): VigilError {
  return new VigilError('FIXTURE_INVALID', `invalid fixture file ${path}: ${detail}`, {
    hint: 'fixture files are YAML lists of {bucket, pairs} as in bolt-fixtures',
  });
}
