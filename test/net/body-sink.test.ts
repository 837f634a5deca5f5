import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { type BodySink, createHttpClient, NetworkError } from '../../src/net/index.ts';
import { makeTestCertificate } from '../helpers/registry-certs.ts';
import { startTestProxy } from '../helpers/registry-proxy.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const servers: Array<Server | NetServer> = [];
after(async () => {
  for (const server of servers) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen<T extends Server | NetServer>(server: T): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const requests: string[] = [];
  const port = await listen(
    createHttpServer((request, response) => {
      requests.push(request.url ?? '');
      handler(request, response);
    }),
  );
  return { url: `http://127.0.0.1:${port}`, requests };
}

/** A raw TCP server that answers each connection with `answer` (for byte-exact and broken responses). */
async function rawServer(answer: (socket: Socket) => void): Promise<{ url: string; connections: () => number }> {
  let count = 0;
  const port = await listen(
    createNetServer((socket) => {
      count++;
      socket.once('data', () => answer(socket));
      socket.on('error', () => undefined);
    }),
  );
  return { url: `http://127.0.0.1:${port}`, connections: () => count };
}

/** A sink that keeps copies, and every third write makes the reader wait a little. */
function collectingSink() {
  const parts: Buffer[] = [];
  let writes = 0;
  const state = { begun: [] as number[], length: undefined as string | undefined };
  const sink: BodySink = {
    begin(response) {
      state.begun.push(response.status);
      state.length = response.header('content-length');
    },
    write(view) {
      parts.push(Buffer.from(view));
      writes++;
      return writes % 3 === 0 ? delay(1) : undefined;
    },
  };
  return { sink, state, bytes: () => Buffer.concat(parts) };
}

const http = createHttpClient({ retry: { attempts: 3, baseDelayMs: 1 } });
after(() => http.close());

describe('http client: bodies streamed into a sink', () => {
  it('hands over a large body exactly, pausing when the sink asks, and leaves the response body empty', async () => {
    const content = randomBytes(3 * 2 ** 20 + 17);
    const server = await serve((_, response) =>
      response.writeHead(200, { 'content-length': content.length }).end(content),
    );
    const { sink, state, bytes } = collectingSink();
    const response = await http.request({ url: `${server.url}/blob`, bodySink: sink });
    assert.equal(response.status, 200);
    assert.deepEqual(state.begun, [200]);
    assert.equal(state.length, String(content.length));
    assert.ok(bytes().equals(content));
    assert.equal((await response.bytes()).length, 0);
  });

  it('follows redirects to the body, and gives other answers back as usual without touching the sink', async () => {
    const content = randomBytes(100_000);
    const server = await serve((request, response) => {
      if (request.url === '/moved') response.writeHead(307, { location: '/blob' }).end('see /blob');
      else if (request.url === '/blob') response.writeHead(200, { 'content-length': content.length }).end(content);
      else response.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
    });
    const moved = collectingSink();
    await http.request({ url: `${server.url}/moved`, bodySink: moved.sink });
    assert.ok(moved.bytes().equals(content));
    assert.deepEqual(moved.state.begun, [200]);
    const missing = collectingSink();
    const response = await http.request({ url: `${server.url}/gone`, bodySink: missing.sink });
    assert.equal(response.status, 404);
    assert.match(await response.text(), /BLOB_UNKNOWN/);
    assert.deepEqual(missing.state.begun, []);
  });

  it('a chunked body (no length) is asked for again through undici and still reaches the sink', async () => {
    const content = randomBytes(200_000);
    const server = await serve((_, response) => {
      response.writeHead(200);
      response.write(content.subarray(0, 1000));
      response.end(content.subarray(1000));
    });
    const { sink, bytes } = collectingSink();
    await http.request({ url: server.url, bodySink: sink });
    assert.ok(bytes().equals(content));
    assert.equal(server.requests.length, 2);
  });

  it('headers split across reads are put together', async () => {
    const server = await rawServer(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-');
      await delay(20);
      socket.write('Length: 5\r\nX-Extra: 1\r\n');
      await delay(20);
      socket.end('\r\nhello');
    });
    const { sink, bytes } = collectingSink();
    await http.request({ url: server.url, bodySink: sink });
    assert.equal(bytes().toString(), 'hello');
  });

  it('a body cut short fails as a reset and is not sent again once bytes went to the sink', async () => {
    const server = await rawServer((socket) => {
      socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(400)}`);
    });
    const { sink, bytes } = collectingSink();
    await assert.rejects(
      http.request({ url: server.url, bodySink: sink }),
      (error: unknown) =>
        error instanceof NetworkError && error.failure === 'reset' && /400 of 1000/.test(error.message),
    );
    assert.equal(bytes().length, 400);
    assert.equal(server.connections(), 1);
  });

  it('a sink that refuses the answer or a write ends the request with its error', async () => {
    const server = await serve((_, response) => response.writeHead(200, { 'content-length': 10 }).end('0123456789'));
    const refusing: BodySink = {
      begin() {
        throw new Error('not this one');
      },
      write: () => undefined,
    };
    await assert.rejects(http.request({ url: server.url, bodySink: refusing }), /not this one/);
    const failing: BodySink = { begin() {}, write: () => Promise.reject(new Error('disk full')) };
    await assert.rejects(http.request({ url: server.url, bodySink: failing }), /disk full/);
  });

  it('garbage instead of HTTP is a clear error', async () => {
    const server = await rawServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    await assert.rejects(
      http.request({ url: server.url, bodySink: collectingSink().sink, retry: false }),
      (error: unknown) => error instanceof NetworkError && /malformed HTTP response/.test(error.message),
    );
  });

  it('through a proxy, undici reads the body into the same sink', async () => {
    const content = randomBytes(500_000);
    const server = await serve((_, response) =>
      response.writeHead(200, { 'content-length': content.length }).end(content),
    );
    const proxy = await startTestProxy();
    after(() => proxy.close());
    const proxied = createHttpClient({ env: { HTTP_PROXY: proxy.url } });
    after(() => proxied.close());
    const port = new URL(server.url).port;
    const { sink, state, bytes } = collectingSink();
    // registry.example resolves nowhere: only the proxy can reach it.
    await proxied.request({ url: `http://registry.example:${port}/blob`, bodySink: sink });
    assert.ok(bytes().equals(content));
    assert.deepEqual(state.begun, [200]);
    assert.deepEqual(proxy.log.forwarded, [`GET registry.example:${port}/blob`]);
  });

  it('over TLS, with the trusted CA checked as for every request', async () => {
    const dir = tempDir();
    const { certFile, keyFile } = makeTestCertificate(dir);
    const content = randomBytes(700_000);
    const port = await listen(
      createHttpsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (_, response) =>
        response.writeHead(200, { 'content-length': content.length }).end(content),
      ),
    );
    const trusting = createHttpClient({ caFiles: [certFile] });
    after(() => trusting.close());
    const { sink, bytes } = collectingSink();
    await trusting.request({ url: `https://127.0.0.1:${port}/`, bodySink: sink });
    assert.ok(bytes().equals(content));
    await assert.rejects(
      http.request({ url: `https://127.0.0.1:${port}/`, bodySink: collectingSink().sink }),
      (error: unknown) => error instanceof NetworkError && error.failure === 'tls-untrusted',
    );
  });
});
