import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { extract } from 'tar-stream';
import type { FileInfo } from '../analyzer/types.ts';
import { describeError, VigilError } from '../errors/index.ts';
import { createGarbagePacer } from '../net/index.ts';

/** What the walker reports while streaming one layer's tar. */
export interface LayerVisitor {
  /** Cheap check per regular file: return true to receive its bytes. */
  wants(path: string, info: FileInfo): boolean;
  file(path: string, info: FileInfo, content: Buffer): void | Promise<void>;
  /** `.wh.<name>`: the path is deleted from the layers below. */
  whiteout(path: string): void;
  /** `.wh..wh..opq`: the directory's content from the layers below is hidden. */
  opaqueDir(path: string): void;
}

export interface LayerLimits {
  /** Uncompressed layer size limit (decompression-bomb guard). */
  maxUncompressedBytes: number;
  /** No single buffered file may be larger than this. */
  maxFileBytes: number;
}

export interface WalkedLayer {
  /** sha256 of the uncompressed tar stream. */
  diffId: string;
  uncompressedSize: number;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

/**
 * Streams a layer (gzip, zstd or plain tar) once: decompresses, hashes the tar to get its
 * diff ID, and hands only the files the visitor asks for to it. Nothing is written to disk,
 * links are never followed, and names that climb out of the root are refused.
 */
export async function walkLayer(
  source: Readable,
  visitor: LayerVisitor,
  limits: LayerLimits,
  label: string,
): Promise<WalkedLayer> {
  const hash = createHash('sha256');
  let uncompressedSize = 0;
  // Inflated chunks are fresh buffers: collected as they go, so their memory is reused (a cold
  // Debian scan: peak RSS 114-131 -> 107-109 MB, and a little faster).
  const pacer = createGarbagePacer();
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      uncompressedSize += chunk.length;
      pacer.advance(chunk.length);
      if (uncompressedSize > limits.maxUncompressedBytes) {
        callback(
          new VigilError(
            'LAYER_TOO_LARGE',
            `layer ${label} unpacks to more than ${limits.maxUncompressedBytes} bytes`,
            {
              hint: 'this looks like a decompression bomb; raise --max-layer-size only for images you trust',
            },
          ),
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const tar = extract();
  const consume = (async () => {
    for await (const entry of tar) {
      const header = entry.header;
      const path = safeLayerPath(header.name, label);
      if (header.type === 'file' || header.type === 'contiguous-file') {
        const base = path.slice(path.lastIndexOf('/') + 1);
        if (base.startsWith(WHITEOUT_PREFIX)) {
          const dir = path.slice(0, path.length - base.length).replace(/\/$/, '');
          if (base === OPAQUE_MARKER) visitor.opaqueDir(dir);
          else
            visitor.whiteout(
              dir === '' ? base.slice(WHITEOUT_PREFIX.length) : `${dir}/${base.slice(WHITEOUT_PREFIX.length)}`,
            );
          entry.resume();
          continue;
        }
        const info: FileInfo = { size: header.size ?? 0, mode: header.mode ?? 0 };
        if (path !== '' && info.size <= limits.maxFileBytes && visitor.wants(path, info)) {
          await visitor.file(path, info, await readEntry(entry as unknown as Readable, info.size));
          continue;
        }
      }
      entry.resume();
    }
  })();
  try {
    const { stream, decompressor } = await decompressing(source);
    const stages = decompressor ? [stream, decompressor, measure, tar] : [stream, measure, tar];
    await Promise.all([pipeline(stages), consume]);
  } catch (error) {
    source.destroy();
    if (error instanceof VigilError) throw error;
    throw new VigilError('LAYER_CORRUPT', `cannot read layer ${label}: ${describeError(error)}`, {
      hint: 'the layer is truncated or damaged; export or pull the image again',
    });
  }
  return { diffId: `sha256:${hash.digest('hex')}`, uncompressedSize };
}

async function readEntry(entry: Readable, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of entry) {
    total += (chunk as Buffer).length;
    if (total > size) throw new VigilError('LAYER_CORRUPT', 'a tar entry is longer than its header says');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

/** `./usr/lib/x`, `/usr/lib/x` → `usr/lib/x`; any `..` component is refused. */
export function safeLayerPath(name: string, label: string): string {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) {
    throw new VigilError(
      'LAYER_PATH_TRAVERSAL',
      `layer ${label} holds an entry that climbs out of the root: ${JSON.stringify(name)}`,
      {
        hint: 'the image is malformed or hostile; do not run it',
      },
    );
  }
  return parts.join('/');
}

/**
 * Decompressed output comes in chunks of this size. zlib's 16 KiB default costs one thread-pool
 * round trip per 16 KiB: a cold scan of a 49 MiB Debian layer took 1.15-1.18 s with it, 0.94 s
 * with 64 KiB and 0.86-0.90 s with 256 KiB (peak RSS 106-124 -> 113-117 MB).
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;

/** Peeks at the first bytes to pick gzip, zstd or plain tar. */
async function decompressing(source: Readable): Promise<{ stream: Readable; decompressor?: Transform }> {
  const head = await firstChunk(source);
  const replay = new PassThrough();
  if (head.length > 0) replay.write(head);
  source.pipe(replay);
  source.on('error', (error) => replay.destroy(error));
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    return { stream: replay, decompressor: createGunzip({ chunkSize: INFLATE_CHUNK_BYTES }) };
  }
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) {
    return { stream: replay, decompressor: createZstdDecompress({ chunkSize: INFLATE_CHUNK_BYTES }) };
  }
  return { stream: replay };
}

function firstChunk(source: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onReadable = () => {
      const chunk = source.read() as Buffer | null;
      if (chunk === null && !source.readableEnded) return;
      cleanup();
      resolve(chunk ?? Buffer.alloc(0));
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      source.off('readable', onReadable);
      source.off('end', onEnd);
      source.off('error', onError);
    };
    source.on('readable', onReadable);
    source.on('end', onEnd);
    source.on('error', onError);
  });
}
