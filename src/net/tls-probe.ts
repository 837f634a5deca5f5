import { isIP } from 'node:net';
import { classifyNetworkError } from './network-error.ts';

/** Answers that mean "a server is there, and it does not speak TLS" (as the registry fallback reads them). */
const NOT_TLS_FAILURES = new Set(['not-tls', 'tls-handshake', 'reset']);

/**
 * Whether the server at the URL's host and port completes a TLS handshake. The handshake runs with
 * Node's default context and no certificate check, and nothing is sent after it, so nothing from it
 * is trusted; what it saves is the real trust store (bundled and system CAs: ~14 MB and ~150 ms,
 * measured) for a server that turns out to speak plain HTTP. Undefined when no answer came at all
 * (refused, unreachable, timed out): the caller's real request then says why.
 */
export async function probeTls(url: URL, timeoutMs: number, signal?: AbortSignal): Promise<boolean | undefined> {
  signal?.throwIfAborted();
  const { connect } = process.getBuiltinModule('node:tls');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const finish = (answer: boolean | undefined, error?: unknown) => {
      signal?.removeEventListener('abort', abort);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(answer);
    };
    const abort = () => finish(undefined, signal?.reason);
    signal?.addEventListener('abort', abort, { once: true });
    let connected = false;
    socket.once('connect', () => {
      connected = true;
    });
    socket.once('secureConnect', () => finish(true));
    socket.once('timeout', () => finish(undefined));
    socket.once('error', (error) => {
      // A server that took the connection and then broke off the handshake is there, and not TLS.
      const failure = classifyNetworkError(error, url).failure;
      finish(connected && NOT_TLS_FAILURES.has(failure) ? false : undefined);
    });
  });
}
