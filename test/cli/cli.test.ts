import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runVigil, VIGIL_BIN } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const packageVersion = (await import('../../package.json', { with: { type: 'json' } })).default.version;

describe('vigil command line', () => {
  it('lists every command in --help', async () => {
    const run = await runVigil(['--help']);
    assert.equal(run.status, 0);
    for (const command of ['image', 'fs', 'rootfs', 'config', 'db', 'mirror', 'bundle', 'vex', 'clean', 'version']) {
      assert.match(run.stdout, new RegExp(`^  ${command}\\b`, 'm'), `--help lists ${command}`);
    }
    assert.match(run.stdout, /--cache-dir <DIR>/);
    assert.match(run.stdout, /env:\s+VIGIL_CACHE_DIR/);
  });

  it('prints the version with --version and vigil version', async () => {
    const flag = await runVigil(['--version']);
    assert.equal(flag.status, 0);
    assert.equal(flag.stdout.trim(), `Version: ${packageVersion}`);
    const command = await runVigil(['version', '--format', 'json']);
    assert.equal(command.status, 0);
    assert.equal(JSON.parse(command.stdout).Version, packageVersion);
  });

  it('shows the subcommands of db and vex repo in their help', async () => {
    const db = await runVigil(['db', '--help']);
    assert.equal(db.status, 0);
    for (const sub of ['pull', 'status', 'search', 'build', 'push'])
      assert.match(db.stdout, new RegExp(`^  ${sub}\\b`, 'm'));
    const vex = await runVigil(['vex', 'repo', '--help']);
    for (const sub of ['init', 'list', 'download']) assert.match(vex.stdout, new RegExp(`^  ${sub}\\b`, 'm'));
  });

  it('runs from any working directory and through a symlink', async () => {
    const dir = tempDir();
    const link = join(dir, 'vigil');
    symlinkSync(VIGIL_BIN, link);
    const run = await runVigil(['--version'], { cwd: '/' });
    assert.equal(run.status, 0);
    const { spawnSync } = await import('node:child_process');
    const viaLink = spawnSync(link, ['--version'], { cwd: dir, encoding: 'utf8' });
    assert.equal(viaLink.status, 0);
    assert.equal(viaLink.stdout.trim(), `Version: ${packageVersion}`);
  });

  it('exits 2 with error and hint lines on usage errors', async () => {
    const unknown = await runVigil(['clean', '--bogus']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^error: unknown option '--bogus'$/m);
    assert.match(unknown.stderr, /^hint: run 'vigil clean --help'/m);
    const missing = await runVigil(['fs']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^error: missing required argument 'DIR'/m);
    const noCommand = await runVigil([]);
    assert.equal(noCommand.status, 2);
    assert.match(noCommand.stderr, /Usage: vigil/);
  });

  it('reports a bad option value without a stack trace, and with one under --debug', async () => {
    const plain = await runVigil(['version'], { env: { VIGIL_TIMEOUT: 'soon' } });
    assert.equal(plain.status, 2);
    assert.equal(
      plain.stderr,
      'error: invalid value "soon" for --timeout (from VIGIL_TIMEOUT): expected a duration such as 30s, 5m, 1h30m or 7d\n' +
        "hint: see 'vigil --help' for the option's format\n",
    );
    const debug = await runVigil(['version', '--debug'], { env: { VIGIL_TIMEOUT: 'soon' } });
    assert.equal(debug.status, 2);
    assert.match(debug.stderr, /^\s+at .*resolve-options\.ts/m);
  });
});

describe('options from flags, environment and config file', () => {
  /** A cache dir with every part present, so `clean` shows which directory an option chose. */
  function seededCache(root: string, name: string): string {
    const dir = join(root, name);
    for (const part of ['db', 'java-db', 'policy', 'scan']) mkdirSync(join(dir, part), { recursive: true });
    return dir;
  }

  it('uses --cache-dir over VIGIL_CACHE_DIR over vigil.yaml, with options after the subcommand', async () => {
    const root = tempDir();
    const [flagDir, envDir, configDir] = ['flag', 'env', 'config'].map((name) => seededCache(root, name));
    writeFileSync(join(root, 'vigil.yaml'), `cache-dir: ${configDir}\n`);
    const env = { VIGIL_CACHE_DIR: envDir as string };

    const byFlag = await runVigil(['clean', '--vuln-db', '--cache-dir', flagDir as string], { cwd: root, env });
    assert.equal(byFlag.status, 0, byFlag.stderr);
    assert.deepEqual(
      [flagDir, envDir, configDir].map((d) => existsSync(join(d as string, 'db'))),
      [false, true, true],
    );

    const byEnv = await runVigil(['clean', '--vuln-db'], { cwd: root, env });
    assert.equal(byEnv.status, 0, byEnv.stderr);
    assert.deepEqual(
      [envDir, configDir].map((d) => existsSync(join(d as string, 'db'))),
      [false, true],
    );

    const byConfig = await runVigil(['clean', '--vuln-db'], { cwd: root });
    assert.equal(byConfig.status, 0, byConfig.stderr);
    assert.equal(existsSync(join(configDir as string, 'db')), false);

    const home = join(root, 'home');
    const byDefault = await runVigil(['version', '--format', 'json'], { cwd: '/', env: { HOME: home } });
    assert.equal(JSON.parse(byDefault.stdout).CacheDir, join(home, '.cache', 'vigil'));
  });

  it('reads the clean selection itself from env and config, and -c picks another config file', async () => {
    const root = tempDir();
    const cache = seededCache(root, 'cache');
    const other = join(root, 'other.yaml');
    writeFileSync(other, `cache-dir: ${cache}\njava-db: true\n`);
    const run = await runVigil(['clean', '-c', other], { cwd: root, env: { VIGIL_SCAN_CACHE: 'true' } });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      ['db', 'java-db', 'scan'].map((part) => existsSync(join(cache, part))),
      [true, false, false],
    );
  });

  it('refuses a missing explicit config file and malformed YAML', async () => {
    const root = tempDir();
    const missing = await runVigil(['version', '-c', join(root, 'nope.yaml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^error: cannot read config file .*nope\.yaml/m);
    writeFileSync(join(root, 'vigil.yaml'), 'cache-dir: [unclosed\n');
    const malformed = await runVigil(['version'], { cwd: root });
    assert.equal(malformed.status, 2);
    assert.match(malformed.stderr, /^error: config file .*vigil\.yaml is not valid YAML/m);
  });

  it('warns about config keys that are not options', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'vigil.yaml'), 'cache-dri: /typo\n');
    const run = await runVigil(['version'], { cwd: root });
    assert.equal(run.status, 0);
    assert.match(run.stderr, /WARN.*key 'cache-dri' is not an option of 'vigil version'/);
  });
});
