import { Readable } from 'node:stream';
import type { SecureContext } from 'node:tls';
import type { Agent, Dispatcher, ProxyAgent } from 'undici';
import { VigilError } from '../errors/index.ts';
import { silentLogger } from '../log/index.ts';
import { userAgent as productUserAgent } from '../product/index.ts';
import { bodySourceStream } from './body-source-stream.ts';
import { directGet } from './direct-get.ts';
import { directSend } from './direct-send.ts';
import { classifyNetworkError, NetworkError } from './network-error.ts';
import { type ProxySettings, proxyFor, proxySettings } from './proxy.ts';
import { backoffDelay, defaultSleep, parseRetryAfter, RETRYABLE_STATUSES, retryPolicy } from './retry.ts';
import { probeTls } from './tls-probe.ts';
import { trustedSecureContext } from './trust.ts';
import type { BodySink, BodySource, HttpClient, HttpRequest, HttpResponse, NetworkPolicy } from './types.ts';
import { loadDirectTransport, loadProxyAgent } from './undici-loader.ts';

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Method = NonNullable<HttpRequest['method']>;
/** A request's body as the transport carries it: a body source is written on demand (HttpRequest.bodySource). */
type Body = HttpRequest['body'] | BodySource;

function isBodySource(body: Body): body is BodySource {
  return typeof body === 'object' && body !== null && 'writeTo' in body;
}

/** A request's body sink, and whether it has been given bytes (then nothing may be retried). */
interface SinkState {
  readonly sink: BodySink;
  started: boolean;
}

/** A response whose 2xx body already went to the sink, or a small body read whole: as undici's. */
function bufferedResponse(
  statusCode: number,
  headers: Record<string, string | string[]>,
  bytes: Buffer,
  sunk: boolean,
): Dispatcher.ResponseData & { sunk: boolean } {
  const body = Readable.from(bytes.length > 0 ? [bytes] : []);
  const dump = async () => {
    body.destroy();
  };
  return { statusCode, headers, body: Object.assign(body, { dump }), sunk } as unknown as Dispatcher.ResponseData & {
    sunk: boolean;
  };
}

/** A URL as it may appear in logs: no credentials, no query (upload and signed URLs carry secrets there). */
export function loggableUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * The transport: undici with the policy's trust store, proxies, timeouts, retries and user agent.
 * With `offline` every request fails before any socket is opened, so `--offline` is a guarantee.
 */
