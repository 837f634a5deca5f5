import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianImage } from '../test/helpers/debian-image.ts';
import { seedVulnDb } from '../test/helpers/vuln-db.ts';
import { VIGIL_ENV, VIGIL_NODE_FLAGS } from './support/vigil-process.ts';

// Issue 5's benchmark: cold and warm scans of a real Debian image (~120 MB uncompressed), wall
// time and peak RSS, next to the floor measured in the same run: decompressing and listing the
// same layer with gzip and tar. Goals: cold within 1.5x of the floor, warm < 0.3 s, RSS < 150 MB.
const measure = fileURLToPath(new URL('./support/measure-cli.ts', import.meta.url));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** `ms` is the command itself; `processMs` adds Node's start-up and module loading. */
function vigil(args: string[]): { ms: number; processMs: number; maxRssMiB: number } {
  const started = performance.now();
  // Node started as bin/vigil starts it. The scan command's code is loaded before the clock, as
  // it was before commands loaded lazily.
  const run = spawnSync(
    process.execPath,
    [...VIGIL_NODE_FLAGS, measure, '--preload=src/cli/scan-command.ts', ...args],
    {
      encoding: 'utf8',
      env: VIGIL_ENV,
    },
  );
  const processMs = performance.now() - started;
  const last = run.stderr.trim().split('\n').pop() ?? '{}';
  const result = JSON.parse(last) as { status: number; ms: number; maxRssMiB: number };
  if (result.status !== 0) throw new Error(`vigil ${args.join(' ')} failed:\n${run.stderr}`);
  return { ...result, processMs };
}

function timed(command: string): number {
  const started = performance.now();
  execFileSync('sh', ['-c', command]);
  return performance.now() - started;
}

const dir = await ensureDebianImage();
const blobs = join(dir, 'oci/blobs/sha256');
const layer = readdirSync(blobs)
  .map((name) => join(blobs, name))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0] as string;
const rounds = 5;
const floors: number[] = [];
type Run = ReturnType<typeof vigil>;
const colds: Run[] = [];
const warms: Run[] = [];
const coldsArchive: Run[] = [];
for (let round = 0; round < rounds; round += 1) {
  const cache = mkdtempSync(join(tmpdir(), 'vigil-bench-scan-'));
  try {
    await seedVulnDb(cache);
    const args = (input: string) => ['image', '--input', input, '--cache-dir', cache, '--offline', '-q', '-f', 'json'];
    floors.push(timed(`gzip -dc '${layer}' | tar -t > /dev/null`));
    colds.push(vigil(args(join(dir, 'oci:bookworm'))));
    warms.push(vigil(args(join(dir, 'oci:bookworm'))));
    rmSync(join(cache, 'scan'), { recursive: true, force: true });
    coldsArchive.push(vigil(args(join(dir, 'debian.docker.tar'))));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
const floor = median(floors);
const cold = median(colds.map((run) => run.ms));
const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(52)} ${value}\n`);
line(`layer: ${(statSync(layer).size / 2 ** 20).toFixed(1)} MiB gzip`, '');
line('floor: gzip -dc | tar -t (median of 5)', `${floor.toFixed(0)} ms`);
line(
  'cold scan, OCI layout (gzip layer), median',
  `${cold.toFixed(0)} ms  = ${(cold / floor).toFixed(2)}x floor (goal <= 1.5x)`,
);
line('warm scan, OCI layout, median', `${median(warms.map((run) => run.ms)).toFixed(0)} ms (goal < 300 ms)`);
line(
  'same, whole process (start-up included): cold / warm',
  `${median(colds.map((run) => run.processMs)).toFixed(0)} / ${median(warms.map((run) => run.processMs)).toFixed(0)} ms`,
);
line('cold scan, docker archive (uncompressed), median', `${median(coldsArchive.map((run) => run.ms)).toFixed(0)} ms`);
line(
  'peak RSS cold / warm / archive (max)',
  `${Math.max(...colds.map((r) => r.maxRssMiB)).toFixed(0)} / ${Math.max(...warms.map((r) => r.maxRssMiB)).toFixed(0)} / ${Math.max(...coldsArchive.map((r) => r.maxRssMiB)).toFixed(0)} MiB (goal < 150 MiB)`,
);
