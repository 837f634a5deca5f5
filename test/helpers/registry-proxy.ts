import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/** What the proxy saw: forwarded requests (absolute-form) and CONNECT tunnels, by target. */
export interface ProxyLog {
  readonly forwarded: string[];
  readonly tunnels: string[];
}

export interface TestProxy {
  readonly url: string;
  readonly log: ProxyLog;
  close(): Promise<void>;
}

/**
 * A tiny forward proxy for tests: absolute-form HTTP requests are forwarded and CONNECT opens a
 * tunnel. Every target host is sent to `resolveTo` (default 127.0.0.1), so a name no DNS knows
 * (e.g. registry.example) is reachable only through the proxy: a request that bypasses it fails.
 */
export async function startTestProxy(resolveTo = '127.0.0.1'): Promise<TestProxy> {
  const log: ProxyLog = { forwarded: [], tunnels: [] };
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    const target = new URL(incoming.url ?? '/');
    log.forwarded.push(`${incoming.method} ${target.host}${target.pathname}`);
    const upstream = httpRequest(
      {
        host: resolveTo,
        port: Number(target.port || 80),
        path: `${target.pathname}${target.search}`,
        method: incoming.method,
        headers: { ...incoming.headers, host: target.host },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  server.on('connect', (incoming: IncomingMessage, client: Socket, head: Buffer) => {
    log.tunnels.push(incoming.url ?? '');
    const [, port] = (incoming.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port ?? 443), resolveTo, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy did not bind');
  return {
    url: `http://127.0.0.1:${address.port}`,
    log,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
