import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCredentialProvider, type RegistryCredential } from '../../src/oci/registry/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function writeJson(path: string, value: unknown): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** A real credential helper on PATH: records what it was asked and answers from a table. */
function installHelper(
  dir: string,
  name: string,
  answers: Record<string, { Username: string; Secret: string }>,
): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const table = writeJson(join(dir, `${name}-answers.json`), answers);
  const log = join(dir, `${name}.log`);
  const script = join(bin, `docker-credential-${name}`);
  writeFileSync(
    script,
    `#!/bin/sh
[ "$1" = get ] || exit 3
read -r server
echo "$server" >> ${log}
answer=$(jq -c --arg s "$server" '.[$s] // empty' ${table})
if [ -z "$answer" ]; then echo "credentials not found in native keychain"; exit 1; fi
echo "$answer"
`,
  );
  chmodSync(script, 0o755);
  return bin;
}

const strip = (list: RegistryCredential[]) => list.map(({ origin: _origin, ...rest }) => rest);

describe('registry credentials in Trivy order', () => {
  it('uses --registry-token alone, else each --username/--password pair before the keychain', async () => {
    const home = tempDir();
    writeJson(join(home, '.docker', 'config.json'), { auths: { 'registry.example': { auth: b64('file:secret') } } });
    const withToken = createCredentialProvider({
      registryToken: 'tok',
      userPasswords: [{ username: 'u', password: 'p' }],
      env: { HOME: home },
    });
    assert.deepEqual(strip(await withToken('registry.example', 'a/b')), [{ kind: 'registry-token', token: 'tok' }]);
    const pairs = createCredentialProvider({
      userPasswords: [
        { username: 'u1', password: 'p1' },
        { username: 'u2', password: 'p2' },
      ],
      env: { HOME: home },
    });
    assert.deepEqual(strip(await pairs('registry.example', 'a/b')), [
      { kind: 'basic', username: 'u1', password: 'p1' },
      { kind: 'basic', username: 'u2', password: 'p2' },
      { kind: 'basic', username: 'file', password: 'secret' },
    ]);
    assert.deepEqual(strip(await pairs('other.example', 'a/b')).at(-1), { kind: 'anonymous' });
  });

  it('reads every auths entry form, with keys written as URLs and the Docker Hub key', async () => {
    const dir = tempDir();
    writeJson(join(dir, 'config.json'), {
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
        'https://registry.example/v2/': { username: 'plain', password: 'pw' },
        'identity.example': { identitytoken: 'refresh', username: '<token>' },
        'token.example:5000': { registrytoken: 'bearer' },
        'scoped.example/team/app': { auth: b64('team:tpw') },
        'scoped.example': { auth: b64('host:hpw') },
      },
    });
    const provider = createCredentialProvider({ env: { DOCKER_CONFIG: dir, HOME: tempDir() } });
    const last = async (registry: string, repository = 'x/y') => strip(await provider(registry, repository)).at(-1);
    assert.deepEqual(await last('docker.io', 'library/alpine'), {
      kind: 'basic',
      username: 'hubuser',
      password: 'hub:pass',
    });
    assert.deepEqual(await last('registry.example'), { kind: 'basic', username: 'plain', password: 'pw' });
    assert.deepEqual(await last('identity.example'), { kind: 'identity-token', username: '<token>', token: 'refresh' });
    assert.deepEqual(await last('token.example:5000'), { kind: 'registry-token', token: 'bearer' });
    assert.deepEqual(await last('scoped.example', 'team/app'), { kind: 'basic', username: 'team', password: 'tpw' });
    assert.deepEqual(await last('scoped.example', 'team/other'), { kind: 'basic', username: 'host', password: 'hpw' });
  });

  it('runs credHelpers and credsStore helpers found on PATH', async () => {
    const dir = tempDir();
    const bin = installHelper(dir, 'vigiltest', {
      'registry.example:5000': { Username: 'helped', Secret: 's3cret' },
      'https://index.docker.io/v1/': { Username: '<token>', Secret: 'hub-refresh' },
    });
    writeJson(join(dir, 'docker', 'config.json'), {
      credHelpers: { 'registry.example:5000': 'vigiltest' },
      credsStore: 'vigiltest',
      auths: { 'fallback.example': { auth: b64('file:pw') } },
    });
    const env = { DOCKER_CONFIG: join(dir, 'docker'), PATH: `${bin}:${process.env.PATH}`, HOME: dir };
    const provider = createCredentialProvider({ env });
    assert.deepEqual(strip(await provider('registry.example:5000', 'a/b')), [
      { kind: 'basic', username: 'helped', password: 's3cret' },
    ]);
    assert.deepEqual(strip(await provider('docker.io', 'library/alpine')), [
      { kind: 'identity-token', token: 'hub-refresh' },
    ]);
    // The store has nothing for this host: the auths entry answers.
    assert.deepEqual(strip(await provider('fallback.example', 'a/b')), [
      { kind: 'basic', username: 'file', password: 'pw' },
    ]);
    const asked = readFileSync(join(dir, 'vigiltest.log'), 'utf8').trim().split('\n');
    assert.deepEqual(asked, ['registry.example:5000', 'https://index.docker.io/v1/', 'fallback.example']);
    const origin = (await provider('registry.example:5000', 'a/b'))[0]?.origin ?? '';
    assert.match(origin, /docker-credential-vigiltest/);
    assert.doesNotMatch(origin, /s3cret/);
  });

  it('finds the file in order: DOCKER_CONFIG, ~/.docker, REGISTRY_AUTH_FILE, podman run-time then config dir', async () => {
    const dir = tempDir();
    const entry = (user: string) => ({ auths: { 'registry.example': { auth: b64(`${user}:pw`) } } });
    const env: Record<string, string> = {
      HOME: join(dir, 'home'),
      DOCKER_CONFIG: join(dir, 'docker-config'),
      REGISTRY_AUTH_FILE: join(dir, 'registry-auth.json'),
      XDG_RUNTIME_DIR: join(dir, 'run'),
      XDG_CONFIG_HOME: join(dir, 'config'),
    };
    const files = [
      writeJson(join(env.DOCKER_CONFIG as string, 'config.json'), entry('docker-config')),
      writeJson(join(env.HOME as string, '.docker', 'config.json'), entry('home')),
      writeJson(env.REGISTRY_AUTH_FILE as string, entry('registry-auth-file')),
      writeJson(join(env.XDG_RUNTIME_DIR as string, 'containers', 'auth.json'), entry('podman-run')),
      writeJson(join(env.XDG_CONFIG_HOME as string, 'containers', 'auth.json'), entry('podman-config')),
    ];
    for (const [index, expected] of [
      'docker-config',
      'home',
      'registry-auth-file',
      'podman-run',
      'podman-config',
    ].entries()) {
      const [found] = await createCredentialProvider({ env })('registry.example', 'a/b');
      assert.equal(found?.kind === 'basic' && found.username, expected);
      // Remove the file so the next one in line is found.
      rmSync(files[index] as string);
    }
  });

  it('uses GITHUB_TOKEN for ghcr.io when no file has credentials for it', async () => {
    const env = { HOME: tempDir(), GITHUB_TOKEN: 'gh-token', GITHUB_ACTOR: 'octo' };
    assert.deepEqual(strip(await createCredentialProvider({ env })('ghcr.io', 'aquasecurity/trivy-db')), [
      { kind: 'basic', username: 'octo', password: 'gh-token' },
    ]);
    assert.deepEqual(strip(await createCredentialProvider({ env })('registry.example', 'a/b')), [
      { kind: 'anonymous' },
    ]);
  });

  it('names a config file that is not JSON', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{ not json');
    await assert.rejects(
      createCredentialProvider({ env: { DOCKER_CONFIG: dir } })('registry.example', 'a/b'),
      (error: unknown) => (error as { code: string }).code === 'REGISTRY_AUTH_FILE_INVALID',
    );
  });
});
