import type { Readable } from 'node:stream';

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
}

export interface HttpResponse {
  readonly status: number;
  /** The final URL after redirects. */
  readonly url: string;
  header(name: string): string | undefined;
  /** The body as a stream; consume it, or call `discard()`. */
  readonly body: Readable;
  text(): Promise<string>;
  json(): Promise<unknown>;
  bytes(): Promise<Buffer>;
  discard(): Promise<void>;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}
