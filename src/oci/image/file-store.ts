import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { VigilError } from '../../errors/index.ts';
import type { TarIndex } from '../archive/tar-index.ts';

/**
 * Named files of an image export, whether they sit in a directory (OCI layout) or inside a tar
 * (docker save, OCI layout tarball). Names are relative and never leave the store.
 */
export interface FileStore {
  readonly description: string;
  exists(name: string): Promise<boolean>;
  read(name: string, maxBytes: number): Promise<Buffer>;
  open(name: string): Promise<Readable>;
  size(name: string): Promise<number | undefined>;
  close(): Promise<void>;
}

export function tarFileStore(index: TarIndex, onClose?: () => Promise<void>): FileStore {
  const entry = (name: string) => {
    const found = index.resolve(name);
    if (!found) {
      throw new VigilError('IMAGE_FILE_MISSING', `${name} is missing from ${index.path}`, {
        hint: 'the archive is incomplete; export the image again (docker save / skopeo copy)',
      });
    }
    return found;
  };
  return {
    description: index.path,
    exists: async (name) => index.resolve(name) !== undefined,
    read: async (name, maxBytes) => index.read(entry(name), maxBytes),
    open: async (name) => index.stream(entry(name)),
    size: async (name) => index.resolve(name)?.size,
    async close() {
      await index.close();
      await onClose?.();
    },
  };
}

export function directoryFileStore(root: string): FileStore {
  const locate = (name: string): string => {
    const parts = name.split('/');
    if (name.startsWith('/') || parts.some((part) => part === '..' || part === '')) {
      throw new VigilError('IMAGE_PATH_INVALID', `refusing to read ${JSON.stringify(name)} outside ${root}`, {
        hint: 'the OCI layout references a file outside its directory; it may be malicious',
      });
    }
    return join(root, ...parts);
  };
  const missing = (name: string, error: unknown) =>
    new VigilError('IMAGE_FILE_MISSING', `${name} is missing from the OCI layout ${root}`, {
      hint: 'the layout is incomplete; copy the image again (skopeo copy … oci:DIR)',
      cause: error,
    });
  return {
    description: root,
    exists: (name) =>
      stat(locate(name)).then(
        (info) => info.isFile(),
        () => false,
      ),
    async read(name, maxBytes) {
      const path = locate(name);
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        throw missing(name, error);
      }
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) {
          throw new VigilError('IMAGE_FILE_TOO_LARGE', `${name} in ${root} is larger than ${maxBytes} bytes`, {
            hint: 'the layout does not look like an image',
          });
        }
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
    async open(name) {
      const path = locate(name);
      await stat(path).catch((error: unknown) => {
        throw missing(name, error);
      });
      return createReadStream(path);
    },
    size: (name) =>
      stat(locate(name)).then(
        (info) => info.size,
        () => undefined,
      ),
    close: async () => {},
  };
}
