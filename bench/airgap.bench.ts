// Air-gap benchmark: a 200 MiB DB artifact mirrored between two loopback docker-registries, put
// into a bundle, imported from it and mirrored out of it, by Vigil and, in the same run, by
// skopeo doing the same copy (registry → registry, registry → oci-archive, oci-archive →
// registry). Goal: Vigil no slower than skopeo. Vigil runs as bin/vigil does (its Node flags,
// start-up included); peak RSS is the child process's.
//   node_modules/.bin/node bench/airgap.bench.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchDbArchive } from './support/db-archive.ts';
import { VIGIL_ENV, VIGIL_NODE_FLAGS } from './support/vigil-process.ts';

const SIZE_MIB = 200;
const RUNS = 5;
const DIR = join(tmpdir(), 'vigil-bench-airgap-v1');
const ARCHIVE = join(DIR, 'db.tar.gz');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MEASURE_CLI = join(ROOT, 'bench/support/measure-cli.ts');

interface VigilRun {
  /** Wall time of the whole process, start-up included. */
  readonly ms: number;
  /** Of that, the time before the command started: Node's start and loading the CLI's modules. */
  readonly startMs: number;
  readonly maxRssMiB: number;
}

function vigil(args: string[]): VigilRun {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...VIGIL_NODE_FLAGS, MEASURE_CLI, ...args, '-q'], {
    encoding: 'utf8',
    env: VIGIL_ENV,
  });
  const ms = performance.now() - started;
  const last = run.stderr.trim().split('\n').pop() ?? '';
  const result = (last.startsWith('{') ? JSON.parse(last) : {}) as { status?: number; ms: number; maxRssMiB: number };
  if (result.status !== 0) throw new Error(`vigil ${args.join(' ')} failed:\n${run.stderr.slice(0, 2000)}`);
  // measure-cli reports the time inside runCli; the rest (and the exit) is start-up.
  return { ms, startMs: ms - result.ms, maxRssMiB: result.maxRssMiB };
}

