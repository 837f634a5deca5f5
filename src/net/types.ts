import type { Readable } from 'node:stream';
import type { Logger } from '../log/index.ts';

/**
 * The one HTTP transport every download goes through (DBs, checks, VEX, images). Proxies, CAs,
 * --insecure, --offline, retries, timeouts and the user agent are applied by the implementation,
 * so callers only say what to fetch.
 */
export interface HttpRequest {
  readonly url: string | URL;
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  /** A replayable body (bytes or string) may be retried; a stream body is sent once. */
  readonly body?: Uint8Array | string | Readable;
  readonly signal?: AbortSignal;
  /** Follow redirects (default true). Credentials are never forwarded to another host. */
  readonly followRedirects?: boolean;
  /** Retry 408/429/5xx and connection resets (default true; only replayable bodies are retried). */
  readonly retry?: boolean;
  /**
   * GET only: a 2xx body goes to this sink as it arrives, read into one reused buffer (no buffer
   * allocated per socket read), and `request` resolves once all of it was written; the response's
   * own body is then empty. Other answers (redirects, 401, errors) come back as usual.
   */
  readonly bodySink?: BodySink;
  /**
   * PUT, POST or PATCH: a body of known length written by its source through reused buffers (one
   * large socket write per 1 MiB, no buffer allocated per chunk). Not retried once started.
   */
  readonly bodySource?: BodySource;
}

/** Where a body source writes (HttpRequest.bodySource). */
export interface BodyTarget {
  /**
   * The next bytes, as a view that may be reused once the call returns (they are copied). A
   * returned promise asks the source to wait until it settles; a throw ends the request.
   */
  write(view: Buffer): undefined | Promise<void>;
}

/** A request body produced on demand: exactly `length` bytes written into the target by `writeTo`. */
export interface BodySource {
  readonly length: number;
  /** Writes the whole body, then resolves; `signal` aborts when the request no longer wants it. */
  writeTo(target: BodyTarget, signal: AbortSignal): Promise<void>;
}

/** Where a streamed body goes (HttpRequest.bodySink). */
export interface BodySink {
  /** The 2xx answer's status and headers, before any body byte; throwing refuses the body. */
  begin(response: { readonly status: number; header(name: string): string | undefined }): void;
  /**
   * The next bytes, as a view of a buffer that is reused once the call returns: copy what must be
   * kept. A returned promise pauses reading until it settles; a rejection or throw ends the request.
   */
  write(view: Buffer): undefined | Promise<void>;
}

export interface HttpResponse {
  readonly status: number;
  /** The final URL after redirects. */
  readonly url: string;
  header(name: string): string | undefined;
  /** The body as a stream; consume it, or call `discard()`. */
  readonly body: Readable;
  /** Bodies read whole are bounded: larger than `maxBytes` (default 16 MiB) is an error. */
  text(maxBytes?: number): Promise<string>;
  json(maxBytes?: number): Promise<unknown>;
  bytes(maxBytes?: number): Promise<Buffer>;
  discard(): Promise<void>;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Whether the server at the URL's host and port completes a TLS handshake, without a request and
   * without checking its certificate: undefined when it cannot tell (no answer, or a proxy is in
   * the way). For hosts allowed plain HTTP, so a plain one is found without loading the trust store.
   * --offline refuses it like any request.
   */
  speaksTls?(url: URL, signal?: AbortSignal): Promise<boolean | undefined>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface RetryPolicy {
  /** Total attempts, the first included (default 4). */
  readonly attempts: number;
  /** Delay before the first retry (default 1 s), multiplied by `factor` (default 3) for each next one. */
  readonly baseDelayMs: number;
  readonly factor: number;
  /** Fraction of random spread around each delay (default 0.1). */
  readonly jitter: number;
  /** A Retry-After longer than this is not waited for: the response is returned as it is (default 60 s). */
  readonly maxDelayMs: number;
}

/** Everything that shapes how Vigil talks to the network, gathered once from options and environment. */
export interface NetworkPolicy {
  /** Refuse every request before a socket is opened (--offline). */
  readonly offline?: boolean;
  /** Skip TLS verification (--insecure). */
  readonly insecure?: boolean;
  /** PEM files of extra trusted CAs (--cacert). */
  readonly caFiles?: readonly string[];
  /** Proxy variables, SSL_CERT_FILE and NODE_EXTRA_CA_CERTS are read from here (default: none). */
  readonly env?: Environment;
  /** TCP + TLS connect timeout (default 30 s). */
  readonly connectTimeoutMs?: number;
  /** Longest silence while waiting for headers or body data (default 5 min). */
  readonly idleTimeoutMs?: number;
  /** Aborts every request (the command's --timeout). */
  readonly signal?: AbortSignal;
  readonly userAgent?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: Logger;
  /** Injectable for tests: waiting between retries, the clock (for Retry-After dates), randomness (jitter). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
}
