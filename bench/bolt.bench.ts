// bbolt reader benchmark on a generated trivy.db-shaped file of 500+ MB (bolt-bench-db.ts): open
// time, advisory lookups per second for a 1,000-package inventory, peak RSS, and a cursor scan,
// each next to a baseline measured in the same run (the same number of raw positioned page reads).
//   node_modules/.bin/node bench/bolt.bench.ts [rounds]
// The lookups are the scan's own (the detector's AdvisoryStore), measured three ways: the steady
// state of a warm process meeting packages it has not looked up before, the first pass of a
// fresh process (a CLI scan at its coldest), and repeated passes over one inventory. Peak RSS
// is measured on that file and again on one a tenth its size, to show it does not follow the DB.
// Every measurement runs in a child process with bin/vigil's heap flag and a compile cache,
// so its peak RSS is the DB code's, not TypeScript stripping's; rounds alternate between the
// configurations and medians are printed, because the machine is shared with other work.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  BENCH_DBS,
  type BenchDb,
  bucketNames,
  generate,
  inventory,
  LARGE_DB,
  type Query,
  random,
  SMALL_DB,
} from './bolt-bench-db.ts';

const { openTrivyDb } = await import('../src/db/trivydb/index.ts');
const { createAdvisoryStore } = await import('../src/detect/advisory-store.ts');

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** `count` raw positioned single-page reads into one reused buffer: the floor for that many page reads. */
function rawReads(db: BenchDb, count: number, sequential: boolean): { ms: number; cpuMs: number } {
  const fd = openSync(db.path, 'r');
  const page = Buffer.alloc(4096);
  const pages = Math.floor(statSync(db.path).size / 4096);
  const rand = random(99);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const pgid = sequential ? 2 + (i % (pages - 2)) : Math.floor(rand() * pages);
    readSync(fd, page, 0, 4096, pgid * 4096);
  }
  const result = { ms: performance.now() - started, cpuMs: cpuMs(cpu) };
  closeSync(fd);
  return result;
}

type Figures = Record<string, number>;

/**
 * Wall and CPU milliseconds of `action`: the process's CPU (JIT and GC threads included), this
 * thread's alone (what a lookup waits for), and the page faults meanwhile.
 */
function timed(action: () => void): { ms: number; cpuMs: number; mainMs: number; faults: number } {
  const faults = process.resourceUsage().minorPageFault;
  const main = process.threadCpuUsage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  action();
  const ms = performance.now() - started;
  const thread = process.threadCpuUsage(main);
  return {
    ms,
    cpuMs: cpuMs(cpu),
    mainMs: (thread.user + thread.system) / 1000,
    faults: process.resourceUsage().minorPageFault - faults,
  };
}

/** Microseconds a first touch of a fresh memory page costs here (a VM can make it dearer than a read). */
function faultMicros(): number {
  const pages = 512;
  const memory = Buffer.allocUnsafeSlow(pages * 4096);
  const started = performance.now();
  for (let i = 0; i < pages; i++) memory[i * 4096] = 1;
  return ((performance.now() - started) * 1000) / pages;
}

/** Passes over other inventories before the steady state is measured, and passes measured. */
const WARM_UP_PASSES = 50;
const STEADY_PASSES = 40;

/**
 * One fresh process making the scan's own lookups (the detector's AdvisoryStore): open; a first
 * pass over the inventory as a CLI scan meets it (the reader's cache empty, the JIT cold, the
 * V8 heap untouched; the file itself in the OS page cache); the steady state of a warm process
 * looking up packages it has not looked up before (each pass a different inventory); then
 * repeated passes over the first inventory. With `details`, each package's first advisory's
 * vulnerability record is read too, as the scan's enrichment does for what it finds. Every read
 * count is replayed afterwards as raw reads for the baseline.
 */
