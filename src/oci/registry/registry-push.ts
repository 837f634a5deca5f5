import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { VigilError } from '../../errors/index.ts';
import type { HttpResponse } from '../../net/index.ts';
import { sha256Digest } from './digest-verifier.ts';
import type { Reference } from './reference.ts';
import { registryError } from './registry-error.ts';
import type { RegistrySession } from './registry-session.ts';

/** A blob to upload: its bytes in memory or a file, with the digest and size its descriptor will carry. */
export interface BlobContent {
  readonly digest: string;
  readonly size: number;
  readonly bytes?: Uint8Array;
  readonly file?: string;
}

export interface PushBlobOptions {
  /** Upload in PATCH chunks of this many bytes (default: one monolithic PUT). */
  readonly chunkSize?: number;
  /** A repository on the same registry that holds the blob: mounted instead of uploaded when allowed. */
  readonly mountFrom?: string;
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
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
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

export async function pushBlob(
  session: RegistrySession,
  reference: Reference,
  content: BlobContent,
  options: PushBlobOptions,
  exists: (digest: string) => Promise<boolean>,
): Promise<PushBlobResult> {
  if (!content.bytes && !content.file)
    throw new VigilError('PUSH_NO_CONTENT', `blob ${content.digest}: no bytes or file`);
  if (content.bytes && (content.bytes.length !== content.size || sha256Digest(content.bytes) !== content.digest)) {
    throw new VigilError('PUSH_DIGEST_MISMATCH', `blob ${content.digest}: the bytes do not match their digest or size`);
  }
  if (await exists(content.digest)) return 'exists';
  const what = `upload of ${content.digest} to ${reference.registry}/${reference.repository}`;
  const endpoint = await session.endpoint(reference.registry);
  const base = endpoint.base;
  const mountFrom = options.mountFrom && options.mountFrom !== reference.repository ? options.mountFrom : undefined;
  const extraScopes = mountFrom ? [`repository:${mountFrom}:pull`] : [];
  const send = (build: Parameters<RegistrySession['send']>[2]) =>
    session.send(reference, { actions: ['pull', 'push'], extraScopes }, build);
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
    const response = await send(() => ({
      url: target,
      method: 'PUT',
      headers: { 'content-type': OCTET_STREAM, 'content-length': String(content.size) },
      body: content.bytes ?? createReadStream(content.file as string),
      signal: options.signal,
    }));
    if (response.status !== 201) throw await registryError(response, what);
    await response.discard();
    return 'uploaded';
  }
  for (let offset = 0; offset < content.size; offset += chunkSize) {
    const length = Math.min(chunkSize, content.size - offset);
    const chunk = await readChunk(content, offset, length);
    const target = location;
    const response = await send(() => ({
      url: target,
      method: 'PATCH',
      headers: {
        'content-type': OCTET_STREAM,
        'content-length': String(length),
        'content-range': `${offset}-${offset + length - 1}`,
      },
      body: chunk,
      signal: options.signal,
    }));
    if (response.status !== 202) throw await registryError(response, what);
    await response.discard();
    location = nextLocation(response, base, what);
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
