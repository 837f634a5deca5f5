import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI in a fresh process with `args` and returns the project files and packages it loaded. */
function modulesLoadedBy(args: readonly string[]): { status: number; stdout: string; loaded: string[] } {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = new Set();
    registerHooks({
      load(url, context, next) {
        loaded.add(url);
        return next(url, context);
      },
    });
    const { runCli } = await import(${JSON.stringify(`${ROOT}src/cli/main.ts`)});
    let stdout = '';
    const status = await runCli(${JSON.stringify(args)}, {
      stdout: { write: (text) => (stdout += text) },
      stderr: { write: () => true },
      env: {},
      cwd: ${JSON.stringify(ROOT)},
      now: () => new Date(),
    });
    process.stdout.write(JSON.stringify({ status, stdout, loaded: [...loaded] }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
  const result = JSON.parse(output) as { status: number; stdout: string; loaded: string[] };
  const prefix = `file://${ROOT}`;
  return {
    status: result.status,
    stdout: result.stdout,
    loaded: result.loaded.filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length)),
  };
}

const loads = (loaded: readonly string[], path: string) => loaded.some((file) => file.startsWith(path));

describe('the command line loads only what the selected command runs', () => {
  it('--help loads the option specs, not one command implementation, network client or parser', () => {
    const { status, loaded } = modulesLoadedBy(['--help']);
    assert.equal(status, 0);
    assert.ok(loads(loaded, 'src/cli/commands/db-pull.ts'), 'the command definitions are loaded');
    for (const heavy of [
      'src/cli/actions/',
      'src/cli/scan-command.ts',
      'src/db/artifact/pull-artifact.ts',
      'src/oci/',
      'src/net/',
      'src/analyzer/',
      'src/rego/',
      'src/vex/',
      'src/misconf/',
      'node_modules/yaml/',
      'node_modules/undici/',
    ]) {
      assert.equal(loads(loaded, heavy), false, `${heavy} is not loaded`);
    }
  });

  it('db pull loads the pull and the registry client, not the scanner, Rego, VEX or the DB builder', () => {
    const cache = tempDir('vigil-lazy-');
    const { status, loaded } = modulesLoadedBy(['db', 'pull', '--offline', '--cache-dir', cache, '-q']);
    assert.equal(status, 1, '--offline refuses the download');
    assert.ok(loads(loaded, 'src/cli/actions/db-pull.ts'));
    assert.ok(loads(loaded, 'src/db/artifact/pull-artifact.ts'));
    assert.ok(loads(loaded, 'src/oci/registry/'));
    for (const other of [
      'src/cli/actions/air-gap.ts',
      'src/cli/scan-command.ts',
      'src/analyzer/',
      'src/rego/',
      'src/vex/',
      'src/misconf/',
      'src/db/build/build.ts',
      'src/airgap/signature/',
      'node_modules/yaml/',
    ]) {
      assert.equal(loads(loaded, other), false, `${other} is not loaded`);
    }
  });

  it('a config file, when there is one, is still read (the YAML parser loads then)', () => {
    const dir = tempDir('vigil-lazy-config-');
    const config = join(dir, 'vigil.yaml');
    writeFileSync(config, 'format: json\n');
    const { status, stdout, loaded } = modulesLoadedBy(['version', '--config', config]);
    assert.equal(status, 0);
    assert.match(stdout, /^\{"Version":/, 'format: json from the file applies');
    assert.ok(loads(loaded, 'node_modules/yaml/'));
  });
});
