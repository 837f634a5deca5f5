import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Version oracles on this machine, each asked many questions in one process:
 * - `veroracle`: Trivy's own Go libraries (knqyf263/go-deb-version, go-rpm-version,
 *   go-apk-version as Debian packages them), built offline in GOPATH mode from
 *   test/tools/veroracle, once per machine, into node_modules/.cache (a private temporary name,
 *   then a rename, so parallel test processes never race);
 * - `dpkg --compare-versions` and rpm's Lua `rpm.vercmp`, the package managers themselves.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORACLE_GOPATH = join(REPO_ROOT, 'test', 'tools', 'veroracle');
const ORACLE_SOURCE = join(ORACLE_GOPATH, 'src', 'veroracle', 'main.go');

function veroracleBinary(): string {
  const cacheDir = join(REPO_ROOT, 'node_modules', '.cache', 'vigil-veroracle');
  const key = createHash('sha256').update(readFileSync(ORACLE_SOURCE)).digest('hex').slice(0, 16);
  const target = join(cacheDir, `veroracle-${key}`);
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    execFileSync('go', ['build', '-o', temporary, 'veroracle'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPROXY: 'off',
        GOFLAGS: '',
        GOTOOLCHAIN: 'local',
        GOPATH: `${ORACLE_GOPATH}:/usr/share/gocode`,
        GOCACHE: join(cacheDir, 'gocache'),
      },
    });
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
  return target;
}

function run(command: string, args: readonly string[], input: string): string[] {
  // A time limit, so an oracle that never answers fails the test instead of hanging it.
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return result.stdout.split('\n').slice(0, -1);
}

function assertTabFree(values: readonly string[]): void {
  for (const value of values)
    if (/[\t\n]/.test(value)) throw new Error(`oracle input holds a tab or newline: ${value}`);
}

export type OracleScheme = 'deb' | 'rpm' | 'apk';
export type OracleAnswer = -1 | 0 | 1 | 'error';

/**
 * Trivy's Go libraries: the comparison of each pair, or 'error' where they refuse a version.
 * go-deb-version never returns for two different spellings of the same version (`1.01` and
 * `1.1`): leave such pairs out.
 */
export function goCompare(scheme: OracleScheme, pairs: readonly (readonly [string, string])[]): OracleAnswer[] {
  assertTabFree(pairs.flat());
  const input = pairs.map(([a, b]) => `cmp\t${scheme}\t${a}\t${b}\n`).join('');
  return run(veroracleBinary(), [], input).map((line) =>
    line.startsWith('ERR') ? 'error' : (Number(line) as -1 | 0 | 1),
  );
}

/** Trivy's Go libraries: whether each version is valid (deb and apk only; RPM accepts anything). */
export function goValid(scheme: 'deb' | 'apk', versions: readonly string[]): boolean[] {
  assertTabFree(versions);
  const input = versions.map((v) => `valid\t${scheme}\t${v}\n`).join('');
  return run(veroracleBinary(), [], input).map((line) => line === 'true');
}

/** `dpkg --compare-versions` on each pair (one shell, one dpkg call per pair). */
export function dpkgCompare(pairs: readonly (readonly [string, string])[]): OracleAnswer[] {
  assertTabFree(pairs.flat());
  const script =
    'while IFS=$(printf "\\t") read -r a b; do ' +
    'if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1; ' +
    'elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0; ' +
    'elif dpkg --compare-versions "$a" gt "$b" 2>/dev/null; then echo 1; else echo error; fi; done';
  const input = pairs.map(([a, b]) => `${a}\t${b}\n`).join('');
  return run('bash', ['-c', script], input).map((line) => (line === 'error' ? 'error' : (Number(line) as -1 | 0 | 1)));
}

/** rpm's `rpm.vercmp` (EVR-aware) on each pair, in one rpmlua process. */
export function rpmCompare(pairs: readonly (readonly [string, string])[]): OracleAnswer[] {
  assertTabFree(pairs.flat());
  const script =
    'for line in io.lines() do local a, b = line:match("^(.-)\\t(.*)$"); ' +
    'local ok, r = pcall(rpm.vercmp, a, b); if ok then print(r) else print("error") end end';
  const input = pairs.map(([a, b]) => `${a}\t${b}\n`).join('');
  return run('rpmlua', ['-e', script], input).map((line) =>
    line === 'error' ? 'error' : (Math.sign(Number(line)) as -1 | 0 | 1),
  );
}
