import { Readable } from 'node:stream';
import { VigilError } from '../errors/index.ts';
import type { BodySource, BodyTarget } from './types.ts';

/**
 * A body source as a stream, for the requests that go through undici (a proxy on the way): each
 * write is copied, and the source waits while the stream holds more than 1 MiB. The stream fails
 * when the source fails; destroying the stream aborts the source.
 */
export function bodySourceStream(source: BodySource): Readable {
  const controller = new AbortController();
  let resume: (() => void) | undefined;
  const wake = () => {
    const waiting = resume;
    resume = undefined;
    waiting?.();
  };
  const stream = new Readable({
    highWaterMark: 1 << 20,
    read: wake,
    destroy(error, callback) {
      controller.abort(error ?? new Error('the upload stream was closed'));
      wake();
      callback(error);
    },
  });
  let written = 0;
  const target: BodyTarget = {
    write(view) {
      if (stream.destroyed) throw new VigilError('NET_REQUEST_ENDED', 'the upload ended before its body was sent');
      written += view.length;
      if (written > source.length) {
        throw new VigilError('NET_BODY_TOO_LONG', `the upload body is longer than ${source.length} bytes`);
      }
      if (stream.push(Buffer.from(view))) return undefined;
      return new Promise<void>((resolve) => {
        resume = resolve;
      });
    },
  };
  source.writeTo(target, controller.signal).then(
    () => {
      if (stream.destroyed) return;
      if (written !== source.length) {
        stream.destroy(
          new VigilError('NET_BODY_TOO_SHORT', `the upload body had ${written} of ${source.length} bytes`),
        );
      } else stream.push(null);
    },
    (error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return stream;
}
