import { open } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { VigilError } from '../../errors/index.ts';
import {
  type BodySource,
  bodySourceStream,
  fileBodySource,
  type HttpRequest,
  type HttpResponse,
} from '../../net/index.ts';
import { sha256Digest } from './digest-verifier.ts';
import type { Reference } from './reference.ts';
import { registryError } from './registry-error.ts';
import type { RegistrySession } from './registry-session.ts';

/** A blob to upload: its bytes in memory, a file or a stream, with the digest and size its descriptor will carry. */
export interface BlobContent {
  readonly digest: string;
  readonly size: number;
  readonly bytes?: Uint8Array;
  readonly file?: string;
  /** Where the blob starts in `file` (a member of a tar, say); default 0. The registry checks the digest. */
  readonly offset?: number;
  /**
   * Opens the blob as a new stream (read from another registry as it uploads, say). It must fail
   * unless exactly the blob's bytes come through; the registry checks the digest too, so a bad
   * source never lands. Each call gives a fresh stream: a stream is sent once, and the blob is
   * opened again only if the registry refuses the upload's credentials and wants another try.
   */
  readonly open?: () => Promise<Readable>;
  /**
   * The blob written on demand into the upload (another registry's blob, say), through reused
   * buffers; preferred over `open`. Each try runs it afresh. It must fail unless exactly the
   * blob's bytes came through, and the registry checks the digest too.
   */
  readonly source?: BodySource;
}

export interface PushBlobOptions {
  /** Upload in PATCH chunks of this many bytes (default: one monolithic PUT). */
  readonly chunkSize?: number;
  /** A repository on the same registry that holds the blob: mounted instead of uploaded when allowed. */
  readonly mountFrom?: string;
  /** The caller has just seen that the repository lacks the blob: no second existence check. */
  readonly knownAbsent?: boolean;
  readonly signal?: AbortSignal;
}

export type PushBlobResult = 'exists' | 'mounted' | 'uploaded';

const OCTET_STREAM = 'application/octet-stream';

function nextLocation(response: HttpResponse, base: string, what: string): string {
  const location = response.header('location');
  if (!location) {
    throw new VigilError('REGISTRY_UPLOAD_INVALID', `${what}: the registry gave no upload location`, {
      hint: 'the registry does not follow the OCI distribution spec',
    });
  }
  return new URL(location, base).href;
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.href;
}

