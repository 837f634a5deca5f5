import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheLayout } from '../../../src/cache/layout.ts';
import { runCli } from '../../../src/cli/main.ts';
import { bboltProblem } from '../../../src/db/artifact/index.ts';
import { createHttpClient } from '../../../src/net/index.ts';
import { parseReference, RegistryClient, staticCredentials } from '../../../src/oci/registry/index.ts';
import { freePort, startTestRegistry } from '../../helpers/registry.ts';
import { makeDbArchive, pushDbArtifact } from '../../helpers/registry-db-artifact.ts';
import { startRegistryFront } from '../../helpers/registry-front.ts';
import { startTestProxy } from '../../helpers/registry-proxy.ts';
import { runVigil, VIGIL_BIN } from '../../helpers/run-vigil.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const root = tempDir();
const [tls, plain, token] = await Promise.all([
  startTestRegistry('tls-htpasswd', join(root, 'tls')),
  startTestRegistry('noauth', join(root, 'plain')),
  startTestRegistry('token', join(root, 'token')),
]);
after(() => Promise.all([tls.stop(), plain.stop(), token.stop()]));
const ca = tls.caFile as string;

const now = Date.now();
const fresh = { updatedAt: new Date(now - 3_600_000), nextUpdate: new Date(now + 20 * 3_600_000) };
const small = await makeDbArchive(join(root, 'small'), { ...fresh, marker: 'CVE-2026-1111' });
const large = await makeDbArchive(join(root, 'large'), { ...fresh, marker: 'CVE-2026-2222', padMiB: 8 });

async function publish(registry: typeof tls, path: string, file: string): Promise<string> {
  const http = createHttpClient({ caFiles: registry.caFile ? [registry.caFile] : [] });
  try {
    const credentials = staticCredentials([
      { kind: 'basic', username: registry.username, password: registry.password, origin: 'test' },
    ]);
    return await pushDbArtifact(
      new RegistryClient({ http, credentials }),
      parseReference(`${registry.host}/${path}`),
      file,
      'db',
    );
  } finally {
    await http.close();
  }
}
const tlsDigest = await publish(tls, 'x/trivy-db:2', small);
await publish(token, 'x/trivy-db:2', small);
await publish(plain, 'small/trivy-db:2', small);
await publish(plain, 'large/trivy-db:2', large);

/** A clean HOME, so the developer's own Docker credentials never take part. */
const isolated = (extra: Record<string, string> = {}) => ({ HOME: tempDir(), ...extra });

/**
 * The CLI in this process (same code as bin/vigil, without a Node start-up per run); the cases
 * that need a real process (stdin, kill, parallel processes) use runVigil.
 */
async function vigil(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; tty?: boolean } = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty === true },
    env: { PATH: process.env.PATH, ...options.env },
    cwd: options.cwd ?? root,
    now: () => new Date(),
  });
  return { status, stdout, stderr };
}

