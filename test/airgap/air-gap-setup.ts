import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.ts';
import { buildTrivyDb, type DbArtifactKind } from '../../src/db/build/index.ts';
import { createHttpClient } from '../../src/net/index.ts';
import { parseReference, RegistryClient, staticCredentials } from '../../src/oci/registry/index.ts';
import type { TestRegistry } from '../helpers/registry.ts';
import { makeChecksArchive, makeJavaDbArchive, pushDbArtifact } from '../helpers/registry-db-artifact.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** The repository's own sample: alpine:3.11.5 and the advisories that give its 13 findings. */
export const SAMPLE_IMAGE = fileURLToPath(new URL('../../samples/alpine-3.11.tar.gz', import.meta.url));
export const SAMPLE_DB_YAML = fileURLToPath(new URL('../../samples/sample-db.yaml', import.meta.url));

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI in this process, with a clean environment: a HOME of its own (no Docker credentials of
 * the developer) and VIGIL_HOME beside it unless given.
 */
export async function vigil(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const home = env.HOME ?? tempDir();
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PATH: process.env.PATH, HOME: home, VIGIL_HOME: join(home, '.vigil'), ...env },
    cwd: home,
    now: () => new Date(),
  });
  return { status, stdout, stderr };
}

/** An ECDSA P-256 key pair made by openssl: `key` (PKCS#8 PEM) and `pub` (SPKI PEM). */
export function makeKeyPair(dir: string, name: string): { key: string; pub: string } {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, `${name}.key`);
  const pub = join(dir, `${name}.pub`);
  const raw = execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout']);
  execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-out', key], { input: raw });
  execFileSync('openssl', ['ec', '-in', key, '-pubout', '-out', pub], { stdio: 'ignore' });
  return { key, pub };
}

/** The sample DB as trivy-db publishes it (db.tar.gz), built when `updatedAt`. */
export async function sampleDbArchive(dir: string, updatedAt: Date): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const output = join(dir, 'db.tar.gz');
  await buildTrivyDb({ fixtures: [SAMPLE_DB_YAML], output, updatedAt, nextUpdateMs: 24 * 3_600_000 });
  return output;
}

export interface PublishedTrio {
  readonly db: string;
  readonly 'java-db': string;
  readonly checks: string;
}

function clientFor(registry: TestRegistry) {
  const http = createHttpClient({ retry: { attempts: 1 } });
  const credentials = staticCredentials([
    { kind: 'basic', username: registry.username, password: registry.password, origin: 'test' },
  ]);
  return { http, client: new RegistryClient({ http, credentials }) };
}

/**
 * Publishes a DB, a Java DB and a checks bundle under `host/<prefix>/{trivy-db:2, trivy-java-db:1,
 * trivy-checks:2}`, as the public repositories hold them; returns the manifest digests.
 */
export async function publishTrio(
  registry: TestRegistry,
  prefix: string,
  dbArchive: string,
  now = Date.now(),
): Promise<PublishedTrio> {
  const dir = tempDir();
  const fresh = { updatedAt: new Date(now - 3_600_000), nextUpdate: new Date(now + 20 * 3_600_000) };
  const javaDb = await makeJavaDbArchive(join(dir, 'java'), { ...fresh, marker: 'air-gap' });
  const checks = await makeChecksArchive(join(dir, 'checks'), 'air-gap');
  const { http, client } = clientFor(registry);
  try {
    const push = (path: string, file: string, kind: DbArtifactKind, annotations?: Record<string, string>) =>
      pushDbArtifact(client, parseReference(`${registry.host}/${prefix}/${path}`), file, kind, annotations);
    return {
      db: await push('trivy-db:2', dbArchive, 'db'),
      'java-db': await push('trivy-java-db:1', javaDb, 'java-db'),
      checks: await push('trivy-checks:2', checks, 'checks', { 'org.opencontainers.image.version': '2.1.0' }),
    };
  } finally {
    await http.close();
  }
}

/** The repository options that point every artifact at `host/prefix`. */
export function repositoryFlags(host: string, prefix: string): string[] {
  return [
    '--db-repository',
    `${host}/${prefix}/trivy-db`,
    '--java-db-repository',
    `${host}/${prefix}/trivy-java-db`,
    '--checks-bundle-repository',
    `${host}/${prefix}/trivy-checks:2`,
  ];
}

/** `skopeo inspect --raw`: the manifest bytes exactly as the registry or layout stores them. */
export function skopeoRaw(reference: string, credentials?: string): Buffer {
  const args = ['inspect', '--raw', ...(reference.startsWith('docker://') ? ['--tls-verify=false'] : [])];
  if (credentials) args.push('--creds', credentials);
  return execFileSync('skopeo', [...args, reference], { stdio: ['ignore', 'pipe', 'pipe'] });
}
