import { isIP, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { VigilError } from '../errors/index.ts';
import { NetworkError } from './network-error.ts';

// The wire format shared by the direct HTTP/1.1 requests (direct-get.ts, direct-send.ts): one
// request per fresh connection, written by hand so bodies move through reused buffers.

/** Status line and headers: more is refused. */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface DirectConnectOptions {
  /** For https: the client's trust (a secure context with its CAs, or no check under --insecure). */
  readonly tls?: { readonly secureContext?: SecureContext; readonly rejectUnauthorized: boolean };
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface Head {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
}

export function parseHead(text: string, url: URL): Head {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!status) throw malformed(url, 'the status line is not HTTP/1.x');
  const headers: Record<string, string | string[]> = {};
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(url, 'a header line has no name');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return { statusCode: Number(status[1]), headers };
}

export function malformed(url: URL, why: string): NetworkError {
  return new NetworkError(
    'other',
    url.host,
    `${url.host} sent a malformed HTTP response (${why})`,
    'check that the URL points at an HTTP server and no proxy rewrites the traffic',
  );
}

/** The request line and headers, ending the connection after the answer. */
export function requestText(method: string, url: URL, headers: Readonly<Record<string, string>>): string {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
      throw new VigilError('NET_HEADER_INVALID', `the request header ${name.trim()} holds a line break`);
    }
    if (name === 'host' || name === 'connection') continue;
    lines.push(`${name}: ${value}`);
  }
  lines.push('connection: close', '', '');
  return lines.join('\r\n');
}

export function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The error for a connection that ended before the answer was complete. */
export function closedEarly(url: URL, what: string): NetworkError {
  return new NetworkError(
    'reset',
    url.host,
    `the connection to ${url.host} was closed ${what}`,
    'retry later; if it persists, a proxy or firewall may be cutting the connection',
  );
}

/**
 * Opens a TCP or TLS connection to the URL's host, reading into `onread`'s buffer; `connected`
 * runs once it can carry the request (after the TLS handshake for https).
 */
export function connectDirect(
  url: URL,
  options: DirectConnectOptions,
  onread: { readonly buffer: Uint8Array; readonly callback: (bytes: number, into: Uint8Array) => boolean },
  connected: (socket: Socket) => void,
): Socket {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const connectOptions = { host, port, onread, timeout: options.connectTimeoutMs };
  const socket = secure
    ? process.getBuiltinModule('node:tls').connect({
        ...connectOptions,
        ...(isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ['http/1.1'],
        ...options.tls,
      })
    : process.getBuiltinModule('node:net').connect(connectOptions);
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    socket.setTimeout(options.idleTimeoutMs);
    connected(socket);
  });
  return socket;
}

/** Collects an answer's status line and headers from socket reads, skipping interim (1xx) answers. */
export class ResponseHeadReader {
  readonly #url: URL;
  #pending: Buffer = Buffer.alloc(0);

  constructor(url: URL) {
    this.#url = url;
  }

  /**
   * Adds the next bytes read: the head once complete, with the body bytes that followed it in the
   * same read; undefined while more is needed. A malformed or oversized head throws.
   */
  push(view: Buffer): { readonly head: Head; readonly rest: Buffer } | undefined {
    let all = Buffer.concat([this.#pending, view]);
    for (;;) {
      const end = all.indexOf('\r\n\r\n');
      if (end < 0 || end > MAX_HEAD_BYTES) {
        if (all.length > MAX_HEAD_BYTES) throw malformed(this.#url, 'the headers are larger than 64 KiB');
        this.#pending = all;
        return undefined;
      }
      const head = parseHead(all.subarray(0, end).toString('latin1'), this.#url);
      all = all.subarray(end + 4);
      // An interim answer (100 Continue): the real one follows.
      if (head.statusCode >= 100 && head.statusCode < 200) continue;
      this.#pending = Buffer.alloc(0);
      return { head, rest: all };
    }
  }
}

/**
 * The body of a chunked answer, once `raw` holds all of it (through the last, empty chunk);
 * undefined while incomplete. Trailers are dropped; malformed framing throws.
 */
export function decodeChunked(raw: Buffer, url: URL): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const sizeText = raw.subarray(at, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw malformed(url, 'a chunk size is not hexadecimal');
    const size = Number.parseInt(sizeText, 16);
    const start = lineEnd + 2;
    if (size === 0) return raw.indexOf('\r\n\r\n', lineEnd) >= 0 ? Buffer.concat(parts) : undefined;
    if (raw.length < start + size + 2) return undefined;
    parts.push(raw.subarray(start, start + size));
    at = start + size + 2;
  }
}