/** The V8 heap still in use after a full collection: what the process holds, not garbage it has yet to collect. */
function liveHeapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function measureLookups(cacheMiB: number, details: boolean, bench: BenchDb): Figures {
  const options = { cacheBytes: cacheMiB * 2 ** 20, timeReads: true };
  const openTimes: number[] = [];
  for (let i = 0; i < 20; i++) openTimes.push(timed(() => openTrivyDb(bench.path, options).close()).ms);
  const db = openTrivyDb(bench.path, options);
  const store = createAdvisoryStore(db);
  const stats = db.bolt.stats;
  let found = 0;
  const pass = (queries: readonly Query[]) => () => {
    found = 0;
    for (const item of queries) {
      const advisories =
        item.kind === 'prefix' ? store.ecosystem(item.where, item.name) : store.platform(item.where, item.name);
      found += advisories.length;
      const first = advisories[0];
      if (details && first !== undefined) store.vulnerability(first.VulnerabilityID);
    }
  };
  const counted = (action: () => void) => {
    const reads = stats.reads;
    const readMs = stats.readMs;
    const admitted = stats.pagesAdmitted;
    return {
      ...timed(action),
      reads: stats.reads - reads,
      readMs: stats.readMs - readMs,
      admitted: stats.pagesAdmitted - admitted,
    };
  };
  const inventoryPass = pass(inventory(7, bench));
  const first = counted(inventoryPass);
  const advisories = found;
  const firstRss = process.resourceUsage().maxRSS / 1024;
  const steady = Array.from({ length: WARM_UP_PASSES + STEADY_PASSES }, (_, i) =>
    counted(pass(inventory(1000 + i, bench))),
  ).slice(WARM_UP_PASSES);
  const repeated = Array.from({ length: 20 }, () => counted(inventoryPass));
  db.close();
  const steadyReads = median(steady.map((run) => run.reads));
  const repeatedReads = median(repeated.map((run) => run.reads));
  const baseline = rawReads(bench, first.reads, false);
  const steadyBaseline = rawReads(bench, steadyReads, false);
  const repeatedBaseline = rawReads(bench, repeatedReads, false);
  return {
    openMs: median(openTimes),
    advisories,
    firstMs: first.ms,
    firstCpuMs: first.cpuMs,
    firstMainMs: first.mainMs,
    firstFaults: first.faults,
    firstAdmitted: first.admitted,
    firstReads: first.reads,
    firstReadMs: first.readMs,
    faultUs: faultMicros(),
    baselineMs: baseline.ms,
    steadyMs: median(steady.map((run) => run.ms)),
    steadyMainMs: median(steady.map((run) => run.mainMs)),
    steadyReads,
    steadyReadMs: median(steady.map((run) => run.readMs)),
    steadyBaselineMs: steadyBaseline.ms,
    repeatedMs: median(repeated.map((run) => run.ms)),
    repeatedCpuMs: median(repeated.map((run) => run.cpuMs)),
    repeatedReads,
    repeatedBaselineMs: repeatedBaseline.ms,
    cacheMiB: (stats.cachePages * db.bolt.meta.pageSize) / 2 ** 20,
    firstRss,
    maxRss: process.resourceUsage().maxRSS / 1024,
    liveHeapMiB: liveHeapMiB(),
  };
}

/**
 * One fresh process: a cursor over the first 20,000 vulnerability records (more pages than the
 * default cache holds), first in a fresh process, then again; the baseline reads the same number
 * of pages one positioned read each.
 */
function measureScan(): Figures {
  const db = openTrivyDb(LARGE_DB.path);
  const bucket = db.bolt.bucket('vulnerability');
  let bytes = 0;
  const scan = () => {
    let entries = 0;
    bytes = 0;
    for (const entry of bucket?.entries() ?? []) {
      bytes += entry.value.length;
      if (++entries === 20_000) break;
    }
  };
  const stats = db.bolt.stats;
  const first = timed(scan);
  const { reads, bytesRead, pagesReadAhead } = stats;
  const again = Array.from({ length: 3 }, () => timed(scan));
  db.close();
  const pages = Math.round(bytesRead / 4096);
  const baseline = rawReads(LARGE_DB, pages, true);
  return {
    entries: 20_000,
    mib: bytes / 2 ** 20,
    firstMs: first.ms,
    firstCpuMs: first.cpuMs,
    againMs: median(again.map((run) => run.ms)),
    againCpuMs: median(again.map((run) => run.cpuMs)),
    reads,
    pages,
    pagesReadAhead,
    baselineMs: baseline.ms,
    baselineCpuMs: baseline.cpuMs,
    maxRss: process.resourceUsage().maxRSS / 1024,
  };
}

const COMPILE_CACHE = fileURLToPath(new URL('../node_modules/.cache/vigil-compile', import.meta.url));

/**
 * A measuring process with bin/vigil's heap flag. It loads this file through a compile cache
 * (TypeScript stripped once, then cached), so its RSS is not inflated by the stripper; with
 * `script` false it runs Node on `args` alone.
 */
