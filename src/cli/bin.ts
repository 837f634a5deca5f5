import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

// Cache compiled (type-stripped) modules next to the install: start-up drops from seconds to
// well under one on repeat runs. A read-only install simply runs without it.
enableCompileCache(fileURLToPath(new URL('../../node_modules/.cache/vigil-compile', import.meta.url)));
const { runCli } = await import('./main.ts');

// A closed pipe (`vigil … | head`) is the reader's choice, not a failure: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The process entry point: real streams, real environment, real clock.
const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
});
process.exitCode = status;
