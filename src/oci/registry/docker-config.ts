import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VigilError } from '../../errors/index.ts';
import type { Environment } from '../../net/index.ts';
import type { RegistryCredential } from './credentials.ts';
import { isDockerHub } from './reference.ts';

/** Docker's key for Docker Hub in config.json and credential helpers. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_HELPER_OUTPUT = 1024 * 1024;

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** A Docker `config.json` or podman `auth.json`: the parts that hold credentials. */
export interface AuthFile {
  readonly path: string;
  readonly auths: Readonly<Record<string, AuthEntry>>;
  readonly credsStore?: string;
  readonly credHelpers: Readonly<Record<string, string>>;
}

function fileExists(path: string | undefined): path is string {
  if (!path) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The credentials file in go-containerregistry's order: `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`, else `$REGISTRY_AUTH_FILE`, else podman's `auth.json` under
 * `$XDG_RUNTIME_DIR/containers` or `$XDG_CONFIG_HOME/containers`.
 */
export function findAuthFile(env: Environment): string | undefined {
  const home = env.HOME && env.HOME !== '' ? env.HOME : homedir();
  const candidates = [
    env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : undefined,
    join(home, '.docker', 'config.json'),
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined,
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'),
  ];
  return candidates.find(fileExists);
}

export function loadAuthFile(path: string): AuthFile {
  const fail = (why: string): never => {
    throw new VigilError('REGISTRY_AUTH_FILE_INVALID', `cannot read registry credentials from ${path}: ${why}`, {
      hint: 'fix or remove the file, or pass --username/--password or --registry-token instead',
    });
  };
  let document: unknown;
  try {
    if (statSync(path).size > MAX_CONFIG_BYTES) fail('larger than 4 MiB');
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof VigilError) throw error;
    fail(error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message);
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) return fail('not a JSON object');
  const record = document as Record<string, unknown>;
  const objectOf = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const auths: Record<string, AuthEntry> = {};
  for (const [key, value] of Object.entries(objectOf(record.auths))) auths[key] = objectOf(value) as AuthEntry;
  const credHelpers: Record<string, string> = {};
  for (const [key, value] of Object.entries(objectOf(record.credHelpers))) {
    if (typeof value === 'string') credHelpers[key] = value;
  }
  const credsStore = typeof record.credsStore === 'string' && record.credsStore !== '' ? record.credsStore : undefined;
  return { path, auths, credsStore, credHelpers };
}

/** `https://host/v1/` → `host`, as docker/cli's ConvertToHostname. */
function hostOfKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0] as string;
}

/** Podman allows `host/namespace/repo` keys; they match only that repository. */
function isRepositoryKey(key: string): boolean {
  return !/^[a-z]+:\/\//i.test(key) && key.includes('/');
}

/** The `auths` entry for a host, matching keys written with a scheme or path (`https://host/v1/`). */
function hostEntry(file: AuthFile, host: string): [string, AuthEntry] | undefined {
  const wanted = isDockerHub(host)
    ? new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])
    : new Set([host]);
  for (const [key, entry] of Object.entries(file.auths)) {
    if (!isRepositoryKey(key) && wanted.has(hostOfKey(key).toLowerCase())) return [key, entry];
  }
  return undefined;
}

function credentialFromEntry(entry: AuthEntry, origin: string): RegistryCredential | undefined {
  let username = entry.username ?? '';
  let password = entry.password ?? '';
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (entry.registrytoken) return { kind: 'registry-token', token: entry.registrytoken, origin };
  if (entry.identitytoken) return { kind: 'identity-token', username, token: entry.identitytoken, origin };
  if (username !== '' || password !== '') return { kind: 'basic', username, password, origin };
  return undefined;
}

/** Runs `docker-credential-<helper> get`; returns nothing when the helper has no entry. */
export type CredentialHelperRunner = (helper: string, serverUrl: string) => Promise<HelperAnswer | undefined>;

export interface HelperAnswer {
  readonly Username?: string;
  readonly Secret?: string;
}

export function credentialHelperRunner(env: Environment, signal?: AbortSignal): CredentialHelperRunner {
  return (helper, serverUrl) =>
    new Promise((resolve, reject) => {
      if (!/^[\w.-]+$/.test(helper)) {
        reject(new VigilError('REGISTRY_HELPER_INVALID', `invalid credential helper name ${JSON.stringify(helper)}`));
        return;
      }
      const program = `docker-credential-${helper}`;
      const child = spawn(program, ['get'], {
        env: { ...env } as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
        signal,
        timeout: 60_000,
      });
      const output: Buffer[] = [];
      let size = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_HELPER_OUTPUT) output.push(chunk);
        else child.kill();
      });
      child.stderr.resume();
      child.on('error', (error) =>
        reject(
          new VigilError('REGISTRY_HELPER_FAILED', `cannot run credential helper ${program}: ${error.message}`, {
            hint: `install ${program} on PATH, or remove it from the Docker config`,
          }),
        ),
      );
      child.on('close', (status) => {
        const text = Buffer.concat(output).toString('utf8').trim();
        if (status !== 0) {
          if (/credentials not found/i.test(text)) resolve(undefined);
          else
            reject(
              new VigilError('REGISTRY_HELPER_FAILED', `credential helper ${program} failed (exit status ${status})`, {
                hint: `run 'echo ${serverUrl} | ${program} get' to see why`,
              }),
            );
          return;
        }
        try {
          resolve(JSON.parse(text) as HelperAnswer);
        } catch {
          reject(
            new VigilError('REGISTRY_HELPER_FAILED', `credential helper ${program} printed something other than JSON`),
          );
        }
      });
      child.stdin.end(serverUrl);
    });
}

/**
 * The credential a Docker-style auth file gives for a repository, as docker/cli looks it up: a
 * repository-scoped entry first (podman), then for the host a credential helper (`credHelpers`,
 * else `credsStore`), then the `auths` entry.
 */
export async function credentialFromAuthFile(
  file: AuthFile,
  registry: string,
  repository: string,
  runHelper: CredentialHelperRunner,
): Promise<RegistryCredential | undefined> {
  const repositoryKey = `${registry}/${repository}`;
  const scoped = file.auths[repositoryKey];
  const fromScoped = scoped && credentialFromEntry(scoped, `${file.path} (${repositoryKey})`);
  if (fromScoped) return fromScoped;
  const hub = isDockerHub(registry);
  const helper = (hub ? file.credHelpers[DOCKER_HUB_KEY] : undefined) ?? file.credHelpers[registry] ?? file.credsStore;
  if (helper) {
    const answer = await runHelper(helper, hub ? DOCKER_HUB_KEY : registry);
    const origin = `credential helper docker-credential-${helper}`;
    if (answer?.Secret) {
      if (answer.Username === '<token>') return { kind: 'identity-token', token: answer.Secret, origin };
      return { kind: 'basic', username: answer.Username ?? '', password: answer.Secret, origin };
    }
  }
  const found = hostEntry(file, registry);
  return found ? credentialFromEntry(found[1], `${file.path} (${found[0]})`) : undefined;
}
