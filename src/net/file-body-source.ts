import { open } from 'node:fs/promises';
import { VigilError } from '../errors/index.ts';
import type { BodySource } from './types.ts';

/** Read size for a file sent as a body: one reused buffer, so no memory is faulted in per read. */
const FILE_READ_BYTES = 256 * 1024;

/**
 * `size` bytes of `file` from `offset` (a layout blob, a bundle member) as a request body: read
 * with positioned reads into one reused buffer, the next read waiting while the request has no room.
 * A file shorter than the range fails the request.
 */
export function fileBodySource(file: string, offset: number, size: number): BodySource {
  return {
    length: size,
    async writeTo(target, signal) {
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.allocUnsafe(Math.min(FILE_READ_BYTES, Math.max(size, 1)));
        for (let done = 0; done < size; ) {
          signal.throwIfAborted();
          const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - done), offset + done);
          if (bytesRead === 0) {
            throw new VigilError('PUSH_FILE_CHANGED', `${file} ends before the ${size} bytes it should hold`, {
              hint: 'the file changed while it was being uploaded',
            });
          }
          done += bytesRead;
          await target.write(buffer.subarray(0, bytesRead));
        }
      } finally {
        await handle.close();
      }
    },
  };
}
