import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createHttpClient, type HttpClient, NetworkError, type NetworkPolicy } from '../../src/net/index.ts';
import { PRODUCT_VERSION } from '../../src/product/index.ts';
import { makeTestCertificate } from '../helpers/registry-certs.ts';
import { startTestProxy } from '../helpers/registry-proxy.ts';
import { tempDir } from '../helpers/temp-dir.ts';

type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

interface TestServer {
  readonly url: string;
  readonly port: number;
  connections: number;
  readonly requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: Buffer }>;
}

const servers: Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Handler, tls?: { cert: string; key: string }): Promise<TestServer> {
  const record: TestServer = { url: '', port: 0, connections: 0, requests: [] };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      record.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  };
  const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  server.on(tls ? 'secureConnection' : 'connection', () => {
    record.connections++;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return Object.assign(record, { port: address.port, url: `${tls ? 'https' : 'http'}://127.0.0.1:${address.port}` });
}

function client(policy: NetworkPolicy = {}): HttpClient & { sleeps: number[] } {
  const sleeps: number[] = [];
  const http = createHttpClient({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...policy,
  });
  after(() => http.close());
  return Object.assign(http, { sleeps });
}

describe('http client: basics', () => {
  it('sends the vigil user agent and returns status, headers and body', async () => {
    const server = await serve((_, response) => response.writeHead(200, { 'x-answer': '42' }).end('hello'));
    const response = await client().request({ url: `${server.url}/path?q=1` });
    assert.equal(response.status, 200);
    assert.equal(response.header('X-Answer'), '42');
    assert.equal(await response.text(), 'hello');
    assert.equal(server.requests[0]?.headers['user-agent'], `vigil/${PRODUCT_VERSION}`);
    assert.equal(server.requests[0]?.path, '/path?q=1');
  });

  it('refuses a body larger than the limit the caller reads with', async () => {
    const server = await serve((_, response) => response.writeHead(200).end(Buffer.alloc(4096)));
    const response = await client().request({ url: server.url });
    await assert.rejects(
      response.bytes(1000),
      (error: unknown) => (error as NetworkError).code === 'HTTP_BODY_TOO_LARGE',
    );
  });
});

describe('http client: retries', () => {
  it('retries 429 and 503 with exponential backoff, then succeeds', async () => {
    let calls = 0;
    const server = await serve((_, response) => {
      calls++;
      if (calls === 1) response.writeHead(429).end('slow down');
      else if (calls === 2) response.writeHead(503).end();
      else response.writeHead(200).end('ok');
    });
    const http = client();
    const response = await http.request({ url: server.url });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'ok');
    assert.equal(calls, 3);
    // random() = 0.5 puts the jitter at zero: 1 s, then 3 s.
    assert.deepEqual(http.sleeps, [1000, 3000]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    let calls = 0;
    const now = Date.parse('2026-01-01T00:00:00Z');
    const server = await serve((_, response) => {
      calls++;
      if (calls === 1) response.writeHead(429, { 'retry-after': '7' }).end();
      else if (calls === 2) response.writeHead(503, { 'retry-after': new Date(now + 12_000).toUTCString() }).end();
      else response.writeHead(200).end();
    });
    const http = client({ now: () => now });
    assert.equal((await http.request({ url: server.url })).status, 200);
    assert.deepEqual(http.sleeps, [7000, 12_000]);
  });

  it('does not wait for a Retry-After beyond the limit and returns the response', async () => {
    const server = await serve((_, response) => response.writeHead(429, { 'retry-after': '3600' }).end());
    const http = client();
    const response = await http.request({ url: server.url });
    assert.equal(response.status, 429);
    assert.deepEqual(http.sleeps, []);
    assert.equal(server.requests.length, 1);
  });

  it('gives up after the configured attempts and returns the last response', async () => {
    const server = await serve((_, response) => response.writeHead(502).end());
    const http = client({ retry: { attempts: 3 } });
    assert.equal((await http.request({ url: server.url })).status, 502);
    assert.equal(server.requests.length, 3);
  });

  it('retries replayable bodies but sends a stream body once', async () => {
    const server = await serve((_, response) => response.writeHead(500).end());
    const http = client({ retry: { attempts: 2 } });
    await http.request({ url: server.url, method: 'PUT', body: 'replayable' });
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1]?.body.toString(), 'replayable');
    await http.request({ url: server.url, method: 'PUT', body: Readable.from([Buffer.from('once')]) });
    assert.equal(server.requests.length, 3);
  });

  it('retries a connection reset', async () => {
    let calls = 0;
    const server = await serve((request, response) => {
      calls++;
      if (calls === 1) (request.socket as Socket).destroy();
      else response.writeHead(200).end('after reset');
    });
    const http = client();
    const response = await http.request({ url: server.url });
    assert.equal(await response.text(), 'after reset');
    assert.equal(http.sleeps.length, 1);
  });
});

