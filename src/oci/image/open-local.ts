import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { describeError, VigilError } from '../../errors/index.ts';
import { indexTarFile } from '../archive/tar-index.ts';
import type { FileStore } from './file-store.ts';
import { directoryFileStore, tarFileStore } from './file-store.ts';
import { dockerArchiveImage, ociLayoutImage } from './local-image.ts';
import type { Platform } from './manifest.ts';
import type { ImageSource } from './types.ts';

export interface OpenLocalImageOptions {
  /** The name reports carry (default: the input as given). */
  name?: string;
  /** Where a compressed archive may be unpacked: a directory inside the cache. */
  tempDir: string;
  platform?: Platform;
  /** Upper bound for a decompressed archive (decompression-bomb guard). */
  maxArchiveBytes?: number;
}

const DEFAULT_MAX_ARCHIVE_BYTES = 64 * 2 ** 30;

/**
 * Opens `--input`: a `docker save` archive or an OCI layout, as a tar file (plain, gzip or
 * zstd) or a directory. `PATH:TAG` picks a tag inside an OCI layout.
 */
export async function openLocalImage(input: string, options: OpenLocalImageOptions): Promise<ImageSource> {
  const { path, tag } = await splitTag(input);
  const info = await stat(path).catch((error: unknown) => {
    throw new VigilError('INPUT_NOT_FOUND', `cannot read --input ${path}: ${describeError(error)}`, {
      hint: 'pass a `docker save` archive, an OCI layout tarball or an OCI layout directory',
    });
  });
  const openOptions = { name: options.name ?? input, tag, platform: options.platform };
  if (info.isDirectory()) {
    const store = directoryFileStore(path);
    if (!(await store.exists('index.json'))) {
      throw new VigilError('INPUT_UNKNOWN', `${path} is a directory but not an OCI image layout (no index.json)`, {
        hint: 'to scan a directory use `vigil fs` or `vigil rootfs`; to scan an image export it with `skopeo copy … oci:DIR`',
      });
    }
    return ociLayoutImage(store, openOptions);
  }
  const store = await archiveStore(path, options);
  try {
    if (await store.exists('manifest.json')) return await dockerArchiveImage(store, openOptions);
    if (await store.exists('index.json')) return await ociLayoutImage(store, openOptions);
  } catch (error) {
    await store.close();
    throw error;
  }
  await store.close();
  throw new VigilError('INPUT_UNKNOWN', `${path} is neither a docker archive nor an OCI layout tarball`, {
    hint: 'create one with `docker save IMAGE -o FILE` or `skopeo copy docker://IMAGE docker-archive:FILE`',
  });
}

async function splitTag(input: string): Promise<{ path: string; tag?: string }> {
  if (await exists(input)) return { path: input };
  const colon = input.lastIndexOf(':');
  if (colon > 0 && !input.slice(colon + 1).includes('/') && (await exists(input.slice(0, colon)))) {
    return { path: input.slice(0, colon), tag: input.slice(colon + 1) };
  }
  return { path: input };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function archiveStore(path: string, options: OpenLocalImageOptions): Promise<FileStore> {
  const compression = await sniffCompression(path);
  if (compression === 'none') return tarFileStore(await indexTarFile(path));
  // Compressed archives cannot be read at random offsets: unpack once into the cache, bounded.
  await mkdir(options.tempDir, { recursive: true });
  const unpacked = join(options.tempDir, `input-${randomBytes(8).toString('hex')}.tar`);
  const cleanup = () => rm(unpacked, { force: true });
  try {
    await pipeline(
      createReadStream(path),
      // 256 KiB output chunks: zlib's 16 KiB default is one thread-pool round trip per 16 KiB.
      compression === 'gzip'
        ? createGunzip({ chunkSize: 256 * 1024 })
        : createZstdDecompress({ chunkSize: 256 * 1024 }),
      byteLimit(options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES, path),
      createWriteStream(unpacked),
    );
    return tarFileStore(await indexTarFile(unpacked), cleanup);
  } catch (error) {
    await cleanup();
    if (error instanceof VigilError) throw error;
    throw new VigilError('ARCHIVE_CORRUPT', `cannot decompress ${path}: ${describeError(error)}`, {
      hint: 'the archive is truncated or damaged; export the image again',
    });
  }
}

export function byteLimit(maxBytes: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(
          new VigilError('DECOMPRESSION_LIMIT', `${what} decompresses to more than ${maxBytes} bytes`, {
            hint: 'this looks like a decompression bomb; if the image is really that large, export it uncompressed',
          }),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}

async function sniffCompression(path: string): Promise<'gzip' | 'zstd' | 'none'> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return 'none';
  } finally {
    await handle.close();
  }
}
