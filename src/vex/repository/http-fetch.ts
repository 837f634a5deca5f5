import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeError, VigilError } from '../../errors/index.ts';
import type { HttpClient, HttpResponse } from '../../net/types.ts';

/** GET requests for VEX repositories: auth headers, conditional requests and bounded bodies. */
export interface Credentials {
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
}

/** Bearer when there is a token, else Basic when there is a username; nothing otherwise. */
export function authorizationHeader(credentials: Credentials): string | undefined {
  if (credentials.token) return `Bearer ${credentials.token}`;
  if (credentials.username) {
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`;
  }
  return undefined;
}

export interface ConditionalGet {
  readonly url: string;
  readonly etag?: string;
  readonly authorization?: string;
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

/** A 200 response, or `notModified` for a 304; any other status is a VigilError naming the URL. */
export async function conditionalGet(
  http: HttpClient,
  request: ConditionalGet,
): Promise<{ notModified: true } | { notModified: false; response: HttpResponse }> {
  const headers: Record<string, string> = {};
  if (request.etag) headers['If-None-Match'] = request.etag;
  if (request.authorization) headers.Authorization = request.authorization;
  if (request.accept) headers.Accept = request.accept;
  const response = await http.request({ url: request.url, method: 'GET', headers, signal: request.signal });
  if (response.status === 304) {
    await response.discard();
    return { notModified: true };
  }
  if (response.status !== 200) {
    await response.discard();
    throw httpStatusError(request.url, response.status);
  }
  return { notModified: false, response };
}

export function httpStatusError(url: string, status: number): VigilError {
  const hint =
    status === 401 || status === 403
      ? 'check username, password or token for this repository in $VIGIL_HOME/vex/repository.yaml'
      : status === 404
        ? 'check the repository URL in $VIGIL_HOME/vex/repository.yaml'
        : 'try again later';
  return new VigilError('VEX_REPO_HTTP', `GET ${redact(url)} answered HTTP ${status}`, { hint });
}

/** The body as text, refusing more than `limit` bytes. */
export async function readLimitedText(body: Readable, limit: number, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      body.destroy();
      throw new VigilError('VEX_REPO_HTTP', `GET ${redact(url)}: the response is over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Streams the body into `path`, refusing more than `limit` bytes (the file is left for the caller to remove). */
export async function downloadToFile(body: Readable, path: string, limit: number, url: string): Promise<number> {
  let total = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limit)
        callback(new VigilError('VEX_REPO_HTTP', `GET ${redact(url)}: the archive is over ${limit} bytes`));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    if (error instanceof VigilError) throw error;
    throw new VigilError('VEX_REPO_HTTP', `GET ${redact(url)}: download interrupted: ${describeError(error)}`, {
      hint: 'try again; the cached copy is unchanged',
    });
  }
  return total;
}

/** A URL without user info, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