async function readChunk(content: BlobContent, offset: number, length: number): Promise<Uint8Array> {
  if (content.bytes) return content.bytes.subarray(offset, offset + length);
  const handle = await open(content.file as string, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, (content.offset ?? 0) + offset);
    if (bytesRead !== length) {
      throw new VigilError('PUSH_FILE_CHANGED', `${content.file} is shorter than ${content.size} bytes`, {
        hint: 'the file changed while it was being uploaded',
      });
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

/** The stream cut into pieces of `chunkSize` bytes (the last one shorter). */
async function* streamChunks(stream: Readable, chunkSize: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of stream) {
    let rest = piece as Buffer;
    while (pendingBytes + rest.length >= chunkSize) {
      const take = chunkSize - pendingBytes;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending, chunkSize);
      rest = rest.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (rest.length > 0) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

async function* contentChunks(content: BlobContent, chunkSize: number): AsyncGenerator<Uint8Array> {
  if (content.source) {
    const stream = bodySourceStream(content.source);
    try {
      yield* streamChunks(stream, chunkSize);
    } finally {
      stream.destroy();
    }
    return;
  }
  if (!content.open) {
    for (let offset = 0; offset < content.size; offset += chunkSize)
      yield await readChunk(content, offset, Math.min(chunkSize, content.size - offset));
    return;
  }
  const stream = await content.open();
  try {
    yield* streamChunks(stream, chunkSize);
  } finally {
    stream.destroy();
  }
}

/** A stream of the blob opened in the background, for a request that must be built at once. */
function openedLater(openBlob: () => Promise<Readable>): Readable {
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  openBlob().then(
    (stream) => {
      if (body.destroyed) {
        stream.destroy();
        return;
      }
      body.once('close', () => stream.destroy());
      stream.on('error', (error) => body.destroy(error));
      stream.pipe(body);
    },
    (error: unknown) => body.destroy(error as Error),
  );
  return body;
}

type Send = (build: (base: string) => HttpRequest) => Promise<HttpResponse>;

/**
 * Sends a request whose body streams the blob. The first stream is opened before the request (by
 * then the upload session's POST has settled the credentials and token); should the session still
 * try again (another credential, a wider token scope), each later try opens the blob afresh. A
 * source that fails is reported as itself, not as the broken upload it causes.
 */
async function sendStreamed(
  send: Send,
  openBlob: () => Promise<Readable>,
  request: (base: string, body: Readable) => HttpRequest,
): Promise<HttpResponse> {
  const streams: Readable[] = [];
  const failures = new Map<Readable, Error>();
  const watched = (stream: Readable) => {
    streams.push(stream);
    stream.on('error', (error) => {
      if (!failures.has(stream)) failures.set(stream, error);
    });
    return stream;
  };
  // Only the stream of the last try counts: earlier ones were abandoned on purpose.
  const failure = () => failures.get(streams[streams.length - 1] as Readable);
  const first = watched(await openBlob());
  let tries = 0;
  try {
    const response = await send((base) => request(base, tries++ === 0 ? first : watched(openedLater(openBlob))));
    if (response.status !== 201) {
      // A source failing at its end makes the registry refuse the upload; say why.
      await new Promise((resolve) => setImmediate(resolve));
      const failed = failure();
      if (failed) {
        await response.discard();
        throw failed;
      }
    }
    return response;
  } catch (error) {
    throw failure() ?? error;
  } finally {
    for (const stream of streams) stream.destroy();
  }
}

export async function pushBlob(
  session: RegistrySession,
  reference: Reference,
  content: BlobContent,
  options: PushBlobOptions,
  exists: (digest: string) => Promise<boolean>,
): Promise<PushBlobResult> {
  if (!content.bytes && !content.file && !content.open && !content.source)
    throw new VigilError('PUSH_NO_CONTENT', `blob ${content.digest}: no bytes, file or stream`);
  if (content.bytes && (content.bytes.length !== content.size || sha256Digest(content.bytes) !== content.digest)) {
    throw new VigilError('PUSH_DIGEST_MISMATCH', `blob ${content.digest}: the bytes do not match their digest or size`);
  }
  if (!options.knownAbsent && (await exists(content.digest))) return 'exists';
  const what = `upload of ${content.digest} to ${reference.registry}/${reference.repository}`;
  const endpoint = await session.endpoint(reference.registry);
  const base = endpoint.base;
  const mountFrom = options.mountFrom && options.mountFrom !== reference.repository ? options.mountFrom : undefined;
  const extraScopes = mountFrom ? [`repository:${mountFrom}:pull`] : [];
  const send: Send = (build) => session.send(reference, { actions: ['pull', 'push'], extraScopes }, build);
  const start = mountFrom
    ? `${base}/v2/${reference.repository}/blobs/uploads/?mount=${encodeURIComponent(content.digest)}&from=${encodeURIComponent(mountFrom)}`
    : `${base}/v2/${reference.repository}/blobs/uploads/`;
  const opened = await send(() => ({
    url: start,
    method: 'POST',
    headers: { 'content-length': '0' },
    signal: options.signal,
  }));
  if (opened.status === 201 && mountFrom) {
    await opened.discard();
    return 'mounted';
  }
  if (opened.status !== 202) throw await registryError(opened, what);
  await opened.discard();
  let location = nextLocation(opened, base, what);

  const chunkSize = options.chunkSize && options.chunkSize > 0 ? options.chunkSize : undefined;
  if (!chunkSize || content.size <= chunkSize) {
    const target = withDigest(location, content.digest);
    const put = (body: Pick<HttpRequest, 'body' | 'bodySource'>): HttpRequest => ({
      url: target,
      method: 'PUT',
      headers: { 'content-type': OCTET_STREAM, 'content-length': String(content.size) },
      ...body,
      signal: options.signal,
    });
    // A file is read into reused buffers; an in-memory blob can be sent again on any retry.
    const source =
      content.source ??
      (content.file !== undefined && !content.bytes
        ? fileBodySource(content.file, content.offset ?? 0, content.size)
        : undefined);
    const response = content.bytes
      ? await send(() => put({ body: content.bytes }))
      : source
        ? await send(() => put({ bodySource: source }))
        : await sendStreamed(send, content.open as () => Promise<Readable>, (_, body) => put({ body }));
    if (response.status !== 201) throw await registryError(response, what);
    await response.discard();
    return 'uploaded';
  }
  let offset = 0;
  for await (const chunk of contentChunks(content, chunkSize)) {
    const target = location;
    const range = `${offset}-${offset + chunk.length - 1}`;
    const response = await send(() => ({
      url: target,
      method: 'PATCH',
      headers: { 'content-type': OCTET_STREAM, 'content-length': String(chunk.length), 'content-range': range },
      body: chunk,
      signal: options.signal,
    }));
    if (response.status !== 202) throw await registryError(response, what);
    await response.discard();
    location = nextLocation(response, base, what);
    offset += chunk.length;
  }
  if (offset !== content.size) {
    throw new VigilError('PUSH_SIZE_MISMATCH', `${what}: ${offset} bytes were read, not ${content.size}`, {
      hint: 'the source changed while it was being uploaded',
    });
  }
  const finish = withDigest(location, content.digest);
  const done = await send(() => ({
    url: finish,
    method: 'PUT',
    headers: { 'content-length': '0' },
    signal: options.signal,
  }));
  if (done.status !== 201) throw await registryError(done, what);
  await done.discard();
  return 'uploaded';
}

export async function pushManifest(
  session: RegistrySession,
  reference: Reference,
  bytes: Buffer,
  mediaType: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const digest = sha256Digest(bytes);
  const identifier = reference.tag ?? reference.digest ?? digest;
  if (reference.digest && !reference.tag && reference.digest !== digest) {
    throw new VigilError('PUSH_DIGEST_MISMATCH', `manifest bytes have digest ${digest}, not ${reference.digest}`);
  }
  const response = await session.send(reference, { actions: ['pull', 'push'] }, (base) => ({
    url: `${base}/v2/${reference.repository}/manifests/${identifier}`,
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body: bytes,
    signal,
  }));
  if (response.status !== 201)
    throw await registryError(response, `manifest push to ${reference.registry}/${reference.repository}:${identifier}`);
  await response.discard();
  const announced = response.header('docker-content-digest');
  if (announced && announced !== digest) {
    throw new VigilError(
      'PUSH_DIGEST_MISMATCH',
      `the registry stored the manifest as ${announced}, expected ${digest}`,
      {
        hint: 'the registry rewrote the manifest; it is not content-addressable as sent',
      },
    );
  }
  return digest;
}
