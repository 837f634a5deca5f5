import type { Readable } from 'node:stream';
import { VigilError } from '../../errors/index.ts';
import { type Logger, silentLogger } from '../../log/index.ts';
import { type BodySink, type BodySource, type HttpClient, noProgress, type TransferProgress } from '../../net/index.ts';
import type { Descriptor, ImageIndex, ImageManifest, Platform } from '../image/index.ts';
import { selectPlatform } from '../image/index.ts';
import { openBlobFileSink, openBlobStreamSink, verifyingSink } from './blob-download.ts';
import { type CredentialProvider, staticCredentials } from './credentials.ts';
import { assertSha256Digest, digestMismatch, sha256Digest } from './digest-verifier.ts';
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, parseManifestDocument } from './manifest-document.ts';
import { formatReference, isDockerHub, manifestIdentifier, type Reference } from './reference.ts';
import { registryError } from './registry-error.ts';
import {
  type BlobContent,
  type PushBlobOptions,
  type PushBlobResult,
  pushBlob,
  pushManifest,
} from './registry-push.ts';
import { RegistrySession } from './registry-session.ts';

export interface RegistryClientOptions {
  readonly http: HttpClient;
  /** Default: anonymous only. */
  readonly credentials?: CredentialProvider;
  /** `registry.mirrors`: host → mirror hosts tried, in order, before the host itself (pulls only). */
  readonly mirrors?: Readonly<Record<string, readonly string[]>>;
  /** Allow plain HTTP to any registry (--insecure); loopback registries always may. */
  readonly insecure?: boolean;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** A manifest or index as fetched: `reference` names where it came from (a mirror, when one answered). */
export interface FetchedManifest {
  readonly reference: Reference;
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly manifest?: ImageManifest;
  readonly index?: ImageIndex;
}

export interface ManifestHead {
  readonly reference: Reference;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

export interface BlobReadOptions {
  readonly signal?: AbortSignal;
  readonly progress?: TransferProgress;
}

/**
 * A client for the OCI distribution API: manifests and indexes (size-bounded, digest-checked),
 * blobs streamed with size and sha256 verified, and push. One client keeps one session, so each
 * registry is pinged once and tokens are reused.
 */
export class RegistryClient {
  readonly #session: RegistrySession;
  readonly #mirrors: Readonly<Record<string, readonly string[]>>;
  readonly #logger: Logger;

  constructor(options: RegistryClientOptions) {
    this.#logger = options.logger ?? silentLogger;
    this.#mirrors = options.mirrors ?? {};
    this.#session = new RegistrySession({
      http: options.http,
      credentials: options.credentials ?? staticCredentials([]),
      insecure: options.insecure,
      logger: this.#logger,
      now: options.now,
    });
  }

