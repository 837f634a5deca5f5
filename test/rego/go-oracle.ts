import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Go itself as the oracle for the builtins that follow Go's semantics: a small program on the
 * standard library (test/fixtures/rego/go-oracle) answering fmt.Sprintf, regexp and time
 * questions. Built offline (GOPATH mode, no modules) once per machine into node_modules/.cache,
 * keyed by its source hash; parallel builds rename a private file into place.
 */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOPATH = join(REPO_ROOT, 'test', 'fixtures', 'rego', 'go-oracle');
const SOURCE = join(GOPATH, 'src', 'regooracle', 'main.go');

export type GoArg = { int: string } | { float: number } | { string: string };

export type GoRequest =
  | { op: 'sprintf'; format: string; args: GoArg[] }
  | { op: 'match' | 'split'; pattern: string; text: string }
  | { op: 'findall'; pattern: string; text: string; n: number }
  | { op: 'replace'; pattern: string; text: string; repl: string }
  | { op: 'format'; ns: string; zone: string; layout: string }
  | { op: 'parse'; layout: string; text: string }
  | { op: 'duration'; text: string };

export interface GoReply {
  readonly out?: unknown;
  readonly error?: string;
  /** The regular expression does not compile in Go. */
  readonly invalid?: boolean;
}

function oracle(): string {
  const key = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 16);
  const cacheDir = join(REPO_ROOT, 'node_modules', '.cache', 'vigil-rego-oracle');
  const target = join(cacheDir, `regooracle-${key}`);
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    execFileSync('go', ['build', '-o', temporary, 'regooracle'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPROXY: 'off',
        GOFLAGS: '',
        GOTOOLCHAIN: 'local',
        GOPATH,
        GOCACHE: join(cacheDir, 'gocache'),
      },
    });
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
  return target;
}

/** Asks Go every question in one process; replies come back in order. */
export function askGo(requests: readonly GoRequest[]): GoReply[] {
  const input = requests.map((r) => JSON.stringify(r)).join('\n');
  const output = execFileSync(oracle(), [], { input, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  const replies = output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as GoReply);
  if (replies.length !== requests.length) throw new Error(`Go oracle answered ${replies.length} of ${requests.length}`);
  return replies;
}