export function createHttpClient(policy: NetworkPolicy = {}): HttpClient {
  const env = policy.env ?? {};
  const logger = policy.logger ?? silentLogger;
  const retry = retryPolicy(policy.retry);
  const sleep = policy.sleep ?? defaultSleep;
  const now = policy.now ?? Date.now;
  const random = policy.random ?? Math.random;
  const agentName = policy.userAgent ?? productUserAgent();
  const idle = policy.idleTimeoutMs ?? 5 * 60_000;
  const connectTimeout = policy.connectTimeoutMs ?? 30_000;
  let proxies: ProxySettings | undefined;
  let tls: { secureContext?: SecureContext; rejectUnauthorized: boolean } | undefined;
  let direct: Agent | undefined;
  let plain: Agent | undefined;
  const viaProxy = new Map<string, ProxyAgent>();

  const tlsOptions = () => {
    tls ??= policy.insecure
      ? { rejectUnauthorized: false }
      : { secureContext: trustedSecureContext(policy.caFiles ?? [], env), rejectUnauthorized: true };
    return tls;
  };

  const dispatcherFor = async (url: URL): Promise<{ dispatcher: Dispatcher; proxy?: string }> => {
    proxies ??= proxySettings(env);
    const proxy = proxyFor(url, proxies);
    const { Agent } = await loadDirectTransport();
    if (!proxy && url.protocol === 'http:') {
      // Plain HTTP needs no trust store; loading the system CAs costs time and memory.
      plain ??= new Agent({ connect: { timeout: connectTimeout }, headersTimeout: idle, bodyTimeout: idle });
      return { dispatcher: plain };
    }
    if (!proxy) {
      direct ??= new Agent({
        connect: { ...tlsOptions(), timeout: connectTimeout },
        headersTimeout: idle,
        bodyTimeout: idle,
      });
      return { dispatcher: direct };
    }
    const ProxyAgent = await loadProxyAgent();
    let agent = viaProxy.get(proxy);
    if (!agent) {
      agent = new ProxyAgent({
        uri: proxy,
        requestTls: { ...tlsOptions(), timeout: connectTimeout },
        proxyTls: { ...tlsOptions(), timeout: connectTimeout },
        headersTimeout: idle,
        bodyTimeout: idle,
      });
      viaProxy.set(proxy, agent);
    }
    return { dispatcher: agent, proxy: new URL(proxy).host };
  };

  const sendOnce = async (
    url: URL,
    method: Method,
    headers: Record<string, string>,
    body: Body,
    signal: AbortSignal | undefined,
    sink: SinkState | undefined,
  ): Promise<Dispatcher.ResponseData> => {
    proxies ??= proxySettings(env);
    const direct = !proxyFor(url, proxies);
    if (isBodySource(body) && direct && (method === 'PUT' || method === 'POST' || method === 'PATCH')) {
      const result = await directSend(url, method, headers, body, {
        tls: url.protocol === 'https:' ? tlsOptions() : undefined,
        connectTimeoutMs: connectTimeout,
        idleTimeoutMs: idle,
        signal,
      });
      return bufferedResponse(result.statusCode, result.headers, result.body, false);
    }
    if (sink && method === 'GET' && body === undefined && direct) {
      const result = await directGet(url, headers, sink.sink, {
        tls: url.protocol === 'https:' ? tlsOptions() : undefined,
        connectTimeoutMs: connectTimeout,
        idleTimeoutMs: idle,
        signal,
        onBodyStart: () => {
          sink.started = true;
        },
      });
      if (!result.fallback) {
        const sunk = result.statusCode >= 200 && result.statusCode < 300;
        return bufferedResponse(result.statusCode, result.headers, result.body, sunk);
      }
      // A 2xx body this reader does not stream (no length, or encoded): ask again through undici.
    }
    const { dispatcher, proxy } = await dispatcherFor(url);
    const { request } = await loadDirectTransport();
    try {
      return await request(dispatcher, {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        body: isBodySource(body) ? bodySourceStream(body) : (body ?? null),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw classifyNetworkError(error, url, proxy);
    }
  };

  const sendWithRetries = async (
    url: URL,
    method: Method,
    headers: Record<string, string>,
    body: Body,
    signal: AbortSignal | undefined,
    retrying: boolean,
    sink: SinkState | undefined,
  ): Promise<Dispatcher.ResponseData> => {
    const replayable = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
    const attempts = retrying && replayable ? retry.attempts : 1;
    for (let attempt = 1; ; attempt++) {
      let waitMs: number;
      let why: string;
      try {
        const response = await sendOnce(url, method, headers, body, signal, sink);
        if (!RETRYABLE_STATUSES.has(response.statusCode) || attempt >= attempts) return response;
        const header = response.headers['retry-after'];
        const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header, now());
        if (retryAfter !== undefined && retryAfter > retry.maxDelayMs) {
          logger.debug(`${loggableUrl(url)}: Retry-After ${Math.round(retryAfter / 1000)}s is too long to wait`);
          return response;
        }
        await response.body.dump().catch(() => undefined);
        waitMs = retryAfter ?? backoffDelay(retry, attempt, random);
        why = `HTTP ${response.statusCode}`;
      } catch (error) {
        if (!(error instanceof NetworkError) || !error.transient || attempt >= attempts || sink?.started) throw error;
        waitMs = backoffDelay(retry, attempt, random);
        why = error.message;
      }
      logger.debug(
        `${method} ${loggableUrl(url)}: ${why}; retrying in ${(waitMs / 1000).toFixed(1)}s (attempt ${attempt + 1} of ${attempts})`,
      );
      await sleep(waitMs, signal);
    }
  };

  const refuseOffline = (url: URL) => {
    if (!policy.offline) return;
    throw new NetworkError(
      'offline',
      url.host,
      `--offline is set: refusing to connect to ${url.host}`,
      'drop --offline to allow downloads, or use what is already in the cache (see vigil db status)',
    );
  };

  return {
    async speaksTls(url: URL, signal?: AbortSignal): Promise<boolean | undefined> {
      refuseOffline(url);
      proxies ??= proxySettings(env);
      if (proxyFor(url, proxies)) return undefined;
      const signals = [policy.signal, signal].filter((each): each is AbortSignal => each !== undefined);
      return probeTls(url, connectTimeout, signals.length > 1 ? AbortSignal.any(signals) : signals[0]);
    },
    async request(request: HttpRequest): Promise<HttpResponse> {
      let url = new URL(request.url);
      refuseOffline(url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new VigilError('NET_URL_UNSUPPORTED', `unsupported URL scheme ${url.protocol} in ${loggableUrl(url)}`);
      }
      const signals = [policy.signal, request.signal].filter((signal): signal is AbortSignal => signal !== undefined);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      let method: Method = request.method ?? 'GET';
      let body: Body = request.bodySource ?? request.body;
      const headers: Record<string, string> = { 'user-agent': agentName };
      for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
      const sink = request.bodySink ? { sink: request.bodySink, started: false } : undefined;
      for (let hop = 0; ; hop++) {
        const response = await sendWithRetries(url, method, headers, body, signal, request.retry !== false, sink);
        const location = response.headers.location;
        if (!REDIRECT_STATUSES.has(response.statusCode) || request.followRedirects === false || !location) {
          logger.debug(`${method} ${loggableUrl(url)} -> ${response.statusCode}`);
          if (
            sink &&
            response.statusCode >= 200 &&
            response.statusCode < 300 &&
            !(response as { sunk?: boolean }).sunk
          ) {
            return wrapResponse(await pumpIntoSink(response, sink.sink, url), url);
          }
          return wrapResponse(response, url);
        }
        await response.body.dump().catch(() => undefined);
        if (hop >= MAX_REDIRECTS) {
          throw new VigilError('NET_REDIRECT_LOOP', `more than ${MAX_REDIRECTS} redirects from ${loggableUrl(url)}`);
        }
        const next = new URL(Array.isArray(location) ? (location[0] as string) : location, url);
        if (next.origin !== url.origin) {
          // Credentials were meant for the first host only (a registry redirecting to storage).
          delete headers.authorization;
          delete headers.cookie;
        }
        if (
          response.statusCode === 303 ||
          ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
        ) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
          delete headers['content-type'];
          delete headers['content-length'];
        } else if (body instanceof Readable || isBodySource(body)) {
          throw new VigilError('NET_REDIRECT_STREAM', `${loggableUrl(url)} redirected a streamed upload`, {
            hint: 'upload to the final location directly',
          });
        }
        logger.debug(`${method} ${loggableUrl(url)} redirected to ${loggableUrl(next)}`);
        url = next;
      }
    },
    async close(): Promise<void> {
      const agents: Dispatcher[] = [...viaProxy.values()];
      if (direct) agents.push(direct);
      if (plain) agents.push(plain);
      await Promise.all(agents.map((agent) => agent.close().catch(() => undefined)));
    },
  };
}

