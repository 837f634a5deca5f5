import {
  closedEarly,
  connectDirect,
  type DirectConnectOptions,
  type Head,
  headerValue,
  ResponseHeadReader,
  requestText,
} from './http1-wire.ts';
import { classifyNetworkError } from './network-error.ts';
import type { BodySink } from './types.ts';

/**
 * Node's sockets allocate a fresh 64 KiB buffer for every read; streaming hundreds of MB that way
 * costs more than the HTTP parsing, hashing and file writes together (measured on a 200 MiB
 * loopback blob: reading into one reused buffer took 0.24-0.57 s against 0.48-0.94 s, curl
 * 0.42-0.77 s, and 52 MB peak RSS against 58+). So a body with a sink is read by this small
 * HTTP/1.1 GET into one reused buffer, and handed on as views the sink copies from. A larger
 * buffer means fewer reads and sink calls: 1 MiB took 0.26-0.27 s where 256 KiB took 0.32-0.36 s
 * and 4 MiB 0.29-0.32 s (the same blob, hashed and written; curl 0.26 s).
 */
const READ_BUFFER_BYTES = 1024 * 1024;
/** A non-2xx body (an error document) is kept in memory up to this size; the rest is dropped. */
const MAX_ERROR_BODY_BYTES = 1024 * 1024;

export interface DirectGetOptions extends DirectConnectOptions {
  /** Set once the sink has been given the first body byte: from then on nothing may be retried. */
  readonly onBodyStart?: () => void;
}

/**
 * What came back. `fallback` means a 2xx answer this reader does not stream (no Content-Length,
 * a transfer or content encoding): nothing was given to the sink and the request may be sent
 * again another way. A non-2xx answer's body is in `body` (bounded).
 */
export interface DirectGetResult {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  readonly fallback: boolean;
}

/**
 * One GET on a fresh connection (`Connection: close`). A 2xx body with a Content-Length goes to
 * `sink` (begin, then writes; a write's promise pauses reading until it settles) and resolves once
 * all of it arrived; a shorter body is an error. Errors are NetworkErrors as the client reports them.
 */
export function directGet(
  url: URL,
  headers: Readonly<Record<string, string>>,
  sink: BodySink,
  options: DirectGetOptions,
): Promise<DirectGetResult> {
  options.signal?.throwIfAborted();
  const request = requestText('GET', url, headers);
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  return new Promise<DirectGetResult>((resolve, reject) => {
    let head: Head | undefined;
    let bodyLength = -1;
    let received = 0;
    let streaming = false;
    const errorBody: Buffer[] = [];
    let errorBodyBytes = 0;
    let settled = false;

    const finish = (error: unknown, result?: DirectGetResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(result as DirectGetResult);
    };
    const abort = () => finish(options.signal?.reason);
    const complete = () =>
      finish(undefined, {
        statusCode: head?.statusCode ?? 0,
        headers: head?.headers ?? {},
        body: Buffer.concat(errorBody, errorBodyBytes),
        fallback: false,
      });

    const onBody = (data: Buffer): boolean => {
      // Bytes past the announced length are not the body's (and with Connection: close, never expected).
      const view = bodyLength >= 0 ? data.subarray(0, bodyLength - received) : data;
      received += view.length;
      if (!streaming) {
        if (errorBodyBytes < MAX_ERROR_BODY_BYTES) {
          const kept = view.subarray(0, MAX_ERROR_BODY_BYTES - errorBodyBytes);
          errorBody.push(Buffer.from(kept));
          errorBodyBytes += kept.length;
        }
        if (bodyLength >= 0 && received >= bodyLength) complete();
        return true;
      }
      let written: undefined | Promise<void>;
      try {
        written = sink.write(view);
      } catch (error) {
        finish(error);
        return false;
      }
      const done = received >= bodyLength;
      if (!written) {
        if (done) complete();
        return true;
      }
      written.then(
        () => {
          if (done) complete();
          else if (!settled) socket.resume();
        },
        (error: unknown) => finish(error),
      );
      return false;
    };

    const heads = new ResponseHeadReader(url);
    const onHead = (view: Buffer): boolean => {
      let parsed: Head;
      let rest: Buffer;
      try {
        const complete = heads.push(view);
        if (!complete) return true;
        parsed = complete.head;
        rest = complete.rest;
      } catch (error) {
        finish(error);
        return false;
      }
      head = parsed;
      const lengthText = parsed.headers['content-length'];
      const length = typeof lengthText === 'string' && /^\d+$/.test(lengthText) ? Number(lengthText) : -1;
      const plain =
        parsed.headers['transfer-encoding'] === undefined && parsed.headers['content-encoding'] === undefined;
      const success = parsed.statusCode >= 200 && parsed.statusCode < 300;
      if (!plain || (success && length < 0)) {
        finish(undefined, {
          statusCode: parsed.statusCode,
          headers: parsed.headers,
          body: Buffer.alloc(0),
          fallback: true,
        });
        return false;
      }
      if (success) {
        try {
          sink.begin({ status: parsed.statusCode, header: (name) => headerValue(parsed.headers, name) });
        } catch (error) {
          finish(error);
          return false;
        }
        streaming = true;
        options.onBodyStart?.();
      }
      bodyLength = length;
      if (bodyLength === 0) {
        complete();
        return false;
      }
      return rest.length > 0 ? onBody(rest) : true;
    };

    const onread = {
      buffer,
      callback: (bytes: number, into: Uint8Array): boolean => {
        if (settled) return false;
        const view = Buffer.from(into.buffer, into.byteOffset, bytes);
        return head ? onBody(view) : onHead(view);
      },
    };
    const socket = connectDirect(url, options, onread, (connected) => connected.write(request));
    socket.on('timeout', () =>
      finish(classifyNetworkError(Object.assign(new Error('no data in time'), { code: 'ETIMEDOUT' }), url)),
    );
    socket.on('error', (error) => finish(classifyNetworkError(error, url)));
    socket.on('close', () => {
      if (settled) return;
      if (head && bodyLength < 0 && !streaming) {
        complete();
        return;
      }
      finish(closedEarly(url, head ? `after ${received} of ${bodyLength} body bytes` : 'before answering'));
    });
    options.signal?.addEventListener('abort', abort, { once: true });
  });
}
