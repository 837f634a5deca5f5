import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { after } from 'node:test';

/** One request as the front saw it, with its query (upload digests travel there). */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
}

export interface UploadFront {
  readonly host: string;
  readonly requests: SeenRequest[];
  /** Requests that write to the registry: blob upload sessions, chunks, finishes, manifests. */
  writes(repository?: string): SeenRequest[];
  /** From now on, hold matching requests forever: never forwarded, never answered. */
  hang(matches: (request: SeenRequest) => boolean): void;
  /** Resolves when a request matching was held. */
  held(): Promise<SeenRequest>;
  /** Answers the next matching request itself (once its body is read), 401 with this challenge, without forwarding it. */
  refuseOnce(matches: (request: SeenRequest) => boolean, challenge: string): void;
  close(): Promise<void>;
}

/**
 * A plain-HTTP proxy in front of a test registry that logs every request with its query string and
 * can hold chosen requests forever, so a test can kill a copy while it waits on an upload that will
 * never complete, and then count what a second run sends.
 */
export async function startUploadFront(upstream: string): Promise<UploadFront> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const requests: SeenRequest[] = [];
  let hangWhen: ((request: SeenRequest) => boolean) | undefined;
  let onHeld: ((request: SeenRequest) => void) | undefined;
  let refusal: { matches: (request: SeenRequest) => boolean; challenge: string } | undefined;
  const heldOnce = new Promise<SeenRequest>((resolve) => {
    onHeld = resolve;
  });
  let host = '';
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    const seen = { method: incoming.method ?? '', url: incoming.url ?? '/' };
    requests.push(seen);
    if (refusal?.matches(seen)) {
      const { challenge } = refusal;
      refusal = undefined;
      // Read to the end first, so the client sees the answer rather than a cut connection.
      incoming.resume();
      incoming.on('end', () => {
        outgoing.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
        outgoing.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      });
      return;
    }
    if (hangWhen?.(seen)) {
      onHeld?.(seen);
      incoming.resume();
      return;
    }
    const headers = { ...incoming.headers, host: target.host };
    const forward = httpRequest(
      { host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers },
      (response) => {
        const answer = { ...response.headers };
        if (typeof answer.location === 'string' && answer.location.startsWith(target.origin)) {
          answer.location = answer.location.replace(target.origin, `http://${host}`);
        }
        outgoing.writeHead(response.statusCode ?? 502, answer);
        response.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('front did not bind');
  host = `127.0.0.1:${address.port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  after(close);
  return {
    host,
    requests,
    writes: (repository) =>
      requests.filter(
        (request) =>
          ['POST', 'PUT', 'PATCH'].includes(request.method) &&
          (repository === undefined || request.url.startsWith(`/v2/${repository}/`)),
      ),
    hang: (matches) => {
      hangWhen = matches;
    },
    held: () => heldOnce,
    refuseOnce: (matches, challenge) => {
      refusal = { matches, challenge };
    },
    close,
  };
}