/** A 2xx body undici read (through a proxy, or one the direct reader does not stream) into the sink. */
async function pumpIntoSink(data: Dispatcher.ResponseData, sink: BodySink, url: URL): Promise<Dispatcher.ResponseData> {
  const header = (name: string) => {
    const value = data.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  try {
    sink.begin({ status: data.statusCode, header });
    for await (const chunk of data.body) await sink.write(chunk as Buffer);
  } catch (error) {
    if (!data.body.destroyed) data.body.destroy();
    throw error instanceof VigilError ? error : classifyNetworkError(error, url);
  }
  return bufferedResponse(data.statusCode, data.headers as Record<string, string | string[]>, Buffer.alloc(0), true);
}

function wrapResponse(data: Dispatcher.ResponseData, url: URL): HttpResponse {
  const body = data.body;
  const bytes = async (maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> => {
    const declared = Number(data.headers['content-length']);
    const tooLarge = () =>
      new VigilError('HTTP_BODY_TOO_LARGE', `the response from ${loggableUrl(url)} is larger than ${maxBytes} bytes`, {
        hint: 'the server sent far more than expected; check that the URL is right',
      });
    if (Number.isFinite(declared) && declared > maxBytes) {
      body.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of body) {
        total += (chunk as Buffer).length;
        if (total > maxBytes) {
          body.destroy();
          throw tooLarge();
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof VigilError) throw error;
      throw classifyNetworkError(error, url);
    }
    return Buffer.concat(chunks, total);
  };
  return {
    status: data.statusCode,
    url: url.href,
    header(name: string): string | undefined {
      const value = data.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body,
    bytes,
    text: async (maxBytes) => (await bytes(maxBytes)).toString('utf8'),
    json: async (maxBytes) => {
      const text = (await bytes(maxBytes)).toString('utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new VigilError('HTTP_BODY_NOT_JSON', `the response from ${loggableUrl(url)} is not valid JSON`, {
          hint: 'the server may be a proxy or portal page rather than the expected service',
        });
      }
    },
    discard: async () => {
      await body.dump().catch(() => undefined);
    },
  };
}