describe('http client: redirects', () => {
  it('keeps credentials on the same origin and drops them for another host', async () => {
    const storage = await serve((_, response) => response.writeHead(200).end('blob'));
    const registry = await serve((request, response) => {
      if (request.url === '/first') response.writeHead(307, { location: '/second' }).end();
      else response.writeHead(302, { location: `http://localhost:${storage.port}/blob?sig=abc` }).end();
    });
    const response = await client().request({
      url: `${registry.url}/first`,
      headers: { Authorization: 'Bearer secret' },
    });
    assert.equal(await response.text(), 'blob');
    assert.equal(response.url, `http://localhost:${storage.port}/blob?sig=abc`);
    assert.equal(registry.requests[1]?.headers.authorization, 'Bearer secret');
    assert.equal(storage.requests[0]?.headers.authorization, undefined);
  });

  it('returns the redirect itself when asked not to follow', async () => {
    const server = await serve((_, response) => response.writeHead(302, { location: '/elsewhere' }).end());
    const response = await client().request({ url: server.url, followRedirects: false });
    assert.equal(response.status, 302);
    assert.equal(response.header('location'), '/elsewhere');
  });
});

describe('http client: offline and failures', () => {
  it('--offline fails loudly before any connection is opened', async () => {
    const server = await serve((_, response) => response.writeHead(200).end());
    const http = client({ offline: true });
    await assert.rejects(
      http.request({ url: server.url }),
      (error: unknown) =>
        error instanceof NetworkError && error.code === 'NET_OFFLINE' && /--offline/.test(error.message),
    );
    assert.equal(server.connections, 0);
  });

  it('names a refused connection, an unknown host and a timeout', async () => {
    const closed = await serve(() => undefined);
    const port = closed.port;
    const server = servers.at(-1) as Server;
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(
      client().request({ url: `http://127.0.0.1:${port}/` }),
      (error: unknown) => error instanceof NetworkError && error.failure === 'refused' && /refused/.test(error.message),
    );
    await assert.rejects(
      client().request({ url: 'http://registry.example/' }),
      (error: unknown) =>
        error instanceof NetworkError && error.failure === 'dns' && /registry\.example/.test(error.message),
    );
    const silent = await serve(() => undefined);
    await assert.rejects(
      client({ idleTimeoutMs: 200 }).request({ url: silent.url }),
      (error: unknown) => error instanceof NetworkError && error.failure === 'timeout',
    );
  });

  it('stops at the command signal', async () => {
    const silent = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped by test')), 100);
    await assert.rejects(client({ signal: controller.signal }).request({ url: silent.url }), /stopped by test/);
  });
});

describe('http client: TLS trust', () => {
  const dir = tempDir();
  const { certFile, keyFile } = makeTestCertificate(dir);
  const tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };

  it('rejects an untrusted certificate with a --cacert hint', async () => {
    const server = await serve((_, response) => response.writeHead(200).end('secure'), tls);
    await assert.rejects(
      client().request({ url: server.url }),
      (error: unknown) =>
        error instanceof NetworkError && error.failure === 'tls-untrusted' && /--cacert/.test(error.hint ?? ''),
    );
  });

  it('trusts --cacert, SSL_CERT_FILE and NODE_EXTRA_CA_CERTS, and --insecure skips the check', async () => {
    const server = await serve((_, response) => response.writeHead(200).end('secure'), tls);
    for (const policy of [
      { caFiles: [certFile] },
      { env: { SSL_CERT_FILE: certFile } },
      { env: { NODE_EXTRA_CA_CERTS: certFile } },
      { insecure: true },
    ]) {
      const response = await client(policy).request({ url: server.url });
      assert.equal(await response.text(), 'secure', JSON.stringify(policy));
    }
  });

  it('names a --cacert file that is missing or holds no certificate', async () => {
    const server = await serve((_, response) => response.writeHead(200).end(), tls);
    await assert.rejects(
      client({ caFiles: [`${dir}/missing.pem`] }).request({ url: server.url }),
      (error: unknown) =>
        (error as NetworkError).code === 'CA_FILE_INVALID' && /no such file/.test((error as Error).message),
    );
    await assert.rejects(
      client({ caFiles: [keyFile] }).request({ url: server.url }),
      (error: unknown) => (error as NetworkError).code === 'CA_FILE_INVALID',
    );
  });
});