describe('vigil db pull and vigil db status', () => {
  it('pulls from a TLS registry with htpasswd (--username/--password/--cacert) and db status shows it', async () => {
    const cache = tempDir();
    const pull = await runVigil(
      [
        'db',
        'pull',
        '--db-repository',
        `${tls.host}/x/trivy-db`,
        '--username',
        tls.username,
        '--password',
        tls.password,
        '--cacert',
        ca,
        '--cache-dir',
        cache,
      ],
      { env: isolated() },
    );
    assert.equal(pull.status, 0, pull.stderr);
    assert.match(
      pull.stdout,
      new RegExp(`vulnerability DB: downloaded from ${tls.host}/x/trivy-db:2 \\(${tlsDigest}\\)`),
    );
    assert.doesNotMatch(pull.stderr, new RegExp(tls.password), 'the password is never printed');
    assert.equal(await bboltProblem(cacheLayout(cache).vulnDbFile), undefined);

    const status = await runVigil(['db', 'status', '--cache-dir', cache], { env: isolated() });
    assert.equal(status.status, 0, status.stderr);
    for (const expected of [
      `Path:         ${cache}/db/trivy.db`,
      'Schema:       2',
      `Repository:   ${tls.host}/x/trivy-db:2`,
      `Digest:       ${tlsDigest}`,
      'Java DB: not in the cache',
    ]) {
      assert.ok(status.stdout.includes(expected), `${expected}\n${status.stdout}`);
    }
    assert.match(status.stdout, /UpdatedAt: +\d{4}-\d\d-\d\dT/);
    assert.match(status.stdout, /NextUpdate: +\d{4}-/);
    assert.match(status.stdout, /DownloadedAt: +\d{4}-/);
    assert.match(status.stdout, /Age: +1h0m/);

    const json = await vigil(['db', 'status', '--cache-dir', cache, '--format', 'json'], { env: isolated() });
    const document = JSON.parse(json.stdout) as { Artifacts: Array<Record<string, unknown>> };
    const db = document.Artifacts.find((artifact) => artifact.Kind === 'db');
    assert.equal(db?.Schema, 2);
    assert.equal(db?.ManifestDigest, tlsDigest);
    assert.equal(db?.Repository, `${tls.host}/x/trivy-db:2`);
    assert.equal(document.Artifacts.find((artifact) => artifact.Kind === 'java-db')?.Present, false);
  });

  it('fails on the untrusted certificate with a --cacert hint, and on missing credentials with a login hint', async () => {
    const untrusted = await vigil(
      ['db', 'pull', '--db-repository', `${tls.host}/x/trivy-db`, '--cache-dir', tempDir()],
      {
        env: isolated(),
      },
    );
    assert.equal(untrusted.status, 1);
    assert.match(
      untrusted.stderr,
      /^error: cannot download the vulnerability DB from any repository .*TLS certificate .* is not trusted/m,
    );
    assert.match(untrusted.stderr, /^hint: .*--cacert/m);
    const anonymous = await vigil(
      ['db', 'pull', '--db-repository', `${tls.host}/x/trivy-db`, '--cacert', ca, '--cache-dir', tempDir()],
      {
        env: isolated(),
      },
    );
    assert.equal(anonymous.status, 1);
    assert.match(anonymous.stderr, /^hint: pass --username and --password/m);
  });

  it('reads the password from stdin with --password-stdin', async () => {
    const args = [
      'db',
      'pull',
      '--db-repository',
      `${tls.host}/x/trivy-db`,
      '--cacert',
      ca,
      '--username',
      tls.username,
      '--password-stdin',
    ];
    const run = await runVigil([...args, '--cache-dir', tempDir()], { env: isolated(), input: `${tls.password}\n` });
    assert.equal(run.status, 0, run.stderr);
    const mismatch = await vigil(['db', 'pull', '--username', 'a,b', '--password', 'p', '--cache-dir', tempDir()], {
      env: isolated(),
    });
    assert.equal(mismatch.status, 2);
    assert.match(mismatch.stderr, /--username and --password must come in pairs/);
  });

  it('takes credentials from a Docker config.json and from a credential helper on PATH', async () => {
    const dir = tempDir();
    const auth = Buffer.from(`${tls.username}:${tls.password}`).toString('base64');
    mkdirSync(join(dir, 'plain-config'));
    writeFileSync(
      join(dir, 'plain-config', 'config.json'),
      JSON.stringify({ auths: { [`https://${tls.host}`]: { auth } } }),
    );
    const fromFile = await vigil(
      ['db', 'pull', '--db-repository', `${tls.host}/x/trivy-db`, '--cacert', ca, '--cache-dir', tempDir()],
      {
        env: isolated({ DOCKER_CONFIG: join(dir, 'plain-config') }),
      },
    );
    assert.equal(fromFile.status, 0, fromFile.stderr);

    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const helper = join(bin, 'docker-credential-vigiltest');
    writeFileSync(
      helper,
      `#!/bin/sh\nread -r server\necho "$server" > ${join(dir, 'asked')}\nprintf '{"ServerURL":"%s","Username":"${tls.username}","Secret":"${tls.password}"}' "$server"\n`,
    );
    chmodSync(helper, 0o755);
    mkdirSync(join(dir, 'helper-config'));
    writeFileSync(
      join(dir, 'helper-config', 'config.json'),
      JSON.stringify({ credHelpers: { [tls.host]: 'vigiltest' } }),
    );
    const fromHelper = await vigil(
      ['db', 'pull', '--db-repository', `${tls.host}/x/trivy-db`, '--cacert', ca, '--cache-dir', tempDir()],
      {
        env: isolated({ DOCKER_CONFIG: join(dir, 'helper-config'), PATH: `${bin}:${process.env.PATH}` }),
      },
    );
    assert.equal(fromHelper.status, 0, fromHelper.stderr);
    assert.equal(readFileSync(join(dir, 'asked'), 'utf8').trim(), tls.host);
  });

  it('pulls from a token-auth registry with Basic credentials at the token service', async () => {
    const run = await vigil(
      [
        'db',
        'pull',
        '--db-repository',
        `${token.host}/x/trivy-db:2`,
        '--username',
        token.username,
        '--password',
        token.password,
        '--cache-dir',
        tempDir(),
      ],
      { env: isolated() },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.ok(
      token.tokenServer?.requests.some((request) => request.user === token.username && request.grant === 'basic'),
    );
  });

  it('draws a progress bar only on a terminal, and never with --no-progress or --quiet', async () => {
    const pull = (extra: string[], tty: boolean) =>
      vigil(['db', 'pull', '--db-repository', `${plain.host}/large/trivy-db`, '--cache-dir', tempDir(), ...extra], {
        env: isolated(),
        tty,
      });
    const bar = /\rdb\.tar\.gz \[=+\] [\d.]+ MiB \/ [\d.]+ MiB 100%/;
    const onTerminal = await pull([], true);
    assert.equal(onTerminal.status, 0, onTerminal.stderr);
    assert.match(onTerminal.stderr, bar);
    for (const [extra, tty] of [
      [[], false],
      [['--no-progress'], true],
      [['--quiet'], true],
    ] as const) {
      const run = await pull([...extra], tty);
      assert.equal(run.status, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /\r/, `${extra.join(' ')} tty=${tty}`);
    }
  });

  it('--offline opens no connection at all and says so', async () => {
    const front = await startRegistryFront(plain.url);
    for (const [args, env] of [
      [['--offline'], {}],
      [[], { VIGIL_OFFLINE: 'true' }],
    ] as const) {
      const run = await vigil(
        ['db', 'pull', ...args, '--db-repository', `${front.host}/small/trivy-db`, '--cache-dir', tempDir()],
        {
          env: isolated(env),
        },
      );
      assert.equal(run.status, 1);
      assert.match(run.stderr, new RegExp(`^error: --offline is set: refusing to connect to ${front.host}`, 'm'));
    }
    assert.equal(front.connections, 0);
  });

  it('tries registry.mirrors from the config file before the named registry', async () => {
    const dir = tempDir();
    const unreachable = `127.0.0.1:${await freePort()}`;
    writeFileSync(join(dir, 'vigil.yaml'), `registry:\n  mirrors:\n    "${unreachable}": ["${plain.host}"]\n`);
    const run = await vigil(
      ['db', 'pull', '--db-repository', `${unreachable}/small/trivy-db`, '--cache-dir', tempDir()],
      {
        cwd: dir,
        env: isolated(),
      },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`downloaded from ${unreachable.replace('.', '\\.')}/small/trivy-db:2`));
  });

  it('goes through HTTPS_PROXY (a CONNECT tunnel) and bypasses it for NO_PROXY hosts', async () => {
    const proxy = await startTestProxy();
    after(() => proxy.close());
    // registry.example resolves nowhere; only the proxy reaches the registry under that name.
    const repository = `registry.example:${tls.port}/x/trivy-db`;
    const args = [
      'db',
      'pull',
      '--db-repository',
      repository,
      '--username',
      tls.username,
      '--password',
      tls.password,
      '--cacert',
      ca,
    ];
    const viaProxy = await vigil([...args, '--cache-dir', tempDir()], { env: isolated({ HTTPS_PROXY: proxy.url }) });
    assert.equal(viaProxy.status, 0, viaProxy.stderr);
    assert.ok(proxy.log.tunnels.includes(`registry.example:${tls.port}`), JSON.stringify(proxy.log));
    const tunnels = proxy.log.tunnels.length;
    const bypassed = await vigil([...args, '--cache-dir', tempDir()], {
      env: isolated({ HTTPS_PROXY: proxy.url, NO_PROXY: 'registry.example' }),
    });
    assert.equal(bypassed.status, 1);
    assert.match(bypassed.stderr, /cannot resolve host name registry\.example/);
    assert.equal(proxy.log.tunnels.length, tunnels);
  });
});

