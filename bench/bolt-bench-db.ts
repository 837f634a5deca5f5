// The trivy.db-shaped files bench/bolt.bench.ts measures, and the inventories it looks up in
// them: generated once per machine (deterministically, so every run measures the same bytes)
// and kept in the temp directory. Not a benchmark itself: bench/run.ts runs *.bench.ts only.
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoltWriter } from '../src/db/bolt/index.ts';

/** A generated DB: every advisory bucket holds `packagesPerBucket` packages; `vulnerabilities` records. */
export interface BenchDb {
  readonly name: string;
  readonly path: string;
  readonly packagesPerBucket: number;
  readonly vulnerabilities: number;
}

const dbAt = (name: string, packagesPerBucket: number, vulnerabilities: number): BenchDb => ({
  name,
  path: join(tmpdir(), `vigil-bench-bolt-${name}`, 'trivy.db'),
  packagesPerBucket,
  vulnerabilities,
});

/** The DB: over 500 MB, shaped like the real one. */
export const LARGE_DB = dbAt('v1', 2500, 320_000);
/** The same buckets with a tenth of the packages and vulnerabilities: for RSS against DB size. */
export const SMALL_DB = dbAt('small-v1', 250, 32_000);
export const BENCH_DBS: Record<string, BenchDb> = { large: LARGE_DB, small: SMALL_DB };

const LANGUAGES = [
  'npm',
  'pip',
  'go',
  'maven',
  'rubygems',
  'cargo',
  'composer',
  'nuget',
  'conan',
  'erlang',
  'pub',
  'swift',
];
// Real trivy-db has one to three sources per language ecosystem (GHSA, plus e.g. the Node.js WG or GitLab).
const LANGUAGE_SOURCES = ['GitHub Security Advisory', 'GitLab Advisory Database Community', 'Vendor Feed'];
const OS_BUCKETS = [
  ...['7', '8', '9', '10', '11', '12', '13'].map((v) => `debian ${v}`),
  ...['14.04', '16.04', '18.04', '20.04', '22.04', '24.04', '24.10', '25.04'].map((v) => `ubuntu ${v}`),
  ...['16.04-ESM', '18.04-ESM', '20.04-ESM'].map((v) => `ubuntu ${v}`),
  ...['3.12', '3.13', '3.14', '3.15', '3.16', '3.17', '3.18', '3.19', '3.20', '3.21'].map((v) => `alpine ${v}`),
  ...['1', '2', '2022', '2023'].map((v) => `amazon linux ${v}`),
  ...['5', '6', '7', '8', '9'].map((v) => `Oracle Linux ${v}`),
  ...['15.4', '15.5', '15.6'].map((v) => `openSUSE Leap ${v}`),
  ...['8', '9'].map((v) => `alma ${v}`),
  ...['8', '9'].map((v) => `rocky ${v}`),
  ...['15.4', '15.5', '15.6'].map((v) => `SUSE Linux Enterprise ${v}`),
  ...['3.0', '4.0', '5.0'].map((v) => `Photon OS ${v}`),
  ...['1.0', '2.0'].map((v) => `CBL-Mariner ${v}`),
  ...['2.0', '3.0'].map((v) => `Azure Linux ${v}`),
  'wolfi',
  'chainguard',
  'Red Hat',
];

/** A deterministic pseudo-random sequence, so every run measures the same file. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const cveId = (n: number) => `CVE-${2000 + (n % 26)}-${String(n).padStart(7, '0')}`;
const packageName = (bucket: number, i: number) => `pkg-${(i * 7919 + bucket * 31) % 100_000}-${i}`;

/** The advisory buckets: three sources per language ecosystem, then the OS platforms. */
export function bucketNames(): string[] {
  const names = LANGUAGES.flatMap((eco) => LANGUAGE_SOURCES.map((source) => `${eco}::${source} ${eco}`));
  return [...names, ...OS_BUCKETS];
}

export function generate(db: BenchDb): void {
  mkdirSync(join(db.path, '..'), { recursive: true });
  const partial = `${db.path}.partial`;
  const writer = new BoltWriter(partial);
  const rand = random(42);
  const names = bucketNames();
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(20);
  let advisories = 0;
  const topLevel = [
    ...names.map((name, index) => ({ name, kind: 'advisories' as const, index })),
    { name: 'data-source', kind: 'data-source' as const, index: -1 },
    { name: 'vulnerability', kind: 'vulnerability' as const, index: -1 },
  ].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  for (const top of topLevel) {
    writer.beginBucket(top.name);
    if (top.kind === 'data-source') {
      for (const name of [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
        writer.put(name, JSON.stringify({ ID: 'bench', Name: name.split('::').pop(), URL: 'https://example.test/' }));
      }
    } else if (top.kind === 'vulnerability') {
      const ids = Array.from({ length: db.vulnerabilities }, (_, n) => cveId(n)).sort();
      for (const id of ids) {
        const start = Math.floor(rand() * 800);
        writer.put(
          id,
          JSON.stringify({
            Title: `bench vulnerability ${id}`,
            Description: filler.slice(start, start + 900 + Math.floor(rand() * 500)),
            Severity: 'MEDIUM',
            VendorSeverity: { nvd: 2, ghsa: 3 },
            References: [`https://example.test/${id}`],
          }),
        );
      }
    } else {
      const packages = Array.from({ length: db.packagesPerBucket }, (_, i) => packageName(top.index, i)).sort();
      for (const pkg of packages) {
        writer.beginBucket(pkg);
        const count = 1 + Math.floor(rand() * 6);
        const ids = new Set<string>();
        while (ids.size < count) ids.add(cveId(Math.floor(rand() * db.vulnerabilities)));
        for (const id of [...ids].sort()) {
          const fixed = `${1 + Math.floor(rand() * 9)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 30)}`;
          writer.put(id, JSON.stringify({ VulnerableVersions: [`< ${fixed}`], PatchedVersions: [fixed] }));
          advisories += 1;
        }
        writer.endBucket();
      }
    }
    writer.endBucket();
  }
  writer.finish();
  renameSync(partial, db.path);
  process.stdout.write(
    `generated ${db.path}: ${(statSync(db.path).size / 2 ** 20).toFixed(0)} MiB, ${advisories} advisories\n`,
  );
}

export interface Query {
  kind: 'prefix' | 'bucket';
  where: string;
  name: string;
}

/** A 1,000-package inventory: 700 language packages (prefix over 3 buckets each) and 300 OS packages. */
export function inventory(seed: number, db: BenchDb): Query[] {
  const names = bucketNames();
  const rand = random(seed);
  return Array.from({ length: 1000 }, (_, i) => {
    const language = i < 700;
    const bucketIndex = language
      ? Math.floor(rand() * LANGUAGES.length) * LANGUAGE_SOURCES.length
      : LANGUAGES.length * LANGUAGE_SOURCES.length + Math.floor(rand() * OS_BUCKETS.length);
    const name = packageName(bucketIndex, Math.floor(rand() * db.packagesPerBucket));
    const bucket = names[bucketIndex] as string;
    return language
      ? { kind: 'prefix', where: `${bucket.split('::')[0]}::`, name }
      : { kind: 'bucket', where: bucket, name };
  });
}