describe('http client: TLS probe (speaksTls)', () => {
  const dir = tempDir();
  const { certFile, keyFile } = makeTestCertificate(dir);
  const tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  const probe = (http: HttpClient, url: string) => {
    if (!http.speaksTls) throw new Error('the client has no TLS probe');
    return http.speaksTls(new URL(url));
  };

  it('says false for a plain HTTP server and true for a TLS one (certificate unchecked), sending no request', async () => {
    const plain = await serve((_, response) => response.writeHead(200).end());
    const secure = await serve((_, response) => response.writeHead(200).end(), tls);
    const http = client();
    assert.equal(await probe(http, `https://127.0.0.1:${plain.port}`), false);
    assert.equal(await probe(http, `https://127.0.0.1:${secure.port}`), true);
    assert.deepEqual([...plain.requests, ...secure.requests], []);
    // The probe trusted nothing: a real request still checks the certificate.
    await assert.rejects(
      http.request({ url: secure.url }),
      (error: unknown) => error instanceof NetworkError && error.failure === 'tls-untrusted',
    );
  });

  it('cannot tell when nothing answers or a proxy is in the way, and --offline refuses it', async () => {
    const gone = await serve((_, response) => response.writeHead(200).end());
    const server = servers.at(-1);
    await new Promise((resolve) => server?.close(resolve));
    assert.equal(await probe(client(), `https://127.0.0.1:${gone.port}`), undefined);
    const proxied = client({ env: { HTTPS_PROXY: 'http://127.0.0.1:9' } });
    assert.equal(await probe(proxied, 'https://registry.example:5000'), undefined);
    await assert.rejects(
      probe(client({ offline: true }), `https://127.0.0.1:${gone.port}`),
      (error: unknown) => error instanceof NetworkError && error.code === 'NET_OFFLINE',
    );
  });
});

describe('http client: proxies', () => {
  it('sends http through HTTP_PROXY and https through an HTTPS_PROXY tunnel', async () => {
    const dir = tempDir();
    const { certFile, keyFile } = makeTestCertificate(dir);
    const plain = await serve((_, response) => response.writeHead(200).end('plain'));
    const secure = await serve((_, response) => response.writeHead(200).end('secure'), {
      cert: readFileSync(certFile, 'utf8'),
      key: readFileSync(keyFile, 'utf8'),
    });
    const proxy = await startTestProxy();
    after(() => proxy.close());
    // registry.example resolves nowhere: only the proxy can reach it.
    const http = client({ env: { http_proxy: proxy.url, HTTPS_PROXY: proxy.url }, caFiles: [certFile] });
    assert.equal(await (await http.request({ url: `http://registry.example:${plain.port}/a` })).text(), 'plain');
    assert.equal(await (await http.request({ url: `https://registry.example:${secure.port}/b` })).text(), 'secure');
    assert.deepEqual(proxy.log.forwarded, [`GET registry.example:${plain.port}/a`]);
    assert.deepEqual(proxy.log.tunnels, [`registry.example:${secure.port}`]);
  });

  it('bypasses the proxy for NO_PROXY hosts and loopback addresses', async () => {
    const server = await serve((_, response) => response.writeHead(200).end('direct'));
    const proxy = await startTestProxy();
    after(() => proxy.close());
    const http = client({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '.example,other.test' } });
    assert.equal(await (await http.request({ url: server.url })).text(), 'direct');
    await assert.rejects(
      http.request({ url: `http://registry.example:${server.port}/` }),
      (error: unknown) => error instanceof NetworkError && error.failure === 'dns',
    );
    assert.deepEqual(proxy.log.forwarded, []);
    assert.deepEqual(proxy.log.tunnels, []);
  });
});
