import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeTestCertificate } from './registry-certs.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';

/** How the test registry authenticates and whether it speaks TLS (as the recipes' registry-start.sh). */
export type RegistryMode = 'noauth' | 'htpasswd' | 'tls' | 'tls-htpasswd' | 'token';

export interface TestRegistry {
  readonly mode: RegistryMode;
  /** `127.0.0.1:PORT`, the registry part of a reference. */
  readonly host: string;
  readonly port: number;
  /** `http(s)://127.0.0.1:PORT`. */
  readonly url: string;
  /** For TLS modes: the self-signed certificate to trust. */
  readonly caFile?: string;
  readonly username: string;
  readonly password: string;
  readonly tokenServer?: TokenServer;
  readonly dir: string;
  stop(): Promise<void>;
}

export const TEST_USER = 'ci';
export const TEST_PASSWORD = 'ci-secret';

/** A free loopback port (bound and released; the registry takes it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const get = url.startsWith('https') ? httpsRequest : httpRequest;
    const request = get(`${url}/v2/`, { rejectUnauthorized: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(undefined));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

/**
 * Starts Debian's `docker-registry` (CNCF distribution 2.8) on a free loopback port with
 * filesystem storage under `dir`. Call `stop()` (it kills the registry by its own PID) from an
 * `after` hook; the process is also killed when the test process exits.
 */
export async function startTestRegistry(mode: RegistryMode, dir: string): Promise<TestRegistry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const tls = mode === 'tls' || mode === 'tls-htpasswd';
  const certificate = tls ? makeTestCertificate(dir) : undefined;
  const tokenServer =
    mode === 'token'
      ? await startTokenServer({
          dir,
          users: { [TEST_USER]: TEST_PASSWORD },
          refreshTokens: { 'refresh-token-for-ci': TEST_USER },
        })
      : undefined;
  const lines = [
    'version: 0.1',
    'log: { level: warn, accesslog: { disabled: true } }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(dir, 'data')} }`,
    '  delete: { enabled: true }',
    '  maintenance: { uploadpurging: { enabled: false } }',
    'http:',
    '  addr: 127.0.0.1:PORT',
    '  secret: vigil-test-not-secret',
  ];
  if (certificate) lines.push(`  tls: { certificate: ${certificate.certFile}, key: ${certificate.keyFile} }`);
  if (mode === 'htpasswd' || mode === 'tls-htpasswd') {
    const file = join(dir, 'htpasswd');
    // distribution accepts bcrypt entries only.
    execFileSync('htpasswd', ['-Bbc', file, TEST_USER, TEST_PASSWORD], { stdio: 'ignore' });
    lines.push('auth:', `  htpasswd: { realm: vigil-test, path: ${file} }`);
  }
  if (tokenServer) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${tokenServer.realm}`,
      `    service: ${tokenServer.service}`,
      `    issuer: ${tokenServer.issuer}`,
      `    rootcertbundle: ${tokenServer.certFile}`,
    );
  }
  const scheme = tls ? 'https' : 'http';
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'config.yml');
    writeFileSync(config, `${lines.join('\n').replace('PORT', String(port))}\n`);
    const log = openSync(join(dir, 'registry.log'), 'a');
    const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
    const url = `${scheme}://127.0.0.1:${port}`;
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    for (let wait = 0; wait < 200 && !exited; wait++) {
      const status = await probe(url);
      if (status === 200 || status === 401) {
        const stop = async () => {
          if (child.exitCode === null && child.signalCode === null) {
            const gone = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await gone;
          }
          await tokenServer?.close();
        };
        // Also on exit, should the test file end without calling stop().
        process.once('exit', () => child.kill('SIGKILL'));
        return {
          mode,
          host: `127.0.0.1:${port}`,
          port,
          url,
          caFile: certificate?.certFile,
          username: TEST_USER,
          password: TEST_PASSWORD,
          tokenServer,
          dir,
          stop,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    if (attempt >= 2) {
      throw new Error(`docker-registry did not start:\n${readFileSync(join(dir, 'registry.log'), 'utf8')}`);
    }
  }
}
