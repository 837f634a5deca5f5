// OCI pull benchmark (issue 3): a 200 MiB DB artifact from a loopback docker-registry, pulled by
// Vigil and, in the same run, the same blob by curl. Every phase is set against a baseline tool
// measured in the same run: download (curl), sha256 (openssl), gunzip + untar (gzip -dc | tar x),
// install (sync + mv). Each Vigil measurement runs in a fresh child process with bin/vigil's Node
// flags and compile cache; figures are medians of RUNS, with the machine's load average. The whole
// `vigil db pull` is bin/vigil itself, its peak RSS reported by a preloaded exit hook.
// Goals: download within 1.2x of curl, peak RSS under 100 MB.
//   node_modules/.bin/node bench/oci-pull.bench.ts [runs]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchDbArchive } from './support/db-archive.ts';

const SIZE_MIB = 200;
const RUNS = Number(process.argv[2] === '--child' ? 0 : (process.argv[2] ?? 5));
const DIR = join(tmpdir(), 'vigil-bench-oci-v1');
const ARCHIVE = join(DIR, 'db.tar.gz');
const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VIGIL_BIN = join(ROOT, 'bin/vigil');
const COMPILE_CACHE = join(ROOT, 'node_modules/.cache/vigil-compile');

/** What a child reports: phase times in ms, peak RSS, and RSS once its modules are loaded. */
interface ChildReport {
  readonly phases: Record<string, number>;
  readonly maxRssMiB: number;
  readonly loadedRssMiB: number;
}

const rssMiB = () => process.resourceUsage().maxRSS / 1024;

/**
 * One measured pull in this (child) process. Only the modules the pull needs are loaded, after the
 * compile cache is enabled as bin/vigil does, so start-up figures are what a lean CLI would pay.
 */
async function child(mode: string, repository: string, target: string, caFile?: string): Promise<void> {
  if (mode === 'socket') return socketFloor(repository);
  enableCompileCache(COMPILE_CACHE);
  const { createHttpClient } = await import('../src/net/index.ts');
  const { parseReference, RegistryClient } = await import('../src/oci/registry/index.ts');
  const artifact = await import('../src/db/artifact/index.ts');
  const { publishFiles, writeDurably } = await import('../src/db/artifact/install.ts');
  const { silentLogger } = await import('../src/log/index.ts');
  const loadedRssMiB = rssMiB();
  const http = createHttpClient({ retry: { attempts: 1 }, caFiles: caFile ? [caFile] : [] });
  const registry = new RegistryClient({ http });
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = now - mark;
    mark = now;
  };
  if (mode === 'pull') {
    const repositories = artifact.parseArtifactRepositories('db', [repository], silentLogger);
    await artifact.pullArtifactNow('db', { cacheDir: target, repositories }, { registry, logger: silentLogger });
    lap('total');
  } else {
    // The lifecycle's steps one by one (as stageArtifact and installDb run them), timed apart.
    const fetched = await registry.getManifest(parseReference(repository));
    const layer = fetched.manifest?.layers[0];
    if (!layer) throw new Error('no layer');
    lap('manifest');
    const staging = join(target, 'staging');
    mkdirSync(join(staging, 'content'), { recursive: true });
    const blob = join(staging, 'db.tar.gz');
    await registry.downloadBlob(fetched.reference, layer, blob);
    lap('download');
    if (mode === 'phases') {
      const content = join(staging, 'content');
      const plan = { kind: 'files', names: ['trivy.db', 'metadata.json'] } as const;
      const limits = { maxEntries: 64, maxFileBytes: 2 ** 36, maxTotalBytes: 2 ** 36 };
      await artifact.extractTarGz(blob, content, plan, limits, 'bench');
      rmSync(blob);
      lap('extract');
      const problem = await artifact.bboltProblem(join(content, 'trivy.db'));
      if (problem) throw new Error(problem);
      const metadata = readFileSync(join(content, 'metadata.json'));
      lap('check');
      await writeDurably(join(content, 'metadata.json'), metadata);
      await writeDurably(join(content, 'vigil-source.json'), '{}');
      const names = ['trivy.db', 'vigil-source.json', 'metadata.json'];
      await publishFiles(
        names.map((name) => join(content, name)),
        join(target, 'db'),
      );
      lap('install');
    }
  }
  await http.close();
  const report: ChildReport = { phases, maxRssMiB: rssMiB(), loadedRssMiB };
  process.stdout.write(JSON.stringify(report));
}

