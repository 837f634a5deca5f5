import { VigilError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';
import { type HttpClient, type HttpRequest, type HttpResponse, NetworkError } from '../../net/index.ts';
import { type AuthChallenge, parseChallenges, preferredChallenge } from './challenge.ts';
import type { CredentialProvider, RegistryCredential } from './credentials.ts';
import { isLoopbackRegistry, registryApiHost } from './reference.ts';
import { RegistryError, registryError } from './registry-error.ts';

/** Where a registry answers and how it wants to be authenticated, learned from `GET /v2/`. */
export interface RegistryEndpoint {
  readonly registry: string;
  /** `https://host[:port]` or, for loopback and --insecure registries without TLS, `http://…`. */
  readonly base: string;
  readonly challenge: AuthChallenge | undefined;
}

export interface RepositoryTarget {
  readonly registry: string;
  readonly repository: string;
}

export type RepositoryAction = 'pull' | 'push';

export interface SendOptions {
  readonly actions: readonly RepositoryAction[];
  /** More scopes for the same token, e.g. `repository:other:pull` for a cross-repository mount. */
  readonly extraScopes?: readonly string[];
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const MAX_TOKEN_RESPONSE = 1024 * 1024;
/** Falling back to plain HTTP makes sense only when the server did not speak TLS at all. */
const NOT_TLS_FAILURES = new Set(['not-tls', 'tls-handshake', 'reset']);

export interface RegistrySessionOptions {
  readonly http: HttpClient;
  readonly credentials: CredentialProvider;
  /** Allow plain HTTP for every registry (--insecure); loopback registries always may. */
  readonly insecure?: boolean;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * The per-run state of talking to registries: the endpoint of each host (pinged once), which
 * credential worked for each repository, and bearer tokens by scope until they expire.
 */
export class RegistrySession {
  readonly #options: RegistrySessionOptions;
  readonly #endpoints = new Map<string, Promise<RegistryEndpoint>>();
  readonly #credentials = new Map<string, Promise<RegistryCredential[]>>();
  readonly #pinned = new Map<string, number>();
  readonly #tokens = new Map<string, CachedToken>();

  constructor(options: RegistrySessionOptions) {
    this.#options = options;
  }

  get http(): HttpClient {
    return this.#options.http;
  }

  endpoint(registry: string): Promise<RegistryEndpoint> {
    let found = this.#endpoints.get(registry);
    if (!found) {
      found = this.#ping(registry);
      this.#endpoints.set(registry, found);
      found.catch(() => this.#endpoints.delete(registry));
    }
    return found;
  }

  async #ping(registry: string): Promise<RegistryEndpoint> {
    const host = registryApiHost(registry);
    const plainAllowed = this.#options.insecure === true || isLoopbackRegistry(registry);
    if (plainAllowed && this.#options.insecure !== true) {
      // A loopback registry is often plain HTTP: a bare handshake finds out before the TLS attempt
      // below loads the whole trust store for nothing. --insecure connections skip the store anyway.
      const tls = await this.http.speaksTls?.(new URL(`https://${host}`));
      if (tls === false) {
        this.#options.logger.debug(`${registry} does not speak TLS (a TLS handshake failed); using plain HTTP`);
        return await this.#pingAt(registry, `http://${host}`, true);
      }
    }
    try {
      return await this.#pingAt(registry, `https://${host}`, !plainAllowed);
    } catch (error) {
      if (!plainAllowed || !(error instanceof NetworkError) || !NOT_TLS_FAILURES.has(error.failure)) throw error;
      this.#options.logger.debug(`${registry} does not speak TLS (${error.message}); using plain HTTP`);
      return await this.#pingAt(registry, `http://${host}`, true);
    }
  }

  async #pingAt(registry: string, base: string, retry: boolean): Promise<RegistryEndpoint> {
    let response = await this.http.request({ url: `${base}/v2/`, retry });
    if (!retry && response.status !== 200 && response.status !== 401) {
      // The probe ran without retries so a plain-HTTP server was found fast; now retry for real.
      await response.discard();
      response = await this.http.request({ url: `${base}/v2/` });
    }
    if (response.status === 200) {
      await response.discard();
      return { registry, base, challenge: undefined };
    }
    if (response.status === 401) {
      const challenge = preferredChallenge(parseChallenges(response.header('www-authenticate')));
      await response.discard();
      if (!challenge) {
        throw new VigilError(
          'REGISTRY_AUTH_UNSUPPORTED',
          `${registry} asks for an authentication scheme Vigil does not know`,
          {
            hint: 'registries must offer Basic or Bearer (token) authentication',
          },
        );
      }
      return { registry, base, challenge };
    }
    throw await registryError(response, `${registry} is not an OCI registry (GET /v2/)`);
  }

  #credentialsFor(target: RepositoryTarget): Promise<RegistryCredential[]> {
    const key = `${target.registry}/${target.repository}`;
    let found = this.#credentials.get(key);
    if (!found) {
      found = this.#options.credentials(target.registry, target.repository);
      this.#credentials.set(key, found);
    }
    return found;
  }

  /**
   * Sends a request to a repository with the first credential that the registry accepts, trying
   * the next one on 401/403, and widening the token's scope when the registry asks for more.
   * `build` is called for every attempt, so stream bodies are made fresh each time.
   */
  async send(
    target: RepositoryTarget,
    options: SendOptions,
    build: (base: string) => HttpRequest,
  ): Promise<HttpResponse> {
    const endpoint = await this.endpoint(target.registry);
    const credentials = await this.#credentialsFor(target);
    const key = `${target.registry}/${target.repository}`;
    let scopes = [`repository:${target.repository}:${options.actions.join(',')}`, ...(options.extraScopes ?? [])];
    let lastRejection: RegistryError | undefined;
    for (let index = this.#pinned.get(key) ?? 0; index < credentials.length; index++) {
      const credential = credentials[index] as RegistryCredential;
      const more = index + 1 < credentials.length;
      let response: HttpResponse;
      try {
        response = await this.#sendWith(endpoint, credential, scopes, build);
        const widened = await this.#wantsWiderScope(response, scopes);
        if (widened) {
          scopes = widened;
          response = await this.#sendWith(endpoint, credential, scopes, build);
        }
      } catch (error) {
        if (error instanceof RegistryError && error.isAuthFailure && more) {
          this.#options.logger.debug(
            `${key}: ${credential.origin} was refused (${error.message}); trying the next credential`,
          );
          lastRejection = error;
          continue;
        }
        throw error;
      }
      if ((response.status === 401 || response.status === 403) && more) {
        lastRejection = await registryError(response, `${key}`);
        this.#options.logger.debug(`${key}: ${credential.origin} was refused; trying the next credential`);
        continue;
      }
      this.#pinned.set(key, index);
      return response;
    }
    throw lastRejection ?? new VigilError('REGISTRY_NO_CREDENTIALS', `${key}: no credential to try`);
  }

  async #sendWith(
    endpoint: RegistryEndpoint,
    credential: RegistryCredential,
    scopes: readonly string[],
    build: (base: string) => HttpRequest,
  ): Promise<HttpResponse> {
    const authorization = await this.#authorization(endpoint, credential, scopes);
    const request = build(endpoint.base);
    const headers = { ...request.headers, ...(authorization ? { authorization } : {}) };
    return this.http.request({ ...request, headers });
  }

  /** On a 401 whose Bearer challenge names a scope the token lacks, the scopes to ask for instead. */
  async #wantsWiderScope(response: HttpResponse, scopes: readonly string[]): Promise<string[] | undefined> {
    if (response.status !== 401) return undefined;
    const challenge = preferredChallenge(parseChallenges(response.header('www-authenticate')));
    const wanted = challenge?.scheme === 'bearer' ? challenge.params.scope : undefined;
    if (!wanted) return undefined;
    const missing = wanted.split(' ').filter((scope) => scope !== '' && !scopes.includes(scope));
    if (missing.length === 0) return undefined;
    await response.discard();
    return [...scopes, ...missing];
  }

  async #authorization(
    endpoint: RegistryEndpoint,
    credential: RegistryCredential,
    scopes: readonly string[],
  ): Promise<string | undefined> {
    const challenge = endpoint.challenge;
    if (!challenge) return undefined;
    if (credential.kind === 'registry-token') return `Bearer ${credential.token}`;
    if (challenge.scheme === 'basic') {
      if (credential.kind !== 'basic') return undefined;
      this.#checkCredentialTarget(endpoint.base, endpoint.registry);
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    const key = `${endpoint.registry} ${credential.origin} ${[...scopes].sort().join(' ')}`;
    const now = (this.#options.now ?? Date.now)();
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > now) return `Bearer ${cached.token}`;
    const token = await this.#fetchToken(endpoint, challenge, credential, scopes);
    this.#tokens.set(key, { token: token.token, expiresAt: now + token.expiresInMs - 10_000 });
    return `Bearer ${token.token}`;
  }

  /** Secrets go over TLS only, except to loopback or with --insecure. */
  #checkCredentialTarget(url: string, registry: string): void {
    const target = new URL(url);
    if (target.protocol === 'https:' || this.#options.insecure || isLoopbackRegistry(target.host)) return;
    throw new VigilError(
      'REGISTRY_PLAIN_HTTP_CREDENTIALS',
      `${registry}: refusing to send credentials over plain HTTP to ${target.host}`,
      {
        hint: 'use an https endpoint, or --insecure if this network is trusted',
      },
    );
  }

  async #fetchToken(
    endpoint: RegistryEndpoint,
    challenge: AuthChallenge,
    credential: RegistryCredential,
    scopes: readonly string[],
  ): Promise<{ token: string; expiresInMs: number }> {
    const realm = challenge.params.realm;
    if (!realm || !/^https?:\/\//i.test(realm)) {
      throw new VigilError(
        'REGISTRY_AUTH_INVALID',
        `${endpoint.registry} sent a Bearer challenge without a usable realm`,
        {
          hint: 'the registry or a proxy in front of it is misconfigured',
        },
      );
    }
    const service = challenge.params.service;
    let response: HttpResponse | undefined;
    if (credential.kind === 'identity-token') {
      this.#checkCredentialTarget(realm, endpoint.registry);
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credential.token,
        client_id: 'vigil',
      });
      if (service) form.set('service', service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      response = await this.http.request({
        url: realm,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      if (response.status === 404 || response.status === 405) {
        // Token servers without OAuth2 support; the GET form works everywhere (anonymously here).
        await response.discard();
        response = undefined;
      }
    }
    if (!response) {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (credential.kind === 'basic') {
        this.#checkCredentialTarget(realm, endpoint.registry);
        headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
      }
      response = await this.http.request({ url, headers });
    }
    if (response.status !== 200) {
      throw await registryError(
        response,
        `${endpoint.registry}: the token service ${new URL(realm).host} refused ${credential.origin}`,
      );
    }
    const body = (await response.json(MAX_TOKEN_RESPONSE)) as {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
    };
    const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new VigilError('REGISTRY_AUTH_INVALID', `${endpoint.registry}: the token service returned no token`, {
        hint: 'the token service is misconfigured',
      });
    }
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { token, expiresInMs: seconds * 1000 };
  }
}
