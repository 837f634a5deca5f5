import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, type KeyObject, randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';

/** One request the token server answered, for assertions on scopes and grant types. */
export interface TokenRequest {
  readonly method: string;
  readonly user: string;
  readonly grant: 'basic' | 'anonymous' | 'refresh_token' | 'password';
  readonly scopes: string[];
  readonly status: number;
}

export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** The certificate the registry trusts (its rootcertbundle). */
  readonly certFile: string;
  readonly requests: TokenRequest[];
  close(): Promise<void>;
}

export interface TokenServerOptions {
  readonly dir: string;
  /** user → password, for Basic and password grants. */
  readonly users: Readonly<Record<string, string>>;
  /** refresh token → user, for identity tokens (grant_type=refresh_token). */
  readonly refreshTokens?: Readonly<Record<string, string>>;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** libtrust's key ID: sha256 of the DER public key, first 240 bits, base32, 12 groups of 4 joined by ':'. */
export function libtrustKeyId(publicKey: KeyObject): string {
  const digest = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest()
    .subarray(0, 30);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return (out.match(/.{4}/g) ?? []).join(':');
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A distribution token server for tests: RS256 JWTs whose header `kid` is the libtrust key ID of
 * a key the registry trusts. Authenticated users get the actions they ask for; anonymous callers
 * get pull only. Answers the GET form (optional Basic) and the OAuth2 POST form.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const keyFile = join(options.dir, 'signing.key');
  const certFile = join(options.dir, 'signing.crt');
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
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=vigil-test-issuer',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(readFileSync(keyFile));
  const kid = libtrustKeyId(new X509Certificate(readFileSync(certFile)).publicKey);
  const service = 'vigil-test-registry';
  const issuer = 'vigil-test-issuer';
  const requests: TokenRequest[] = [];

  const issue = (user: string, scopes: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.flatMap((scope) => {
      const match = /^([^:]+):(.+):([^:]+)$/.exec(scope);
      if (!match) return [];
      const wanted = (match[3] as string).split(',');
      return [{ type: match[1], name: match[2], actions: user ? wanted : wanted.filter((a) => a === 'pull') }];
    });
    const header = { typ: 'JWT', alg: 'RS256', kid };
    const claims = {
      iss: issuer,
      sub: user,
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`;
  };

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    if (url.pathname !== '/token') {
      response.writeHead(404).end();
      return;
    }
    const deny = (record: Omit<TokenRequest, 'status'>) => {
      requests.push({ ...record, status: 401 });
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    };
    let user = '';
    let grant: TokenRequest['grant'] = 'anonymous';
    let scopes = url.searchParams.getAll('scope');
    if (request.method === 'POST') {
      const form = new URLSearchParams(await readBody(request));
      scopes = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
      grant = form.get('grant_type') === 'password' ? 'password' : 'refresh_token';
      if (grant === 'refresh_token') user = options.refreshTokens?.[form.get('refresh_token') ?? ''] ?? '';
      else if (options.users[form.get('username') ?? ''] === form.get('password')) user = form.get('username') ?? '';
      if (!user) return deny({ method: 'POST', user: '', grant, scopes });
    } else {
      const authorization = request.headers.authorization ?? '';
      if (authorization.startsWith('Basic ')) {
        grant = 'basic';
        const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const name = decoded.slice(0, colon);
        if (options.users[name] !== decoded.slice(colon + 1)) return deny({ method: 'GET', user: name, grant, scopes });
        user = name;
      }
    }
    requests.push({ method: request.method ?? '', user, grant, scopes, status: 200 });
    const token = issue(user, scopes);
    const body: Record<string, unknown> = { access_token: token, expires_in: 300, issued_at: new Date().toISOString() };
    // Half the grants answer with `token`, half with `access_token` only, so clients must read both.
    if (grant !== 'refresh_token') body.token = token;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('token server did not bind');
  return {
    realm: `http://127.0.0.1:${address.port}/token`,
    service,
    issuer,
    certFile,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
