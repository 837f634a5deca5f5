// OCI pull benchmark: a 200 MiB DB artifact from a loopback docker-registry, pulled by Vigil and,
// in the same run, the same blob by curl. Prints both times, their ratio (goal: Vigil within 1.2x
// of curl) and the pull's peak RSS measured in a child process (goal: under 100 MB).
//   node_modules/.bin/node bench/oci-pull.bench.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArtifactRepositories, pullArtifactNow } from '../src/db/artifact/index.ts';
import { silentLogger } from '../src/log/index.ts';
import { createHttpClient } from '../src/net/index.ts';
import { parseReference, RegistryClient } from '../src/oci/registry/index.ts';
import { startTestRegistry } from '../test/helpers/registry.ts';
import { makeDbArchive, pushDbArtifact } from '../test/helpers/registry-db-artifact.ts';

const SIZE_MIB = 200;
const RUNS = 3;
const DIR = join(tmpdir(), 'vigil-bench-oci-v1');
const ARCHIVE = join(DIR, 'db.tar.gz');
const SELF = fileURLToPath(import.meta.url);

interface ChildReport {
  ms: number;
  maxRssMiB: number;
  startRssMiB: number;
}

const mib = (bytes: number) => bytes / 2 ** 20;
const rssMiB = () => process.resourceUsage().maxRSS / 1024;

/** In a child process: one measured pull, reported as JSON on stdout. */
async function child(mode: string, repository: string, target: string): Promise<void> {
  const startRssMiB = rssMiB();
  const http = createHttpClient({ retry: { attempts: 1 } });
  const registry = new RegistryClient({ http });
  let started = performance.now();
  if (mode === 'blob') {
    // Like the curl side: the blob alone, its URL already known.
    const fetched = await registry.getManifest(parseReference(repository));
    const layer = fetched.manifest?.layers[0];
    if (!layer) throw new Error('no layer');
    started = performance.now();
    await registry.downloadBlob(fetched.reference, layer, target);
  } else {
    const repositories = parseArtifactRepositories('db', [repository], silentLogger);
    await pullArtifactNow('db', { cacheDir: target, repositories }, { registry, logger: silentLogger });
  }
  const ms = performance.now() - started;
  await http.close();
  const report: ChildReport = { ms, maxRssMiB: rssMiB(), startRssMiB };
  process.stdout.write(JSON.stringify(report));
}

/**
 * Node's default young generation lets ~60 MB of finished 64 KiB socket chunks wait for a full GC;
 * bin/vigil runs Node with a small one, so the bench measures that too, with bin/vigil's own flag.
 */
const SMALL_YOUNG_GENERATION =
  /--max-semi-space-size=\d+/.exec(
    readFileSync(fileURLToPath(new URL('../bin/vigil', import.meta.url)), 'utf8'),
  )?.[0] ?? '--max-semi-space-size=2';

function runChild(mode: string, repository: string, target: string, nodeFlags: string[] = []): ChildReport {
  const args = [...nodeFlags, '--disable-warning=ExperimentalWarning', SELF, '--child', mode, repository, target];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`child ${mode} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildReport;
}

function curl(url: string, output: string): number {
  const started = performance.now();
  const run = spawnSync('curl', ['-sS', '--fail', '-o', output, url], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`curl failed: ${run.stderr}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  if (!existsSync(ARCHIVE)) {
    process.stdout.write(`generating a ${SIZE_MIB} MiB artifact in ${DIR} (once)\n`);
    const now = Date.now();
    const built = await makeDbArchive(join(DIR, 'build'), {
      updatedAt: new Date(now),
      nextUpdate: new Date(now + 86_400_000),
      padMiB: SIZE_MIB,
    });
    renameSync(built, ARCHIVE);
    rmSync(join(DIR, 'build'), { recursive: true, force: true });
  }
  const work = mkdtempSync(join(tmpdir(), 'vigil-bench-oci-run-'));
  const registry = await startTestRegistry('noauth', join(work, 'registry'));
  try {
    const http = createHttpClient();
    const reference = parseReference(`${registry.host}/bench/trivy-db:2`);
    await pushDbArtifact(new RegistryClient({ http }), reference, ARCHIVE, 'db');
    const fetched = await new RegistryClient({ http }).getManifest(reference);
    await http.close();
    const layer = fetched.manifest?.layers[0];
    if (!layer) throw new Error('no layer');
    const url = `${registry.url}/v2/${reference.repository}/blobs/${layer.digest}`;
    const size = mib(statSync(ARCHIVE).size);

    const variants = [
      { name: 'node defaults', flags: [] as string[] },
      { name: `node ${SMALL_YOUNG_GENERATION}, as bin/vigil runs it`, flags: [SMALL_YOUNG_GENERATION] },
    ];
    const curlMs: number[] = [];
    const blobRuns = variants.map(() => [] as ChildReport[]);
    const pullRuns = variants.map(() => [] as ChildReport[]);
    // Warm the registry's page cache once, then alternate so neither side gets a warmer machine.
    curl(url, join(work, 'warm.bin'));
    for (let run = 0; run < RUNS; run++) {
      const curlOut = join(work, `curl-${run}.bin`);
      curlMs.push(curl(url, curlOut));
      rmSync(curlOut);
      for (const [index, variant] of variants.entries()) {
        const blobOut = join(work, `vigil-${run}.bin`);
        blobRuns[index]?.push(runChild('blob', `${registry.host}/bench/trivy-db:2`, blobOut, variant.flags));
        rmSync(blobOut);
        const cache = join(work, `cache-${run}`);
        pullRuns[index]?.push(runChild('pull', `${registry.host}/bench/trivy-db:2`, cache, variant.flags));
        rmSync(cache, { recursive: true, force: true });
      }
    }
    const curlMedian = median(curlMs);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const rate = (ms: number) => `${(size / (ms / 1000)).toFixed(0)} MiB/s`;
    const peak = (runs: ChildReport[]) => Math.max(...runs.map((r) => r.maxRssMiB)).toFixed(0);
    const start = (runs: ChildReport[]) => Math.max(...runs.map((r) => r.startRssMiB)).toFixed(0);
    const lines = [
      `artifact: ${size.toFixed(1)} MiB blob (db.tar.gz), loopback docker-registry, median of ${RUNS} runs`,
      `curl, blob to file: ${seconds(curlMedian)} (${rate(curlMedian)})`,
    ];
    for (const [index, variant] of variants.entries()) {
      const blob = blobRuns[index] ?? [];
      const pull = pullRuns[index] ?? [];
      const blobMs = median(blob.map((r) => r.ms));
      const pullMs = median(pull.map((r) => r.ms));
      lines.push(
        `vigil (${variant.name}):`,
        `  blob to file, size+sha256 verified: ${seconds(blobMs)} (${rate(blobMs)}), ${(blobMs / curlMedian).toFixed(2)}x curl (goal <= 1.2x); peak RSS ${peak(blob)} MB, ${start(blob)} MB of it before the first byte`,
        `  full pull (download, verify, extract, format check, fsync, install): ${seconds(pullMs)}, ${(pullMs / curlMedian).toFixed(2)}x curl; peak RSS ${peak(pull)} MB (goal < 100 MB)`,
      );
    }
    lines.push(
      `machine load average while measuring: ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')} (2 cores; curl and the registry share them)`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string);
} else {
  await main();
}
