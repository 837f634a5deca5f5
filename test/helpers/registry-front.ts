import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { after } from 'node:test';

/** What the front does with one request. */
export type FrontAction =
  | { readonly kind: 'pass' }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  /** Forward, but flip one byte of the response body in the middle. */
  | { readonly kind: 'corrupt' }
  /** Forward the headers and the first `bytes` of the body, then hold the connection open. */
  | { readonly kind: 'stall'; readonly bytes: number }
  /** Forward the headers and the first `bytes` of the body, then cut the connection. */
  | { readonly kind: 'cut'; readonly bytes: number };

export interface FrontRequest {
  readonly method: string;
  readonly path: string;
  /** How many requests with this method and path came before, plus one. */
  readonly count: number;
}

export interface RegistryFront {
  readonly host: string;
  readonly url: string;
  readonly port: number;
  /** Accepted TCP connections. */
  connections: number;
  readonly requests: FrontRequest[];
  close(): Promise<void>;
}

/**
 * A plain-HTTP reverse proxy in front of a test registry that can answer, corrupt, stall or cut
 * chosen requests: the way to make a real registry look rate-limited, broken or hostile.
 */
export async function startRegistryFront(
  upstream: string,
  decide: (request: FrontRequest) => FrontAction = () => ({ kind: 'pass' }),
): Promise<RegistryFront> {
  const target = new URL(upstream);
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const record: RegistryFront = {
    host: '',
    url: '',
    port: 0,
    connections: 0,
    requests: [],
    close: async () => undefined,
  };
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0] as string;
    const key = `${incoming.method} ${path}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    const request = { method: incoming.method ?? '', path, count };
    record.requests.push(request);
    const action = decide(request);
    if (action.kind === 'respond') {
      incoming.resume();
      outgoing.writeHead(action.status, action.headers).end(action.body ?? '');
      return;
    }
    const headers = { ...incoming.headers, host: target.host };
    const forward = httpRequest(
      { host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers },
      (response) => {
        const responseHeaders = { ...response.headers };
        const location = responseHeaders.location;
        if (typeof location === 'string' && location.startsWith(target.origin)) {
          responseHeaders.location = location.replace(target.origin, `http://${record.host}`);
        }
        outgoing.writeHead(response.statusCode ?? 502, responseHeaders);
        if (action.kind === 'pass') {
          response.pipe(outgoing);
          return;
        }
        let sent = 0;
        const length = Number(response.headers['content-length'] ?? 0);
        response.on('data', (chunk: Buffer) => {
          if (action.kind === 'corrupt') {
            const middle = Math.floor(length / 2) - sent;
            if (middle >= 0 && middle < chunk.length) chunk[middle] = (chunk[middle] as number) ^ 0xff;
            sent += chunk.length;
            outgoing.write(chunk);
            return;
          }
          const room = action.bytes - sent;
          if (room > 0) outgoing.write(chunk.subarray(0, room));
          sent += chunk.length;
          if (sent >= action.bytes) {
            response.destroy();
            if (action.kind === 'cut') outgoing.socket?.destroy();
          }
        });
        response.on('end', () => {
          if (action.kind === 'corrupt') outgoing.end();
        });
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  server.on('connection', (socket: Socket) => {
    record.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('front did not bind');
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  after(close);
  return Object.assign(record, {
    port: address.port,
    host: `127.0.0.1:${address.port}`,
    url: `http://127.0.0.1:${address.port}`,
    close,
  });
}
