// bbolt reader benchmark on a generated trivy.db-shaped file of 500+ MB:
// open time, advisory lookups per second for a 1,000-package inventory, peak RSS, next to a
// baseline of the same number of raw positioned page reads measured in the same run.
//   node_modules/.bin/node bench/bolt.bench.ts
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoltWriter } from '../src/db/bolt/index.ts';
import { openTrivyDb } from '../src/db/trivydb/index.ts';

const DIR = join(tmpdir(), 'vigil-bench-bolt-v1');
const DB = join(DIR, 'trivy.db');
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
const PACKAGES_PER_BUCKET = 2500;
const VULNERABILITIES = 320_000;

/** A deterministic pseudo-random sequence, so every run measures the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const cveId = (n: number) => `CVE-${2000 + (n % 26)}-${String(n).padStart(7, '0')}`;
const packageName = (bucket: number, i: number) => `pkg-${(i * 7919 + bucket * 31) % 100_000}-${i}`;

function bucketNames(): string[] {
  const names = LANGUAGES.flatMap((eco) => LANGUAGE_SOURCES.map((source) => `${eco}::${source} ${eco}`));
  return [...names, ...OS_BUCKETS];
}

function generate(): void {
  mkdirSync(DIR, { recursive: true });
  const partial = `${DB}.partial`;
  const writer = new BoltWriter(partial);
  const rand = random(42);
  const buckets = bucketNames()
    .map((name) => ({ name, bytes: Buffer.from(name) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(20);
  let advisories = 0;
  const topLevel = [
    ...buckets.map((b) => ({ name: b.name, kind: 'advisories' as const, index: bucketNames().indexOf(b.name) })),
    { name: 'data-source', kind: 'data-source' as const, index: -1 },
    { name: 'vulnerability', kind: 'vulnerability' as const, index: -1 },
  ].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  for (const top of topLevel) {
    writer.beginBucket(top.name);
    if (top.kind === 'data-source') {
      for (const b of buckets) {
        writer.put(
          b.name,
          JSON.stringify({ ID: 'bench', Name: b.name.split('::').pop(), URL: 'https://example.test/' }),
        );
      }
    } else if (top.kind === 'vulnerability') {
      const ids = Array.from({ length: VULNERABILITIES }, (_, n) => cveId(n)).sort();
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
      const names = Array.from({ length: PACKAGES_PER_BUCKET }, (_, i) => packageName(top.index, i)).sort();
      for (const pkg of names) {
        writer.beginBucket(pkg);
        const count = 1 + Math.floor(rand() * 6);
        const ids = new Set<string>();
        while (ids.size < count) ids.add(cveId(Math.floor(rand() * VULNERABILITIES)));
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
  renameSync(partial, DB);
  process.stdout.write(`generated ${DB}: ${(statSync(DB).size / 2 ** 20).toFixed(0)} MiB, ${advisories} advisories\n`);
}

interface Query {
  kind: 'prefix' | 'bucket';
  where: string;
  name: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function measure(): void {
  const baselineRss = Math.round(process.memoryUsage().rss / 2 ** 20);
  const names = bucketNames();
  const size = statSync(DB).size;
  // Open: the median of 20 opens (meta pages checked, root located), each closed again.
  const openTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = process.hrtime.bigint();
    const db = openTrivyDb(DB);
    openTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    db.close();
  }
  // A 1,000-package inventory: 700 language packages (prefix over 5 buckets each) and 300 OS packages.
  const rand = random(7);
  const db = openTrivyDb(DB);
  const inventory = Array.from({ length: 1000 }, (_, i) => {
    const language = i < 700;
    const bucketIndex = language
      ? Math.floor(rand() * LANGUAGES.length) * LANGUAGE_SOURCES.length
      : LANGUAGES.length * LANGUAGE_SOURCES.length + Math.floor(rand() * OS_BUCKETS.length);
    const name = packageName(bucketIndex, Math.floor(rand() * PACKAGES_PER_BUCKET));
    const bucket = names[bucketIndex] as string;
    const query: Query = language
      ? { kind: 'prefix', where: `${bucket.split('::')[0]}::`, name }
      : { kind: 'bucket', where: bucket, name };
    return query;
  });
  const lookup = (item: Query) =>
    item.kind === 'prefix' ? db.advisoriesByPrefix(item.where, item.name) : db.advisories(item.where, item.name);
  const run = () => {
    let found = 0;
    for (const item of inventory) {
      const advisories = lookup(item);
      found += advisories.length;
      for (const a of advisories.slice(0, 1)) db.vulnerability(a.VulnerabilityID);
    }
    return found;
  };
  // Warm the JIT on another inventory (other packages), so the first pass measures page reads, not compilation.
  const warmup = inventory.map((item) => ({ ...item, name: `${item.name}-other` }));
  for (const item of warmup) lookup(item);
  const readsBefore = db.bolt.stats.reads;
  const readMsBefore = db.bolt.stats.readMs;
  const coldStart = process.hrtime.bigint();
  const found = run();
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  const coldReads = db.bolt.stats.reads - readsBefore;
  const coldReadMs = db.bolt.stats.readMs - readMsBefore;
  const warmTimes: number[] = [];
  const warmReadsBefore = db.bolt.stats.reads;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    run();
    warmTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const warmReads = Math.round((db.bolt.stats.reads - warmReadsBefore) / 5);
  db.close();
  // The same repeated passes with a page cache that holds this inventory's working set (~16 MiB).
  const big = openTrivyDb(DB, { cacheBytes: 32 * 2 ** 20 });
  const bigTimes: number[] = [];
  for (let round = 0; round < 6; round++) {
    const start = process.hrtime.bigint();
    for (const item of inventory) {
      const advisories =
        item.kind === 'prefix' ? big.advisoriesByPrefix(item.where, item.name) : big.advisories(item.where, item.name);
      for (const a of advisories.slice(0, 1)) big.vulnerability(a.VulnerabilityID);
    }
    if (round > 0) bigTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  big.close();
  // Baseline: the same number of 4 KiB positioned reads at random page offsets, nothing else.
  const fd = openSync(DB, 'r');
  const page = Buffer.alloc(4096);
  const pages = Math.floor(size / 4096);
  const rb = random(99);
  const baseStart = process.hrtime.bigint();
  for (let i = 0; i < coldReads; i++) readSync(fd, page, 0, 4096, Math.floor(rb() * pages) * 4096);
  const baseMs = Number(process.hrtime.bigint() - baseStart) / 1e6;
  closeSync(fd);
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const lookups = (ms: number) => Math.round((inventory.length / ms) * 1000);
  const out = [
    `db: ${(size / 2 ** 20).toFixed(0)} MiB, ${names.length + 2} top-level buckets; inventory 1000 packages, ${found} advisories found`,
    `open (median of 20):        ${median(openTimes).toFixed(2)} ms   (goal < 20 ms)`,
    `lookups, first pass:        ${lookups(coldMs)} /s  (${coldMs.toFixed(1)} ms, ${coldReads} page reads taking ${coldReadMs.toFixed(1)} ms; goal >= 50,000 /s)`,
    `lookups, repeated (median of 5): ${lookups(median(warmTimes))} /s  (${warmReads} page reads per pass)`,
    `lookups, repeated with a 32 MiB cache: ${lookups(median(bigTimes))} /s  (no page reads)`,
    `baseline: ${coldReads} raw positioned 4 KiB reads: ${baseMs.toFixed(1)} ms (${Math.round((coldReads / baseMs) * 1000)} reads/s)`,
    `peak RSS: ${rssMiB.toFixed(0)} MiB   (goal < 100 MiB; includes ${baselineRss} MiB for Node with TypeScript stripping and the loaded modules)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[2] === '--generate') {
  generate();
} else {
  if (!existsSync(DB)) {
    // Generated in a child process so its memory does not count in this one's peak RSS.
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate'], { stdio: 'inherit' });
    if (child.status !== 0) process.exit(1);
  }
  measure();
}
