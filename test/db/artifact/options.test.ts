import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatLocation } from '../../../src/airgap/store/index.ts';
import type { CommandDefinition } from '../../../src/cli/command.ts';
import { DB_OPTIONS } from '../../../src/cli/db-options.ts';
import { readDbOptions } from '../../../src/cli/db-settings.ts';
import { runCli } from '../../../src/cli/main.ts';
import { NETWORK_OPTIONS } from '../../../src/cli/network-options.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** A command with the scan commands' DB and network options that prints what readDbOptions made of them. */
const probe: CommandDefinition = {
  name: 'probe',
  summary: 'print the resolved DB options',
  options: [...DB_OPTIONS, ...NETWORK_OPTIONS],
  run: (context) => {
    const options = readDbOptions(context.options, context.global.cacheDir, context.logger);
    const describe = (artifact: typeof options.vulnDb) => ({
      repositories: artifact.repositories?.map(formatLocation),
      skip: artifact.skipUpdate,
      maxAgeMs: artifact.maxAgeMs,
    });
    context.io.stdout.write(
      JSON.stringify({
        db: describe(options.vulnDb),
        java: describe(options.javaDb),
        checks: describe(options.checks),
        downloadDbOnly: options.downloadDbOnly,
        offlineScan: options.offlineScan,
        offline: options.offline,
      }),
    );
    return 0;
  },
};

async function resolve(args: string[], env: Record<string, string> = {}, cwd = tempDir()) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(
    ['probe', '--cache-dir', '/cache', ...args],
    {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env,
      cwd,
      now: () => new Date(),
    },
    [probe],
  );
  return { status, stderr, value: status === 0 ? JSON.parse(stdout) : undefined };
}

describe('DB options', () => {
  it("defaults to Trivy's repositories with their schema tags", async () => {
    const { value } = await resolve([]);
    assert.deepEqual(value.db.repositories, ['mirror.gcr.io/aquasec/trivy-db:2', 'ghcr.io/aquasecurity/trivy-db:2']);
    assert.deepEqual(value.java.repositories, [
      'mirror.gcr.io/aquasec/trivy-java-db:1',
      'ghcr.io/aquasecurity/trivy-java-db:1',
    ]);
    assert.deepEqual(value.checks.repositories, ['mirror.gcr.io/aquasec/trivy-checks:2']);
    assert.equal(value.db.skip, false);
    assert.equal(value.offline, false);
  });

  it('takes repeated and comma-separated repositories; a tagless one gets the schema tag, checks get latest', async () => {
    const { value, stderr } = await resolve([
      '--db-repository',
      'registry.example/a/trivy-db,registry.example:5000/b/trivy-db:9',
      '--db-repository',
      'registry.example/c/trivy-db',
      '--java-db-repository',
      'registry.example/java',
      '--checks-bundle-repository',
      'registry.example/checks',
    ]);
    assert.deepEqual(value.db.repositories, [
      'registry.example/a/trivy-db:2',
      'registry.example:5000/b/trivy-db:9',
      'registry.example/c/trivy-db:2',
    ]);
    assert.deepEqual(value.java.repositories, ['registry.example/java:1']);
    assert.deepEqual(value.checks.repositories, ['registry.example/checks:latest']);
    assert.match(stderr, /adding schema version 2 to the vulnerability DB repository registry\.example\/a\/trivy-db/);
  });

  it("reads Trivy's aliases, VIGIL_ variables and trivy.yaml keys", async () => {
    assert.equal((await resolve(['--skip-update'])).value.db.skip, true);
    assert.equal((await resolve([], { VIGIL_SKIP_POLICY_UPDATE: 'true' })).value.checks.skip, true);
    const dir = tempDir();
    writeFileSync(
      join(dir, 'vigil.yaml'),
      'db:\n  java-skip-update: true\n  repository: [registry.example/from-config]\n  max-age: 3d\nmisconfiguration:\n  checks-bundle-repository: registry.example/checks:2\n',
    );
    const { value } = await resolve([], {}, dir);
    assert.equal(value.java.skip, true);
    assert.deepEqual(value.db.repositories, ['registry.example/from-config:2']);
    assert.equal(value.db.maxAgeMs, 3 * 86_400_000);
    assert.deepEqual(value.checks.repositories, ['registry.example/checks:2']);
  });

  it('--offline implies every skip and --offline-scan', async () => {
    const { value } = await resolve(['--offline']);
    assert.deepEqual(
      [value.db.skip, value.java.skip, value.checks.skip, value.offlineScan, value.offline],
      [true, true, true, true, true],
    );
  });

  it('refuses the combinations Trivy refuses', async () => {
    for (const args of [
      ['--download-db-only', '--download-java-db-only'],
      ['--skip-db-update', '--download-db-only'],
      ['--skip-java-db-update', '--download-java-db-only'],
      ['--offline', '--download-db-only'],
    ]) {
      const { status, stderr } = await resolve(args);
      assert.equal(status, 2, args.join(' '));
      assert.match(stderr, /^error: .*cannot/m);
    }
  });
});