function child(args: string[], script = true): Figures {
  const loader = `import { enableCompileCache } from 'node:module'; enableCompileCache(${JSON.stringify(COMPILE_CACHE)}); await import(${JSON.stringify(import.meta.url)});`;
  const entry = script ? ['--input-type=module', '-e', loader, '--'] : [];
  // --expose-gc only lets the end of a run measure the live heap.
  const run = spawnSync(process.execPath, ['--max-semi-space-size=2', '--expose-gc', ...entry, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`bench child ${args.join(' ')} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Figures;
}

/**
 * What makes system calls and page faults dear here: kernel page-table isolation on a CPU without
 * PCID flushes the TLB on every kernel entry, which this bench's reads and first touches all are.
 */
function kernelNote(): string {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return 'unknown';
    }
  };
  const meltdown = read('/sys/devices/system/cpu/vulnerabilities/meltdown');
  const flags =
    read('/proc/cpuinfo')
      .match(/^flags\s*:(.*)$/m)?.[1]
      ?.split(' ') ?? [];
  return `kernel: meltdown ${meltdown}; CPU ${flags.includes('pcid') ? 'has' : 'lacks'} PCID`;
}

/** Reads the file once so every measurement reads from the OS page cache, not the disk. */
function warmOsCache(db: BenchDb): void {
  const fd = openSync(db.path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let position = 0;
  for (let n = readSync(fd, chunk, 0, chunk.length, 0); n > 0; n = readSync(fd, chunk, 0, chunk.length, position)) {
    position += n;
  }
  closeSync(fd);
}

const dbMiB = (db: BenchDb) => (statSync(db.path).size / 2 ** 20).toFixed(0);

function report(rounds: number): void {
  const load = () =>
    loadavg()
      .map((n) => n.toFixed(1))
      .join(' ');
  const loadBefore = load();
  warmOsCache(LARGE_DB);
  warmOsCache(SMALL_DB);
  const runs: Record<string, Figures[]> = {
    empty: [],
    idle: [],
    small: [],
    details: [],
    large: [],
    smallDb: [],
    scan: [],
  };
  for (let round = 0; round < rounds; round++) {
    runs.empty?.push(
      child(['-e', `console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS / 1024 }))`], false),
    );
    runs.idle?.push(child(['--idle']));
    runs.small?.push(child(['--lookups', '8', 'plain', 'large']));
    runs.details?.push(child(['--lookups', '8', 'details', 'large']));
    runs.large?.push(child(['--lookups', '32', 'plain', 'large']));
    runs.smallDb?.push(child(['--lookups', '8', 'plain', 'small']));
    runs.scan?.push(child(['--scan']));
  }
  const m = (config: string, field: string) => median((runs[config] ?? []).map((figures) => figures[field] as number));
  const rate = (ms: number) => `${Math.round(1000 / (ms / 1000)).toLocaleString('en')} /s`;
  const f1 = (n: number) => n.toFixed(1);
  const baseline = (config: string, ms: string, reads: string) =>
    `baseline ${rate(m(config, ms)).padStart(9)} (${f1(m(config, ms))} ms for ${m(config, reads)} raw reads)`;
  const labels: Array<[string, string]> = [
    ['small', ' 8 MiB cache (default)         '],
    ['large', '32 MiB cache                   '],
    ['details', ' 8 MiB, + vulnerability records'],
  ];
  const steady = ([config, label]: [string, string]) =>
    `  ${label} ${rate(m(config, 'steadyMs')).padStart(9)}   ${f1(m(config, 'steadyMs'))} ms wall, ${f1(m(config, 'steadyMainMs'))} ms CPU, ${m(config, 'steadyReads')} page reads (${f1(m(config, 'steadyReadMs'))} ms of them)   | ${baseline(config, 'steadyBaselineMs', 'steadyReads')}`;
  const firstPass = ([config, label]: [string, string]) => [
    `  ${label} ${rate(m(config, 'firstMs')).padStart(9)}   ${f1(m(config, 'firstMs'))} ms wall, ${f1(m(config, 'firstMainMs'))} ms main-thread CPU (${f1(m(config, 'firstCpuMs'))} ms all threads)   | ${baseline(config, 'baselineMs', 'firstReads')}`,
    `      where the time goes: ${m(config, 'firstReads')} page reads ${f1(m(config, 'firstReadMs'))} ms; ${m(config, 'firstFaults')} page faults (${m(config, 'firstAdmitted')} of them cache pages) at ~${f1(m(config, 'faultUs'))} us each here; JIT warm-up, JSON and GC the rest`,
  ];
  const repeated = ([config, label]: [string, string]) =>
    `  ${label} ${rate(m(config, 'repeatedMs')).padStart(9)}   ${f1(m(config, 'repeatedMs'))} ms wall, ${f1(m(config, 'repeatedCpuMs'))} ms CPU, ${m(config, 'repeatedReads')} page reads per pass (baseline ${f1(m(config, 'repeatedBaselineMs'))} ms); ${f1(m(config, 'cacheMiB'))} MiB of cache in use`;
  const out = [
    `db: ${dbMiB(LARGE_DB)} MiB, ${bucketNames().length + 2} top-level buckets; inventory: 1,000 packages (700 language packages, each looked up in the 3 buckets of its ecosystem, and 300 OS packages), ${m('small', 'advisories')} advisories per pass`,
    `medians of ${rounds} rounds, each in a fresh process; load average ${loadBefore} before, ${load()} after (${availableParallelism()} CPUs); ${kernelNote()}`,
    `open (median of 20 opens):  ${m('small', 'openMs').toFixed(2)} ms   (goal < 20 ms)`,
    "ADVISORY LOOKUPS per second, the scan's own (the detector's AdvisoryStore); goal >= 50,000 /s. Baseline: the same number of",
    '  raw positioned 4 KiB reads (one reused buffer, same process, afterwards), a ceiling for any reader that reads pages',
    `steady state: a warm process looking up packages it has not looked up before (median of ${STEADY_PASSES} passes after ${WARM_UP_PASSES}, each a different inventory):`,
    ...labels.map(steady),
    'first pass in a fresh process, a CLI scan at its coldest (the JIT cold, the V8 heap untouched, the reader cache empty):',
    ...labels.flatMap(firstPass),
    'repeated passes over the same inventory (median of 20, the second pass onwards):',
    ...labels.map(repeated),
    `cursor scan of ${m('scan', 'entries')} vulnerability records (${f1(m('scan', 'mib'))} MiB of values), 8 MiB cache:`,
    `  first: ${f1(m('scan', 'firstMs'))} ms wall, ${f1(m('scan', 'firstCpuMs'))} ms CPU, ${m('scan', 'reads')} reads for ${m('scan', 'pages')} pages (${m('scan', 'pagesReadAhead')} of them read ahead); again: ${f1(m('scan', 'againMs'))} ms wall, ${f1(m('scan', 'againCpuMs'))} ms CPU`,
    `  baseline: ${m('scan', 'pages')} raw positioned 4 KiB reads: ${f1(m('scan', 'baselineMs'))} ms wall, ${f1(m('scan', 'baselineCpuMs'))} ms CPU`,
    `peak RSS (goal < 100 MB = 95.4 MiB, whatever the DB's size), after the first pass (all a scan makes) / after all ${WARM_UP_PASSES + STEADY_PASSES + 21} passes:`,
    `  ${f1(m('small', 'firstRss'))} / ${f1(m('small', 'maxRss'))} MiB with the 8 MiB cache, ${f1(m('large', 'firstRss'))} / ${f1(m('large', 'maxRss'))} MiB with 32 MiB, ${f1(m('details', 'firstRss'))} / ${f1(m('details', 'maxRss'))} MiB with vulnerability records; ${f1(m('scan', 'maxRss'))} MiB scanning`,
    `  V8 heap in use after a full collection at the end: ${f1(m('small', 'liveHeapMiB'))} MiB with the 8 MiB cache, ${f1(m('details', 'liveHeapMiB'))} MiB with vulnerability records (the growth after the first pass is garbage V8 had not collected yet)`,
    `  the same lookups on a ${dbMiB(SMALL_DB)} MiB DB (a tenth of the packages and vulnerabilities): ${f1(m('smallDb', 'firstRss'))} / ${f1(m('smallDb', 'maxRss'))} MiB with the 8 MiB cache (first pass ${rate(m('smallDb', 'firstMs'))}, steady state ${rate(m('smallDb', 'steadyMs'))})`,
    `  for comparison: Node on an empty script ${f1(m('empty', 'maxRss'))} MiB; this script with the DB modules loaded, before any DB work ${f1(m('idle', 'maxRss'))} MiB`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

// Run as a file, arguments follow the script's path; loaded by a child's `-e` loader, they follow Node's.
const asFile = process.argv[1] === fileURLToPath(import.meta.url);
const [mode, argument, extra, dbName] = process.argv.slice(asFile ? 2 : 1);
const benchDb = (name: string | undefined): BenchDb => {
  const db = BENCH_DBS[name ?? 'large'];
  if (db === undefined) throw new Error(`unknown bench DB ${name}: one of ${Object.keys(BENCH_DBS).join(', ')}`);
  return db;
};
if (mode === '--generate') {
  generate(benchDb(argument));
} else if (mode === '--idle') {
  // This script with every DB module loaded, before any DB work.
  process.stdout.write(`${JSON.stringify({ maxRss: process.resourceUsage().maxRSS / 1024 })}\n`);
} else if (mode === '--lookups') {
  process.stdout.write(`${JSON.stringify(measureLookups(Number(argument), extra === 'details', benchDb(dbName)))}\n`);
} else if (mode === '--scan') {
  process.stdout.write(`${JSON.stringify(measureScan())}\n`);
} else {
  for (const [name, db] of Object.entries(BENCH_DBS)) {
    if (existsSync(db.path)) continue;
    // Generated in a child process so its memory does not count anywhere.
    const made = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate', name], {
      stdio: 'inherit',
    });
    if (made.status !== 0) process.exit(1);
  }
  report(Number(mode ?? 5) || 5);
}