describe('nothing half-written', () => {
  it('a pull killed halfway keeps the previous DB usable, and the next pull cleans up', async () => {
    const cache = tempDir();
    const first = await vigil(['db', 'pull', '--db-repository', `${plain.host}/small/trivy-db`, '--cache-dir', cache], {
      env: isolated(),
    });
    assert.equal(first.status, 0, first.stderr);
    const layout = cacheLayout(cache);
    const before = { db: readFileSync(layout.vulnDbFile), metadata: readFileSync(layout.vulnDbMetadata, 'utf8') };

    let blobRequested: () => void = () => undefined;
    const requested = new Promise<void>((resolve) => {
      blobRequested = resolve;
    });
    const front = await startRegistryFront(plain.url, (request) => {
      if (request.method === 'GET' && request.path.includes('/blobs/')) {
        blobRequested();
        return { kind: 'stall', bytes: 1024 * 1024 };
      }
      return { kind: 'pass' };
    });
    const child = spawn(
      VIGIL_BIN,
      ['db', 'pull', '--db-repository', `${front.host}/large/trivy-db`, '--cache-dir', cache],
      {
        env: { PATH: process.env.PATH, ...isolated() },
        stdio: 'ignore',
      },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await requested;
    // Let the first megabyte land in the staging file, then kill the process outright.
    for (let wait = 0; wait < 100; wait++) {
      const staged = existsSync(layout.downloadsDir) ? readdirSync(layout.downloadsDir) : [];
      const file = staged[0] ? join(layout.downloadsDir, staged[0], 'db.tar.gz') : '';
      if (file && existsSync(file) && readFileSync(file).length >= 512 * 1024) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await exited;
    assert.equal(readdirSync(layout.downloadsDir).length, 1, 'the killed download left its staging directory');
    assert.deepEqual(readFileSync(layout.vulnDbFile), before.db);
    assert.equal(readFileSync(layout.vulnDbMetadata, 'utf8'), before.metadata);
    const search = await vigil(['db', 'search', 'CVE-2026-1111', '--cache-dir', cache], { env: isolated() });
    assert.equal(search.status, 0, search.stderr);
    assert.match(search.stdout, /marker CVE-2026-1111/);

    const next = await vigil(['db', 'pull', '--db-repository', `${plain.host}/large/trivy-db`, '--cache-dir', cache], {
      env: isolated(),
    });
    assert.equal(next.status, 0, next.stderr);
    assert.deepEqual(readdirSync(layout.downloadsDir), [], 'the abandoned download was removed');
    const after = await vigil(['db', 'search', 'CVE-2026-2222', '--cache-dir', cache], { env: isolated() });
    assert.match(after.stdout, /marker CVE-2026-2222/);
  });

  it('four parallel pulls on one cache: all succeed, the layer is downloaded once, the DB is whole', async () => {
    const cache = tempDir();
    const front = await startRegistryFront(plain.url);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        runVigil(['db', 'pull', '--db-repository', `${front.host}/large/trivy-db`, '--cache-dir', cache], {
          env: isolated(),
        }),
      ),
    );
    for (const run of runs) assert.equal(run.status, 0, run.stderr);
    assert.equal(runs.filter((run) => /downloaded from/.test(run.stdout)).length, 1);
    assert.equal(runs.filter((run) => /already up to date/.test(run.stdout)).length, 3);
    assert.equal(
      front.requests.filter((request) => request.method === 'GET' && request.path.includes('/blobs/')).length,
      1,
    );
    const layout = cacheLayout(cache);
    assert.equal(await bboltProblem(layout.vulnDbFile), undefined);
    assert.deepEqual(readdirSync(layout.downloadsDir), []);
    assert.deepEqual(readdirSync(layout.locksDir), []);
    const search = await vigil(['db', 'search', 'CVE-2026-2222', '--cache-dir', cache], { env: isolated() });
    assert.match(search.stdout, /marker CVE-2026-2222/);
  });
});