/**
 * The floor Node itself sets: the blob read from a plain socket with Node's default reads (one new
 * 64 KiB buffer each) and thrown away, no HTTP parser, hash or file. `url` is the blob's URL.
 */
async function socketFloor(url: string): Promise<void> {
  const { connect } = await import('node:net');
  const target = new URL(url);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port) }, () =>
      socket.write(`GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`),
    );
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    socket.on('error', reject);
    socket.on('close', () => (bytes > 0 ? resolve() : reject(new Error('no data'))));
  });
  const report: ChildReport = {
    phases: { download: performance.now() - started },
    maxRssMiB: rssMiB(),
    loadedRssMiB: 0,
  };
  process.stdout.write(JSON.stringify(report));
}

/** bin/vigil's own Node flags, read from it, so the bench measures what users run. */
const VIGIL_NODE_FLAGS = [
  '--disable-warning=ExperimentalWarning',
  ...(/--max-semi-space-size=\d+/.exec(readFileSync(VIGIL_BIN, 'utf8')) ?? []),
];
/** Whether bin/vigil hands Node the compile cache from the start, its own entry file included. */
const VIGIL_SETS_COMPILE_CACHE = readFileSync(VIGIL_BIN, 'utf8').includes('NODE_COMPILE_CACHE');

function runChild(mode: string, repository: string, target: string, caFile?: string): ChildReport {
  const extra = caFile ? [caFile] : [];
  // The compile cache from the start, so this bench file (TypeScript) does not load Node's type
  // stripper into the child: the figures are the pull's, not the bench's.
  const run = spawnSync(process.execPath, [...VIGIL_NODE_FLAGS, SELF, '--child', mode, repository, target, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE },
  });
  if (run.status !== 0) throw new Error(`child ${mode} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildReport;
}

/**
 * The whole `vigil db pull` as users run it: bin/vigil itself, `ms` including start-up and module
 * loading. `hook` is a preloaded module that prints the process's status and peak RSS at exit;
 * `env` adds variables (to try what bin/vigil could set). A CLI that does not start (another module
 * mid-change) is reported, not fatal.
 */
function runCli(
  repository: string,
  cache: string,
  hook: string,
  env: Record<string, string> = {},
): { ms: number; maxRssMiB: number } | string {
  const started = performance.now();
  const args = ['db', 'pull', '--db-repository', repository, '--cache-dir', cache, '-q'];
  const run = spawnSync(VIGIL_BIN, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env, NODE_OPTIONS: `--import=${hook}` },
  });
  const ms = performance.now() - started;
  const last = run.stderr.trim().split('\n').pop() ?? '';
  const result = (last.startsWith('{') ? JSON.parse(last) : {}) as { status?: number; maxRssMiB: number };
  if (result.status !== 0) {
    const reason = /^(?:error: |\w*Error).*$/m.exec(run.stderr)?.[0] ?? run.stderr.trim().slice(0, 200);
    return `vigil db pull failed: ${reason}`;
  }
  return { ms, maxRssMiB: result.maxRssMiB };
}

/** The exit hook runCli preloads: plain JavaScript, so it loads nothing bin/vigil would not. */
function writePeakRssHook(dir: string): string {
  const file = join(dir, 'peak-rss-hook.mjs');
  writeFileSync(
    file,
    "process.on('exit', (status) => process.stderr.write('\\n' + JSON.stringify({ status, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\\n'));\n",
  );
  return file;
}

function timed(command: string, args: string[]): number {
  const started = performance.now();
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  // Test helpers start the registry and build the artifact; children never load them.
  const { createHttpClient } = await import('../src/net/index.ts');
  const { parseReference, RegistryClient } = await import('../src/oci/registry/index.ts');
  const { startTestRegistry } = await import('../test/helpers/registry.ts');
  const { pushDbArtifact } = await import('../test/helpers/registry-db-artifact.ts');
  await ensureBenchDbArchive(DIR, SIZE_MIB);
  const work = mkdtempSync(join(tmpdir(), 'vigil-bench-oci-run-'));
  const registry = await startTestRegistry('noauth', join(work, 'registry'));
  // The same blob over TLS, as real registries serve it: both sides pay for decryption there.
  const tlsRegistry = await startTestRegistry('tls', join(work, 'tls-registry'));
  try {
    const caFile = tlsRegistry.caFile as string;
    const http = createHttpClient({ caFiles: [caFile] });
    const repository = `${registry.host}/bench/trivy-db:2`;
    const tlsRepository = `${tlsRegistry.host}/bench/trivy-db:2`;
    const reference = parseReference(repository);
    await pushDbArtifact(new RegistryClient({ http }), reference, ARCHIVE, 'db');
    await pushDbArtifact(new RegistryClient({ http }), parseReference(tlsRepository), ARCHIVE, 'db');
    const fetched = await new RegistryClient({ http }).getManifest(reference);
    await http.close();
    const layer = fetched.manifest?.layers[0];
    if (!layer) throw new Error('no layer');
    const url = `${registry.url}/v2/${reference.repository}/blobs/${layer.digest}`;
    const tlsUrl = `${tlsRegistry.url}/v2/${reference.repository}/blobs/${layer.digest}`;
    const blobMiB = statSync(ARCHIVE).size / 2 ** 20;

    const base = {
      curl: [] as number[],
      curlTls: [] as number[],
      sha256: [] as number[],
      untar: [] as number[],
      install: [] as number[],
    };
    const blobRuns: ChildReport[] = [];
    const socketRuns: ChildReport[] = [];
    const tlsRuns: ChildReport[] = [];
    const phaseRuns: ChildReport[] = [];
    const pullRuns: ChildReport[] = [];
    const cliRuns: Array<{ ms: number; maxRssMiB: number }> = [];
    const cachedCliRuns: Array<{ ms: number; maxRssMiB: number }> = [];
    let cliFailure: string | undefined;
    const hook = writePeakRssHook(work);
    const loadBefore = load();
    // Warm the registry's page cache once, then interleave so no side gets a quieter machine.
    execFileSync('curl', ['-sS', '--fail', '-o', join(work, 'warm.bin'), url]);
    execFileSync('curl', ['-sS', '--fail', '--cacert', caFile, '-o', join(work, 'warm.bin'), tlsUrl]);
    // And the compile cache: after a source change the first run compiles every module (with Node's
    // type stripper, ~15 MB more), which is not what a user's second run pays.
    const warmEnvs: Array<Record<string, string>> = [{}, { NODE_COMPILE_CACHE: COMPILE_CACHE }];
    for (const env of warmEnvs) {
      runCli(repository, join(work, 'warm-cache'), hook, env);
      rmSync(join(work, 'warm-cache'), { recursive: true, force: true });
    }
    mkdirSync(join(work, 'warm-child'));
    runChild('pull', repository, join(work, 'warm-child'));
    rmSync(join(work, 'warm-child'), { recursive: true, force: true });
    let unpackedMiB = 0;
    for (let run = 0; run < RUNS; run++) {
      const file = join(work, `curl-${run}.bin`);
      base.curl.push(timed('curl', ['-sS', '--fail', '-o', file, url]));
      base.sha256.push(timed('openssl', ['dgst', '-sha256', file]));
      const untarDir = join(work, `untar-${run}`);
      mkdirSync(untarDir);
      base.untar.push(timed('sh', ['-c', 'gzip -dc "$1" | tar x -C "$2"', 'sh', file, untarDir]));
      unpackedMiB = statSync(join(untarDir, 'trivy.db')).size / 2 ** 20;
      const installed = join(work, `installed-${run}`);
      mkdirSync(installed);
      base.install.push(
        timed('sh', [
          '-c',
          'sync "$1"/trivy.db "$1"/metadata.json && mv "$1"/* "$2"/ && sync "$2"',
          'sh',
          untarDir,
          installed,
        ]),
      );
      rmSync(file);
      rmSync(untarDir, { recursive: true });
      rmSync(installed, { recursive: true });

      socketRuns.push(runChild('socket', url, work));
      const tlsFile = join(work, `curl-tls-${run}.bin`);
      base.curlTls.push(timed('curl', ['-sS', '--fail', '--cacert', caFile, '-o', tlsFile, tlsUrl]));
      rmSync(tlsFile);
      const tlsTarget = join(work, `tls-${run}`);
      mkdirSync(tlsTarget);
      tlsRuns.push(runChild('blob', tlsRepository, tlsTarget, caFile));
      rmSync(tlsTarget, { recursive: true, force: true });
      for (const [mode, runs] of [
        ['blob', blobRuns],
        ['phases', phaseRuns],
        ['pull', pullRuns],
      ] as const) {
        const target = join(work, `${mode}-${run}`);
        mkdirSync(target);
        runs.push(runChild(mode, repository, target));
        rmSync(target, { recursive: true, force: true });
      }
      const cache = join(work, `cli-${run}`);
      const cli = runCli(repository, cache, hook);
      if (typeof cli === 'string') cliFailure = cli;
      else cliRuns.push(cli);
      rmSync(cache, { recursive: true, force: true });
      if (!VIGIL_SETS_COMPILE_CACHE) {
        // What bin/vigil would do with NODE_COMPILE_CACHE exported: its TypeScript entry file read
        // from the cache too, so Node's type stripper is never loaded.
        const cached = runCli(repository, cache, hook, { NODE_COMPILE_CACHE: COMPILE_CACHE });
        if (typeof cached !== 'string') cachedCliRuns.push(cached);
        rmSync(cache, { recursive: true, force: true });
      }
    }

    const phase = (runs: ChildReport[], name: string) => median(runs.map((r) => r.phases[name] ?? Number.NaN));
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const x = (ms: number, baseline: number) => `${(ms / baseline).toFixed(2)}x`;
    // Median, and the highest run: a run that compiled a module another engineer just changed loads
    // the type stripper and shows up only in the highest.
    const peak = (values: number[]) => `${median(values).toFixed(0)} MB (highest ${Math.max(...values).toFixed(0)})`;
    const curl = median(base.curl);
    const download = phase(blobRuns, 'download');
    const rows: Array<[string, number, string, number]> = [
      ['download to file, size + sha256 verified in the same pass', download, 'curl to file', curl],
      [
        "(Node's default socket reads to nowhere, 64 KiB buffer each)",
        phase(socketRuns, 'download'),
        'curl to file',
        curl,
      ],
      [
        'download over TLS (self-signed CA given as --cacert)',
        phase(tlsRuns, 'download'),
        'curl --cacert to file',
        median(base.curlTls),
      ],
      ['(sha256 of the blob: fused into the download above)', Number.NaN, 'openssl dgst -sha256', median(base.sha256)],
      [
        'extract: gunzip + untar with bounded sizes',
        phase(phaseRuns, 'extract'),
        'gzip -dc | tar x',
        median(base.untar),
      ],
      [
        'install: fsync, rename, metadata last',
        phase(phaseRuns, 'install'),
        'sync files + mv + sync',
        median(base.install),
      ],
    ];
    const lines = [
      `artifact: ${blobMiB.toFixed(1)} MiB db.tar.gz unpacking to ${unpackedMiB.toFixed(1)} MiB, loopback docker-registry; median of ${RUNS} runs, each Vigil run in a fresh process`,
      `  ${'phase'.padEnd(60)}${'vigil'.padStart(8)}   ${'baseline'.padEnd(34)}ratio`,
      ...rows.map(
        ([name, ms, tool, baseline]) =>
          `  ${name.padEnd(60)}${(Number.isNaN(ms) ? '' : s(ms)).padStart(8)}   ${`${tool} ${s(baseline)}`.padEnd(34)}${Number.isNaN(ms) ? '' : x(ms, baseline)}`,
      ),
      `  download: ${x(download, curl)} curl (goal <= 1.2x), ${(blobMiB / (download / 1000)).toFixed(0)} MiB/s; manifest before it ${s(phase(phaseRuns, 'manifest'))}`,
      `whole pull (pullArtifactNow: manifest, download, verify, extract, format check, install): ${s(phase(pullRuns, 'total'))}, ${x(phase(pullRuns, 'total'), curl)} curl`,
      `  peak RSS ${peak(pullRuns.map((r) => r.maxRssMiB))} in a process that loads only the pull's modules (${peak(pullRuns.map((r) => r.loadedRssMiB))} once loaded; blob download alone: ${peak(blobRuns.map((r) => r.maxRssMiB))}, over TLS ${peak(tlsRuns.map((r) => r.maxRssMiB))})`,
      cliRuns.length > 0
        ? `whole \`vigil db pull\` process as bin/vigil runs it (start-up, every CLI module, pull): ${s(median(cliRuns.map((r) => r.ms)))}, peak RSS ${peak(cliRuns.map((r) => r.maxRssMiB))} (goal < 100 MB)`
        : `whole \`vigil db pull\` process: not measured (${cliFailure})`,
      ...(cachedCliRuns.length > 0
        ? [
            `  with NODE_COMPILE_CACHE set for bin/vigil (its entry then skips Node's type stripper): ${s(median(cachedCliRuns.map((r) => r.ms)))}, peak RSS ${peak(cachedCliRuns.map((r) => r.maxRssMiB))}`,
          ]
        : []),
      `machine load average (1, 5, 15 min) before: ${loadBefore}, after: ${load()} (2 cores: curl, the registry and other work share them)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all([registry.stop(), tlsRegistry.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string, process.argv[6]);
} else {
  await main();
}
