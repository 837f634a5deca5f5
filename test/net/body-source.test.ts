import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { VigilError } from '../../src/errors/index.ts';
import { type BodySource, createHttpClient, fileBodySource, NetworkError } from '../../src/net/index.ts';
import { makeTestCertificate } from '../helpers/registry-certs.ts';
import { startTestProxy } from '../helpers/registry-proxy.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Request bodies written by a source (HttpRequest.bodySource): sent directly through reused
// buffers, or through undici when a proxy is in the way. Real HTTP servers on loopback.
const servers: Array<Server | NetServer> = [];
after(async () => {
  for (const server of servers) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server | NetServer): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Received {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** A server that reads each request whole and answers 201 with the body's sha256 as text. */
async function echoDigestServer(server: Server = createHttpServer()) {
  const received: Received[] = [];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts);
      received.push({ method: request.method ?? '', headers: request.headers, body });
      response.writeHead(201, { 'content-type': 'text/plain' }).end(createHash('sha256').update(body).digest('hex'));
    });
  });
  return { port: await listen(server), received };
}

/** A source writing `content` in uneven pieces from one reused buffer, waiting when asked. */
function memorySource(
  content: Buffer,
  options: { length?: number; failAfter?: number } = {},
): BodySource & {
  tries: number;
} {
  const source = {
    tries: 0,
    length: options.length ?? content.length,
    async writeTo(target: Parameters<BodySource['writeTo']>[0]) {
      source.tries++;
      const scratch = Buffer.alloc(100_003);
      for (let offset = 0; offset < content.length; offset += scratch.length) {
        if (options.failAfter !== undefined && offset >= options.failAfter) {
          throw new VigilError('SOURCE_BROKE', 'the source broke on purpose');
        }
        const piece = content.subarray(offset, offset + scratch.length);
        piece.copy(scratch);
        const waiting = target.write(scratch.subarray(0, piece.length));
        // The buffer is reused at once: the request must have copied what it needs.
        scratch.fill(0);
        await waiting;
      }
    },
  };
  return source;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const http = createHttpClient({ retry: { attempts: 3, baseDelayMs: 1 } });
after(() => http.close());

describe('http client: bodies written by a source', () => {
  it('sends the exact bytes with their Content-Length, though the source reuses its buffer', async () => {
    const server = await echoDigestServer();
    const content = randomBytes(3 * 2 ** 20 + 11);
    const source = memorySource(content);
    const response = await http.request({
      url: `http://127.0.0.1:${server.port}/upload?x=1`,
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      bodySource: source,
    });
    assert.equal(response.status, 201);
    assert.equal(await response.text(), sha256(content));
    const [seen] = server.received;
    assert.equal(seen?.method, 'PUT');
    assert.equal(seen?.headers['content-length'], String(content.length));
    assert.equal(seen?.headers['content-type'], 'application/octet-stream');
    assert.match(String(seen?.headers['user-agent']), /^vigil\//);
  });

  it('sends a file range from its offset (a bundle member), over TLS too', async () => {
    const certificate = makeTestCertificate(tempDir());
    const server = await echoDigestServer(
      createHttpsServer({ key: readFileSync(certificate.keyFile), cert: readFileSync(certificate.certFile) }),
    );
    const file = join(tempDir(), 'bundle.tar');
    const content = randomBytes(600_000);
    writeFileSync(file, content);
    const tls = createHttpClient({ caFiles: [certificate.certFile] });
    after(() => tls.close());
    const response = await tls.request({
      url: `https://localhost:${server.port}/blob`,
      method: 'PUT',
      bodySource: fileBodySource(file, 1234, 500_000),
    });
    assert.equal(response.status, 201);
    assert.equal(await response.text(), sha256(content.subarray(1234, 1234 + 500_000)));
  });

  it('fails with the source error when the source breaks, and the server never gets the whole body', async () => {
    const server = await echoDigestServer();
    const content = randomBytes(2 ** 20);
    await assert.rejects(
      http.request({
        url: `http://127.0.0.1:${server.port}/`,
        method: 'PUT',
        bodySource: memorySource(content, { failAfter: 300_000 }),
      }),
      (error: unknown) => error instanceof VigilError && error.code === 'SOURCE_BROKE',
    );
    await delay(20);
    assert.equal(server.received.length, 0, 'no complete request reached the server');
  });

  it('refuses a source that writes fewer or more bytes than its length, and does not retry it', async () => {
    const server = await echoDigestServer();
    const content = randomBytes(200_000);
    const short = memorySource(content, { length: content.length + 1 });
    await assert.rejects(
      http.request({ url: `http://127.0.0.1:${server.port}/`, method: 'PUT', bodySource: short }),
      (error: unknown) => error instanceof VigilError && error.code === 'NET_BODY_TOO_SHORT',
    );
    assert.equal(short.tries, 1);
    await assert.rejects(
      http.request({
        url: `http://127.0.0.1:${server.port}/`,
        method: 'PUT',
        bodySource: memorySource(content, { length: content.length - 1 }),
      }),
      (error: unknown) => error instanceof VigilError && error.code === 'NET_BODY_TOO_LONG',
    );
  });

  it('returns an answer sent before the body ended (a refusal) and stops the source', async () => {
    // A server that refuses at once yet keeps reading, as a registry refusing an upload may.
    const server = createNetServer((socket) => {
      socket.once('data', () =>
        socket.write(
          'HTTP/1.1 413 Payload Too Large\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
            '3a\r\n{"errors":[{"code":"SIZE_INVALID","message":"too large"}]}\r\n0\r\n\r\n',
        ),
      );
      socket.on('error', () => undefined);
    });
    const port = await listen(server);
    let stopped: AbortSignal | undefined;
    const endless: BodySource = {
      length: 1 << 30,
      async writeTo(target, signal) {
        stopped = signal;
        const piece = Buffer.alloc(64 * 1024);
        while (!signal.aborted) await target.write(piece);
      },
    };
    const response = await http.request({ url: `http://127.0.0.1:${port}/`, method: 'PUT', bodySource: endless });
    assert.equal(response.status, 413);
    assert.deepEqual(await response.json(), { errors: [{ code: 'SIZE_INVALID', message: 'too large' }] });
    assert.equal(stopped?.aborted, true, 'the source was told to stop');
  });

  it('fails with a network error when the server goes away mid-body', async () => {
    const server = createHttpServer((request) => {
      request.once('data', () => request.socket.destroy());
    });
    const port = await listen(server);
    await assert.rejects(
      http.request({
        url: `http://127.0.0.1:${port}/`,
        method: 'PUT',
        bodySource: memorySource(randomBytes(8 * 2 ** 20)),
      }),
      (error: unknown) => error instanceof NetworkError,
    );
  });

  it('goes through a proxy as a stream, with the same bytes', async () => {
    const server = await echoDigestServer();
    const proxy = await startTestProxy();
    after(() => proxy.close());
    const proxied = createHttpClient({ env: { HTTP_PROXY: proxy.url } });
    after(() => proxied.close());
    const content = randomBytes(2 * 2 ** 20 + 3);
    // registry.example resolves nowhere: only the proxy can reach it.
    const response = await proxied.request({
      url: `http://registry.example:${server.port}/via-proxy`,
      method: 'PUT',
      bodySource: memorySource(content),
    });
    assert.equal(response.status, 201);
    assert.equal(await response.text(), sha256(content));
    assert.deepEqual(proxy.log.forwarded, [`PUT registry.example:${server.port}/via-proxy`]);
  });
});
