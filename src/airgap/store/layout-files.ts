import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describeError, VigilError } from '../../errors/index.ts';
import { indexTarFile, type TarIndex } from '../../oci/archive/tar-index.ts';
import type { FileRange } from './verified-range.ts';

/**
 * The files of an OCI image layout, whether it is a directory or sits inside a tar (a bundle).
 * Names are relative (`index.json`, `blobs/sha256/<hex>`) and never leave the layout.
 */
export interface LayoutFiles {
  readonly description: string;
  /** The whole file, or undefined when it is missing; larger than `maxBytes` is an error. */
  read(name: string, maxBytes: number): Promise<Buffer | undefined>;
  /** The file as a stream; undefined when it is missing. */
  open(name: string): Promise<Readable | undefined>;
  size(name: string): Promise<number | undefined>;
  /** Where the file's bytes lie on disk (a file, or a member of the bundle); undefined when missing. */
  range(name: string): Promise<FileRange | undefined>;
  close(): Promise<void>;
}

function checkedName(name: string, where: string): string[] {
  const parts = name.split('/');
  if (name.startsWith('/') || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new VigilError('LAYOUT_PATH_INVALID', `${where}: refusing the path ${JSON.stringify(name)}`, {
      hint: 'the layout names a file outside itself; it is damaged or hostile',
    });
  }
  return parts;
}

function tooLarge(name: string, where: string, limit: number): VigilError {
  return new VigilError('LAYOUT_FILE_TOO_LARGE', `${name} in ${where} is larger than ${limit} bytes`, {
    hint: 'the layout does not hold an artifact Vigil reads',
  });
}

export function directoryLayoutFiles(root: string): LayoutFiles {
  const path = (name: string) => join(root, ...checkedName(name, root));
  return {
    description: root,
    async read(name, maxBytes) {
      const handle = await open(path(name), 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
        throw new VigilError('LAYOUT_UNREADABLE', `cannot read ${name} in ${root}: ${describeError(error)}`);
      });
      if (!handle) return undefined;
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) throw tooLarge(name, root, maxBytes);
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
    async open(name) {
      const file = path(name);
      const info = await stat(file).catch(() => undefined);
      return info?.isFile() ? createReadStream(file, { highWaterMark: 1 << 20 }) : undefined;
    },
    size: (name) =>
      stat(path(name)).then(
        (info) => (info.isFile() ? info.size : undefined),
        () => undefined,
      ),
    async range(name) {
      const file = path(name);
      const info = await stat(file).catch(() => undefined);
      return info?.isFile() ? { path: file, offset: 0, size: info.size } : undefined;
    },
    close: async () => undefined,
  };
}

/** A layout inside an uncompressed tar: read in place through an index of its headers. */
export async function tarLayoutFiles(file: string): Promise<LayoutFiles> {
  let index: TarIndex;
  try {
    index = await indexTarFile(file);
  } catch (error) {
    const why = error instanceof VigilError ? error.message.replace(`${file} `, '') : describeError(error);
    throw new VigilError('BUNDLE_UNREADABLE', `cannot read the bundle ${file}: ${why}`, {
      hint: 'give the file vigil bundle create wrote (an OCI layout in a tar); a truncated copy must be copied again',
      cause: error,
    });
  }
  const entry = (name: string) => {
    checkedName(name, file);
    return index.resolve(name);
  };
  return {
    description: file,
    async read(name, maxBytes) {
      const found = entry(name);
      if (!found) return undefined;
      if (found.size > maxBytes) throw tooLarge(name, file, maxBytes);
      return index.read(found, maxBytes);
    },
    async open(name) {
      const found = entry(name);
      if (!found) return undefined;
      if (found.size === 0) return Readable.from([]);
      // A stream of its own file descriptor, so that destroying it never closes the shared index.
      return createReadStream(file, {
        start: found.offset,
        end: found.offset + found.size - 1,
        highWaterMark: 1 << 20,
      });
    },
    size: async (name) => entry(name)?.size,
    async range(name) {
      const found = entry(name);
      return found ? { path: file, offset: found.offset, size: found.size } : undefined;
    },
    close: () => index.close(),
  };
}
