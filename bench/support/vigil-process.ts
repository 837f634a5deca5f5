import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// How bin/vigil starts Node, read from bin/vigil itself so a benchmark that runs Vigil through
// measure-cli.ts pays what users pay: the same Node flags, and NODE_COMPILE_CACHE exported so
// even the TypeScript entry file comes from the compile cache (without it, Node's type stripper
// loads: about 0.1 s and 16 MB more per process, measured on `vigil version`).
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VIGIL_BIN = readFileSync(`${ROOT}/bin/vigil`, 'utf8');

export const VIGIL_NODE_FLAGS: readonly string[] = [
  '--disable-warning=ExperimentalWarning',
  ...(/--max-semi-space-size=\d+/.exec(VIGIL_BIN) ?? []),
];

export const VIGIL_ENV: NodeJS.ProcessEnv = VIGIL_BIN.includes('NODE_COMPILE_CACHE')
  ? { ...process.env, NODE_COMPILE_CACHE: `${ROOT}/node_modules/.cache/vigil-compile` }
  : process.env;