function skopeo(args: string[]): number {
  const started = performance.now();
  execFileSync('skopeo', ['copy', '--quiet', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const { createHttpClient } = await import('../src/net/index.ts');
  const { parseReference, RegistryClient } = await import('../src/oci/registry/index.ts');
  const { startTestRegistry } = await import('../test/helpers/registry.ts');
  const { pushDbArtifact } = await import('../test/helpers/registry-db-artifact.ts');
  await ensureBenchDbArchive(DIR, SIZE_MIB);
  const work = mkdtempSync(join(tmpdir(), 'vigil-bench-airgap-run-'));
  // Each test registry adds an exit listener (to kill it); this run starts 1 + 3 per run.
  process.setMaxListeners(4 * RUNS + 10);
  const source = await startTestRegistry('noauth', join(work, 'source'));
  let targets = 0;
  /** Runs `copy` against a registry of its own, stopped afterwards. */
  const intoFreshRegistry = async <T>(copy: (host: string) => T): Promise<T> => {
    const target = await startTestRegistry('noauth', join(work, `target-${targets++}`));
    try {
      return copy(target.host);
    } finally {
      await target.stop();
      rmSync(target.dir, { recursive: true, force: true });
    }
  };
  try {
    const http = createHttpClient();
    await pushDbArtifact(
      new RegistryClient({ http }),
      parseReference(`${source.host}/bench/trivy-db:2`),
      ARCHIVE,
      'db',
    );
    await http.close();
    const from = `docker://${source.host}/bench/trivy-db:2`;
    const tls = ['--src-tls-verify=false', '--dest-tls-verify=false'];
    const times = {
      skopeoMirror: [] as number[],
      vigilMirror: [] as VigilRun[],
      skopeoArchive: [] as number[],
      vigilBundle: [] as VigilRun[],
      vigilImport: [] as VigilRun[],
      skopeoFromArchive: [] as number[],
      vigilFromBundle: [] as VigilRun[],
    };
    const loadBefore = load();
    // Warm the source's page cache, then alternate so no side gets a quieter machine.
    skopeo([...tls, from, `oci-archive:${join(work, 'warm.tar')}:2`]);
    for (let run = 0; run < RUNS; run++) {
      const cache = join(work, `cache-${run}`);
      times.skopeoMirror.push(
        await intoFreshRegistry((host) => skopeo([...tls, from, `docker://${host}/mirror/trivy-db:2`])),
      );
      times.vigilMirror.push(
        await intoFreshRegistry((host) =>
          vigil([
            'mirror',
            '--db',
            '--db-repository',
            `${source.host}/bench/trivy-db`,
            '--to',
            `${host}/mirror`,
            '--cache-dir',
            cache,
          ]),
        ),
      );
      const archive = join(work, `skopeo-${run}.tar`);
      times.skopeoArchive.push(skopeo([...tls, from, `oci-archive:${archive}:trivy-db:2`]));
      const bundle = join(work, `vigil-${run}.tar`);
      times.vigilBundle.push(
        vigil([
          'bundle',
          'create',
          bundle,
          '--db',
          '--db-repository',
          `${source.host}/bench/trivy-db`,
          '--cache-dir',
          cache,
        ]),
      );
      times.vigilImport.push(vigil(['bundle', 'import', bundle, '--cache-dir', join(work, `imported-${run}`)]));
      times.skopeoFromArchive.push(
        await intoFreshRegistry((host) =>
          skopeo([...tls, `oci-archive:${archive}:trivy-db:2`, `docker://${host}/mirror/trivy-db:2`]),
        ),
      );
      times.vigilFromBundle.push(
        await intoFreshRegistry((host) =>
          vigil(['mirror', '--from-bundle', bundle, '--db', '--to', `${host}/mirror`, '--cache-dir', cache]),
        ),
      );
      rmSync(archive);
      rmSync(join(work, `imported-${run}`), { recursive: true, force: true });
      if (run > 0) rmSync(bundle);
    }
    const blobMiB = statSync(ARCHIVE).size / 2 ** 20;
    const rows: Array<[string, number[], VigilRun[]]> = [
      ['registry → registry (vigil mirror | skopeo copy docker:// docker://)', times.skopeoMirror, times.vigilMirror],
      [
        'registry → one file (vigil bundle create | skopeo copy docker:// oci-archive:)',
        times.skopeoArchive,
        times.vigilBundle,
      ],
      [
        'file → registry (vigil mirror --from-bundle | skopeo copy oci-archive: docker://)',
        times.skopeoFromArchive,
        times.vigilFromBundle,
      ],
    ];
    process.stdout.write(
      `artifact: ${blobMiB.toFixed(1)} MiB layer, ${RUNS} runs each, medians; load ${loadBefore} → ${load()}\n`,
    );
    for (const [name, skopeoMs, vigilRuns] of rows) {
      const vigilMs = median(vigilRuns.map((entry) => entry.ms));
      const ratio = vigilMs / median(skopeoMs);
      process.stdout.write(
        `${name}\n  skopeo ${seconds(median(skopeoMs))}, vigil ${seconds(vigilMs)} (${ratio.toFixed(2)}x skopeo, goal ≤ 1.00; ` +
          `start-up and exit ${seconds(median(vigilRuns.map((entry) => entry.startMs)))}), ` +
          `vigil peak RSS ${Math.max(...vigilRuns.map((entry) => entry.maxRssMiB)).toFixed(0)} MiB\n`,
      );
    }
    const importMs = median(times.vigilImport.map((entry) => entry.ms));
    const importStartMs = median(times.vigilImport.map((entry) => entry.startMs));
    process.stdout.write(
      `bundle import (verify every digest, unpack, check, install): ${seconds(importMs)} (start-up and exit ${seconds(importStartMs)}), peak RSS ` +
        `${Math.max(...times.vigilImport.map((entry) => entry.maxRssMiB)).toFixed(0)} MiB (no skopeo equivalent)\n`,
    );
  } finally {
    await source.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
