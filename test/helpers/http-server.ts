import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize, sep } from 'node:path';

/**
 * A real local HTTP(S) server for tests: static files from a directory, optional Basic or bearer
 * token auth, strong ETags with 304 answers to If-None-Match, and a log of every request.
 * Binds 127.0.0.1 on a free port; `close()` stops it and drops open connections.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly status: number;
}

export interface StaticServerOptions {
  /** Directory served at `/`. */
  readonly root: string;
  /** PEM certificate and key: serve HTTPS. See `selfSignedCertificate`. */
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly token?: string;
  /** Send ETag headers and answer matching If-None-Match with 304 (default true). */
  readonly etags?: boolean;
  /** Runs first; return true when it has answered the request itself (to inject failures). */
  readonly intercept?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests whose path starts with the prefix. */
  count(pathPrefix?: string): number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    response.on('finish', () => {
      requests.push({ method: request.method ?? '', path, headers: request.headers, status: response.statusCode });
    });
    if (options.intercept?.(request, response)) return;
    if (!authorized(request, options)) {
      response.writeHead(401, { 'WWW-Authenticate': options.token ? 'Bearer realm="test"' : 'Basic realm="test"' });
      response.end('unauthorized');
      return;
    }
    serveFile(options, path, request, response);
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler);
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    count: (prefix = '/') => requests.filter((request) => request.path.startsWith(prefix)).length,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function authorized(request: IncomingMessage, options: StaticServerOptions): boolean {
  const header = request.headers.authorization ?? '';
  if (options.token !== undefined) return header === `Bearer ${options.token}`;
  if (options.basicAuth !== undefined) {
    const expected = Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64');
    return header === `Basic ${expected}`;
  }
  return true;
}

function serveFile(
  options: StaticServerOptions,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
  } catch {
    response.writeHead(400).end();
    return;
  }
  const file = join(options.root, relative);
  if (relative.startsWith('..') || !(file === options.root || file.startsWith(options.root + sep))) {
    response.writeHead(403).end();
    return;
  }
  let content: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    content = readFileSync(file);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  const headers: Record<string, string> = { 'Content-Length': String(content.length) };
  if (options.etags !== false) {
    const etag = `"${createHash('sha256').update(content).digest('hex').slice(0, 32)}"`;
    headers.ETag = etag;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { ETag: etag }).end();
      return;
    }
  }
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : content);
}

/** A self-signed certificate for 127.0.0.1 and localhost that is its own CA (openssl, as the recipe does). */
export function selfSignedCertificate(dir: string): { cert: string; key: string; certPath: string } {
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '2',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath };
}
