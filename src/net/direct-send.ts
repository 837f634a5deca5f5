import type { Socket } from 'node:net';
import { VigilError } from '../errors/index.ts';
import {
  closedEarly,
  connectDirect,
  type DirectConnectOptions,
  decodeChunked,
  type Head,
  headerValue,
  ResponseHeadReader,
  requestText,
} from './http1-wire.ts';
import { classifyNetworkError } from './network-error.ts';
import type { BodySource, BodyTarget } from './types.ts';

/**
 * An upload's body leaves in writes of this size, each a buffer reused once the socket is done
 * with it. Streamed through undici instead, every chunk was a fresh buffer whose memory the kernel
 * had to hand out page by page (a 200 MiB mirror spent ~0.4 s of CPU faulting them in), and every
 * 64 KiB chunk one more system call. 1 MiB with two in flight edged out 256 KiB with four.
 */
const SEND_BATCH_BYTES = 1024 * 1024;
/** Batches handed to the socket and not yet written: the source waits beyond this. */
const MAX_BATCHES_IN_FLIGHT = 2;
/** The answer to an upload is small; a larger body is read but only this much kept. */
const MAX_ANSWER_BODY_BYTES = 1024 * 1024;
const ANSWER_READ_BYTES = 16 * 1024;

export interface DirectSendResult {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** The body source kept writing after its request ended (answered early, failed or aborted). */
function requestEnded(url: URL): VigilError {
  return new VigilError('NET_REQUEST_ENDED', `the request to ${url.host} ended before its body was sent`);
}

/**
 * One request with a body of known length on a fresh HTTP/1.1 connection (`Connection: close`):
 * the head, then whatever `source` writes, batched into reused 1 MiB buffers. Resolves with the
 * answer once it is complete; an answer that comes before the whole body was sent (a refusal) stops
 * the source and is returned as it is. A source that fails, or writes more or fewer bytes than its
 * length, fails the request. Errors are NetworkErrors as the client reports them.
 */
export function directSend(
  url: URL,
  method: 'PUT' | 'POST' | 'PATCH',
  headers: Readonly<Record<string, string>>,
  source: BodySource,
  options: DirectConnectOptions,
): Promise<DirectSendResult> {
  options.signal?.throwIfAborted();
  const request = requestText(method, url, { ...headers, 'content-length': String(source.length) });
  return new Promise<DirectSendResult>((resolve, reject) => {
    const stopSource = new AbortController();
    let settled = false;
    let head: Head | undefined;
    const heads = new ResponseHeadReader(url);
    let answerLength = -1;
    let chunked = false;
    let answerReceived = 0;
    const answer: Buffer[] = [];
    let answerKept = 0;

    const pool: Buffer[] = [];
    let batch: Buffer | undefined;
    let filled = 0;
    let written = 0;
    let inFlight = 0;
    let waiting: (() => void) | undefined;
    const wake = () => {
      const resume = waiting;
      waiting = undefined;
      resume?.();
    };

    const finish = (error: unknown, result?: DirectSendResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      stopSource.abort(requestEnded(url));
      socket.destroy();
      // A source waiting for room goes on, and learns from its next write that the request ended.
      wake();
      if (error !== undefined) reject(error);
      else resolve(result as DirectSendResult);
    };
    const abort = () => finish(options.signal?.reason);
    const complete = (body: Buffer = Buffer.concat(answer, answerKept)) =>
      finish(undefined, { statusCode: head?.statusCode ?? 0, headers: head?.headers ?? {}, body });

    const sendBatch = () => {
      const full = batch as Buffer;
      const length = filled;
      batch = undefined;
      filled = 0;
      inFlight++;
      socket.write(full.subarray(0, length), () => {
        inFlight--;
        pool.push(full);
        wake();
      });
    };
    const target: BodyTarget = {
      write(view) {
        if (settled) throw requestEnded(url);
        written += view.length;
        if (written > source.length) {
          throw new VigilError('NET_BODY_TOO_LONG', `the body for ${url.host} is longer than ${source.length} bytes`);
        }
        let offset = 0;
        while (offset < view.length) {
          batch ??= pool.pop() ?? Buffer.allocUnsafe(SEND_BATCH_BYTES);
          const copied = view.copy(batch, filled, offset);
          offset += copied;
          filled += copied;
          if (filled === batch.length) sendBatch();
        }
        if (inFlight < MAX_BATCHES_IN_FLIGHT) return undefined;
        return new Promise<void>((resume) => {
          waiting = resume;
        });
      },
    };
    const sendBody = (connected: Socket) => {
      connected.write(request);
      source.writeTo(target, stopSource.signal).then(
        () => {
          if (settled) return;
          if (written !== source.length) {
            finish(
              new VigilError('NET_BODY_TOO_SHORT', `the body for ${url.host} had ${written} of ${source.length} bytes`),
            );
            return;
          }
          if (filled > 0) sendBatch();
        },
        (error: unknown) => finish(error),
      );
    };

    const onAnswerBody = (view: Buffer): boolean => {
      const part = answerLength >= 0 ? view.subarray(0, answerLength - answerReceived) : view;
      answerReceived += part.length;
      if (answerKept < MAX_ANSWER_BODY_BYTES) {
        const kept = part.subarray(0, MAX_ANSWER_BODY_BYTES - answerKept);
        answer.push(Buffer.from(kept));
        answerKept += kept.length;
      }
      if (answerLength >= 0 && answerReceived >= answerLength) {
        complete();
        return false;
      }
      if (chunked) {
        const body = decodeChunked(Buffer.concat(answer, answerKept), url);
        if (body !== undefined) {
          complete(body);
          return false;
        }
      }
      return true;
    };
    const onread = {
      buffer: Buffer.allocUnsafe(ANSWER_READ_BYTES),
      callback: (bytes: number, into: Uint8Array): boolean => {
        if (settled) return false;
        const view = Buffer.from(into.buffer, into.byteOffset, bytes);
        try {
          if (head) return onAnswerBody(view);
          const read = heads.push(view);
          if (!read) return true;
          head = read.head;
          const lengthText = headerValue(read.head.headers, 'content-length');
          answerLength = lengthText !== undefined && /^\d+$/.test(lengthText) ? Number(lengthText) : -1;
          chunked = /chunked/i.test(headerValue(read.head.headers, 'transfer-encoding') ?? '');
          if (chunked) answerLength = -1;
          if (answerLength === 0) {
            complete();
            return false;
          }
          return read.rest.length > 0 ? onAnswerBody(read.rest) : true;
        } catch (error) {
          finish(error);
          return false;
        }
      },
    };
    const socket = connectDirect(url, options, onread, sendBody);
    socket.on('timeout', () =>
      finish(classifyNetworkError(Object.assign(new Error('no data in time'), { code: 'ETIMEDOUT' }), url)),
    );
    socket.on('error', (error) => finish(classifyNetworkError(error, url)));
    socket.on('close', () => {
      if (settled) return;
      // Without a length, the answer ends with the connection.
      if (head && answerLength < 0 && !chunked) complete();
      else finish(closedEarly(url, head ? 'in the middle of its answer' : 'before answering'));
    });
    options.signal?.addEventListener('abort', abort, { once: true });
  });
}