  /** The hosts to try for a pull: configured mirrors first, then the registry itself. */
  pullHosts(registry: string): string[] {
    const keys = isDockerHub(registry) ? ['docker.io', 'index.docker.io', 'registry-1.docker.io'] : [registry];
    const mirrors = keys.flatMap((key) => this.#mirrors[key] ?? []);
    return [...new Set([...mirrors, registry])];
  }

  async #viaMirrors<T>(reference: Reference, attempt: (at: Reference) => Promise<T>): Promise<T> {
    const hosts = this.pullHosts(reference.registry);
    for (const [position, host] of hosts.entries()) {
      const at = { ...reference, registry: host };
      try {
        return await attempt(at);
      } catch (error) {
        if (position === hosts.length - 1 || isAbort(error)) throw error;
        this.#logger.warn(
          `mirror ${host} failed for ${formatReference(reference)}: ${(error as Error).message}; trying the next`,
        );
      }
    }
    throw new VigilError('REGISTRY_NO_HOST', `no host to pull ${formatReference(reference)} from`);
  }

  /** GET a manifest or index, trying mirrors first. Fetched by digest, the content must match it. */
  getManifest(reference: Reference, options: { signal?: AbortSignal } = {}): Promise<FetchedManifest> {
    return this.#viaMirrors(reference, (at) => this.#getManifestAt(at, options.signal));
  }

  async #getManifestAt(reference: Reference, signal: AbortSignal | undefined): Promise<FetchedManifest> {
    const name = formatReference(reference);
    const response = await this.#session.send(reference, { actions: ['pull'] }, (base) => ({
      url: `${base}/v2/${reference.repository}/manifests/${manifestIdentifier(reference)}`,
      headers: { accept: MANIFEST_ACCEPT },
      signal,
    }));
    if (response.status !== 200) throw await registryError(response, `manifest ${name}`);
    const bytes = await response.bytes(MAX_MANIFEST_BYTES).catch((error: unknown) => {
      throw (error as VigilError).code === 'HTTP_BODY_TOO_LARGE'
        ? new VigilError('REGISTRY_MANIFEST_TOO_LARGE', `manifest ${name} is larger than 4 MiB`, {
            hint: 'the registry served something other than a manifest',
          })
        : error;
    });
    const digest = sha256Digest(bytes);
    if (reference.digest && reference.digest !== digest)
      throw digestMismatch(`manifest ${name}`, reference.digest, digest);
    // By tag, Docker-Content-Digest is not checked: too many registries compute it wrongly (as
    // go-containerregistry notes); the digest of the bytes received is what gets recorded.
    const { mediaType, document } = parseManifestDocument(bytes, response.header('content-type'), `manifest ${name}`);
    return {
      reference: { ...reference, digest },
      digest,
      mediaType,
      bytes,
      ...(document.kind === 'manifest' ? { manifest: document.manifest } : { index: document.index }),
    };
  }

  /** The manifest's digest without its body (HEAD); falls back to GET when the registry omits the digest. */
  headManifest(reference: Reference, options: { signal?: AbortSignal } = {}): Promise<ManifestHead> {
    return this.#viaMirrors(reference, async (at) => {
      const response = await this.#session.send(at, { actions: ['pull'] }, (base) => ({
        url: `${base}/v2/${at.repository}/manifests/${manifestIdentifier(at)}`,
        method: 'HEAD',
        headers: { accept: MANIFEST_ACCEPT },
        signal: options.signal,
      }));
      await response.discard();
      const digest = response.header('docker-content-digest');
      if (response.status === 200 && digest?.startsWith('sha256:')) {
        const size = Number(response.header('content-length') ?? 0);
        const mediaType = response.header('content-type')?.split(';')[0]?.trim() ?? '';
        return { reference: { ...at, digest }, digest, mediaType, size };
      }
      const fetched = await this.#getManifestAt(at, options.signal);
      return {
        reference: fetched.reference,
        digest: fetched.digest,
        mediaType: fetched.mediaType,
        size: fetched.bytes.length,
      };
    });
  }

  /** An image manifest for a platform: indexes are resolved to the matching child manifest. */
  async getImageManifest(
    reference: Reference,
    platform: Platform,
    options: { signal?: AbortSignal } = {},
  ): Promise<FetchedManifest> {
    const fetched = await this.getManifest(reference, options);
    if (!fetched.index) return fetched;
    const chosen = selectPlatform(fetched.index, platform, formatReference(reference));
    return this.#getManifestAt({ ...fetched.reference, digest: chosen.digest }, options.signal);
  }

  /** GETs a blob and checks what the registry announces, before any byte of the body is read. */
  async #requestBlob(
    reference: Reference,
    descriptor: Descriptor,
    what: string,
    signal: AbortSignal | undefined,
    bodySink?: BodySink,
  ) {
    const response = await this.#session.send(reference, { actions: ['pull'] }, (base) => ({
      url: `${base}/v2/${reference.repository}/blobs/${descriptor.digest}`,
      signal,
      ...(bodySink ? { bodySink } : {}),
    }));
    if (response.status !== 200) throw await registryError(response, what);
    const declared = Number(response.header('content-length'));
    if (Number.isFinite(declared) && response.header('content-length') !== undefined && declared !== descriptor.size) {
      await response.discard();
      throw new VigilError(
        'BLOB_SIZE_MISMATCH',
        `${what}: the registry announces ${declared} bytes, the descriptor ${descriptor.size}`,
        {
          hint: 'the registry or a proxy serves different content; try another repository',
        },
      );
    }
    return response;
  }

  /**
   * The blob as a stream that fails unless exactly `descriptor.size` bytes with `descriptor.digest`
   * arrive. `reference` must name where the manifest came from (FetchedManifest.reference).
   */
  async openBlob(reference: Reference, descriptor: Descriptor, options: BlobReadOptions = {}): Promise<Readable> {
    const what = blobName(reference, descriptor);
    const progress = options.progress ?? noProgress;
    // The body is read through HttpRequest.bodySink (one reused socket buffer) and leaves in
    // 256 KiB verified chunks. The request settles only once the whole body went through, so the
    // stream is handed out as soon as the body begins; an answer without a body settles first.
    let began: () => void = () => undefined;
    const beginning = new Promise<void>((resolve) => {
      began = resolve;
    });
    const target = openBlobStreamSink({
      expectedDigest: descriptor.digest,
      expectedSize: descriptor.size,
      what,
      onBytes: (count) => progress.advance(count),
      onBegin: () => {
        progress.start(progressLabel(descriptor), descriptor.size);
        began();
      },
    });
    target.stream.on('close', () => progress.done());
    const request = this.#requestBlob(reference, descriptor, what, options.signal, target.sink).then(
      () => target.finish(),
      (error: unknown) => {
        target.fail(error);
        throw error;
      },
    );
    // Once the stream is handed out, a failure reaches the reader through it.
    request.catch(() => undefined);
    await Promise.race([beginning, request]);
    return target.stream;
  }

  /**
   * The blob as the body of an upload (a mirror copying it to another registry): each try GETs it
   * afresh, and its bytes go from this download's socket buffer into the upload's, counted and
   * hashed on the way. The source fails unless exactly the descriptor's bytes arrive, before the
   * upload's last bytes are sent, so a bad blob is never completed.
   */
  blobSource(reference: Reference, descriptor: Descriptor, options: BlobReadOptions = {}): BodySource {
    const what = blobName(reference, descriptor);
    assertSha256Digest(descriptor.digest, what);
    const progress = options.progress ?? noProgress;
    return {
      length: descriptor.size,
      writeTo: async (target, signal) => {
        const verified = verifyingSink(
          {
            expectedDigest: descriptor.digest,
            expectedSize: descriptor.size,
            what,
            onBytes: (count) => progress.advance(count),
            onBegin: () => progress.start(progressLabel(descriptor), descriptor.size),
          },
          (view) => target.write(view),
        );
        const signals = options.signal ? AbortSignal.any([signal, options.signal]) : signal;
        try {
          await this.#requestBlob(reference, descriptor, what, signals, verified.sink);
          verified.check();
        } finally {
          progress.done();
        }
      },
    };
  }

  /**
   * Streams a blob into a new `file` (which must not exist), size and sha256 verified in the same
   * pass; on any failure the file is removed.
   */
  async downloadBlob(
    reference: Reference,
    descriptor: Descriptor,
    file: string,
    options: BlobReadOptions = {},
  ): Promise<void> {
    const what = blobName(reference, descriptor);
    assertSha256Digest(descriptor.digest, what);
    const progress = options.progress ?? noProgress;
    // The body goes straight from the socket into the file (HttpRequest.bodySink): hashed, counted
    // and copied into reused write buffers, so no buffer is allocated per read.
    const target = await openBlobFileSink(file, {
      expectedDigest: descriptor.digest,
      expectedSize: descriptor.size,
      what,
      url: new URL(`https://${reference.registry}`),
      onBytes: (count) => progress.advance(count),
      onBegin: () => progress.start(progressLabel(descriptor), descriptor.size),
      signal: options.signal,
    });
    try {
      await this.#requestBlob(reference, descriptor, what, options.signal, target.sink);
      await target.finish();
    } catch (error) {
      await target.abort();
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    } finally {
      progress.done();
    }
  }

  async blobExists(reference: Reference, digest: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    const response = await this.#session.send(reference, { actions: ['pull'] }, (base) => ({
      url: `${base}/v2/${reference.repository}/blobs/${digest}`,
      method: 'HEAD',
      signal: options.signal,
    }));
    await response.discard();
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw await registryError(response, `blob ${digest} of ${reference.registry}/${reference.repository}`);
  }

  /** Uploads a blob unless the repository has it: cross-repository mount, then monolithic or chunked. */
  pushBlob(reference: Reference, content: BlobContent, options: PushBlobOptions = {}): Promise<PushBlobResult> {
    return pushBlob(this.#session, reference, content, options, (digest) =>
      this.blobExists(reference, digest, options),
    );
  }

  /** PUTs a manifest under the reference's tag (or digest); returns the manifest digest. */
  pushManifest(
    reference: Reference,
    bytes: Buffer,
    mediaType: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<string> {
    return pushManifest(this.#session, reference, bytes, mediaType, options.signal);
  }
}

function blobName(reference: Reference, descriptor: Descriptor): string {
  return `blob ${descriptor.digest} of ${reference.registry}/${reference.repository}`;
}

function progressLabel(descriptor: Descriptor): string {
  return descriptor.annotations?.['org.opencontainers.image.title'] ?? descriptor.digest.slice(7, 19);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
