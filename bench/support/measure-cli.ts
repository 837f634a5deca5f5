import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

enableCompileCache(fileURLToPath(new URL('../../node_modules/.cache/vigil-compile', import.meta.url)));
const { runCli } = await import('../../src/cli/main.ts');

// Runs one Vigil command in this process and prints its wall time and this process's peak RSS
// as JSON on the last line of stderr, so a benchmark can measure a scan without a shell wrapper.
// `--preload=MODULE` (first arguments, relative to the repository) loads the command's lazily
// imported code before the clock starts, so `ms` is the command's work and not module loading.
const args = process.argv.slice(2);
while (args[0]?.startsWith('--preload=')) {
  await import(new URL(`../../${(args.shift() as string).slice('--preload='.length)}`, import.meta.url).href);
}
const started = performance.now();
const status = await runCli(args, {
  stdout: { write: () => true },
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
});
const ms = performance.now() - started;
process.stderr.write(`${JSON.stringify({ status, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exitCode = status;
