import type { Logger } from '../../log/index.ts';
import { silentLogger } from '../../log/index.ts';
import type { Environment } from '../../net/index.ts';
import {
  type CredentialHelperRunner,
  credentialFromAuthFile,
  credentialHelperRunner,
  findAuthFile,
  loadAuthFile,
} from './docker-config.ts';

/**
 * One way to authenticate to a registry. `origin` says where it came from (a flag, a file, a
 * helper) for log lines; secrets are never logged or printed.
 */
export type RegistryCredential =
  | { readonly kind: 'anonymous'; readonly origin: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string; readonly origin: string }
  /** An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token endpoint. */
  | { readonly kind: 'identity-token'; readonly username?: string; readonly token: string; readonly origin: string }
  /** A bearer token sent to the registry as it is (`--registry-token`, Docker's `registrytoken`). */
  | { readonly kind: 'registry-token'; readonly token: string; readonly origin: string };

/** The credentials to try, in order, for one repository. Never empty (anonymous comes last). */
export type CredentialProvider = (registry: string, repository: string) => Promise<RegistryCredential[]>;

export const ANONYMOUS: RegistryCredential = { kind: 'anonymous', origin: 'anonymous' };

export interface CredentialOptions {
  /** `--registry-token`: when set, the only credential used. */
  readonly registryToken?: string;
  /** `--username`/`--password` pairs, tried in order for every registry. */
  readonly userPasswords?: ReadonlyArray<{ readonly username: string; readonly password: string }>;
  /** Locates the Docker/podman auth files and GITHUB_TOKEN; also the environment credential helpers run in. */
  readonly env?: Environment;
  readonly runHelper?: CredentialHelperRunner;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/**
 * Trivy's order (trivy-compat §9): `--registry-token` alone; else each `--username/--password`
 * pair, then what the keychain knows for the host (Docker config, REGISTRY_AUTH_FILE or podman's
 * auth.json, with credential helpers; GITHUB_TOKEN for ghcr.io), else anonymous.
 */
export function createCredentialProvider(options: CredentialOptions = {}): CredentialProvider {
  const env = options.env ?? {};
  const logger = options.logger ?? silentLogger;
  const runHelper = options.runHelper ?? credentialHelperRunner(env, options.signal);
  const pairs = (options.userPasswords ?? []).map(
    (pair, index): RegistryCredential => ({
      kind: 'basic',
      username: pair.username,
      password: pair.password,
      origin: `--username/--password pair ${index + 1}`,
    }),
  );
  const cache = new Map<string, Promise<RegistryCredential>>();

  const fromKeychain = async (registry: string, repository: string): Promise<RegistryCredential> => {
    const path = findAuthFile(env);
    if (path) {
      const file = loadAuthFile(path);
      try {
        const credential = await credentialFromAuthFile(file, registry, repository, runHelper);
        if (credential) return credential;
      } catch (error) {
        logger.warn(`${registry}: ${(error as Error).message}; trying without these credentials`);
      }
    }
    if (registry === 'ghcr.io' && env.GITHUB_TOKEN) {
      return {
        kind: 'basic',
        username: env.GITHUB_ACTOR || 'unset',
        password: env.GITHUB_TOKEN,
        origin: 'GITHUB_TOKEN',
      };
    }
    return ANONYMOUS;
  };

  return async (registry, repository) => {
    if (options.registryToken)
      return [{ kind: 'registry-token', token: options.registryToken, origin: '--registry-token' }];
    const key = `${registry}/${repository}`;
    let keychain = cache.get(key);
    if (!keychain) {
      keychain = fromKeychain(registry, repository);
      cache.set(key, keychain);
    }
    return [...pairs, await keychain];
  };
}

/** Fixed credentials for every registry, mostly for tests and library callers. */
export function staticCredentials(credentials: readonly RegistryCredential[]): CredentialProvider {
  const list = credentials.length > 0 ? [...credentials] : [ANONYMOUS];
  return async () => list;
}
