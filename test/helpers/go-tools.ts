import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Go oracles the DB tests compare against, built offline from Debian's Go packages
 * (golang-go, golang-github-coreos-bbolt-dev, golang-github-boltdb-bolt-dev) in GOPATH mode:
 *  - `boltfix`: our own writer/inspector on go.etcd.io/bbolt (test/tools/go/src/boltfix)
 *  - `bolt`: boltdb's CLI (`bolt check`, `bolt info`, `bolt pages`)
 * Built once per machine into node_modules/.cache/, keyed by the source hash. Parallel test
 * processes each build into a private temporary name and rename it into place, so none races.
 */
export type GoTool = 'boltfix' | 'bolt';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUR_GOPATH = join(REPO_ROOT, 'test', 'tools', 'go');
const DEBIAN_GOPATH = '/usr/share/gocode';
const PACKAGES: Record<GoTool, string> = {
  boltfix: 'boltfix',
  bolt: 'github.com/boltdb/bolt/cmd/bolt',
};

function sourceKey(tool: GoTool): string {
  const hash = createHash('sha256').update(tool);
  if (tool === 'boltfix') hash.update(readFileSync(join(OUR_GOPATH, 'src', 'boltfix', 'main.go')));
  return hash.digest('hex').slice(0, 16);
}

/** The path of a built oracle, building it first if this machine has not yet. */
export function goTool(tool: GoTool): string {
  const cacheDir = join(REPO_ROOT, 'node_modules', '.cache', 'vigil-go-tools');
  const target = join(cacheDir, `${tool}-${sourceKey(tool)}`);
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    execFileSync('go', ['build', '-o', temporary, PACKAGES[tool]], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPROXY: 'off',
        GOFLAGS: '',
        GOTOOLCHAIN: 'local',
        GOPATH: `${OUR_GOPATH}:${DEBIAN_GOPATH}`,
        GOCACHE: join(cacheDir, 'gocache'),
      },
    });
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
  return target;
}

/** Runs an oracle and returns its stdout; throws with its stderr when it fails. */
export function runGoTool(tool: GoTool, args: readonly string[], input?: string): string {
  const run = spawnSync(goTool(tool), args, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    throw new Error(`${tool} ${args.join(' ')} failed (${run.status}): ${run.stderr}${run.stdout}`);
  }
  return run.stdout;
}
