import { VigilError } from '../errors/index.ts';

/** What went wrong below HTTP, in the terms a user can act on. */
export type NetworkFailure =
  | 'offline'
  | 'dns'
  | 'refused'
  | 'tls-untrusted'
  | 'tls-handshake'
  | 'not-tls'
  | 'timeout'
  | 'reset'
  | 'proxy'
  | 'other';

/** A failure to talk to a host at all (no HTTP status). Carries its kind so callers can decide on fallbacks. */
export class NetworkError extends VigilError {
  readonly failure: NetworkFailure;
  readonly host: string;

  constructor(failure: NetworkFailure, host: string, message: string, hint: string, cause?: unknown) {
    super(`NET_${failure.toUpperCase().replace('-', '_')}`, message, { hint, cause });
    this.name = 'NetworkError';
    this.failure = failure;
    this.host = host;
  }

  /** Failures worth sending the same request again for. */
  get transient(): boolean {
    return this.failure === 'reset';
  }
}

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);
const TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);

/** Every `code` along an error's cause chain (undici nests the socket's error). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** The innermost error's first line, without Node's advice about its own command-line flags. */
function firstMessage(error: unknown): string {
  let current: unknown = error;
  let message = '';
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    message = current.message.split('\n')[0] ?? message;
    current = current.cause;
  }
  return message.replace(/; if the root CA is installed locally.*$/, '');
}

/**
 * Turns an error thrown by the socket layer into a one-line NetworkError with a hint. `via` names
 * the proxy when the request went through one, since its failures look like the target's.
 */
export function classifyNetworkError(error: unknown, target: URL, via?: string): NetworkError {
  if (error instanceof NetworkError) return error;
  const host = target.host;
  const codes = errorCodes(error);
  const has = (set: Set<string>) => codes.some((code) => set.has(code));
  const detail = firstMessage(error);
  if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN') || codes.includes('EAI_NONAME')) {
    const name = via ? `proxy ${via}` : target.hostname;
    return new NetworkError(
      'dns',
      host,
      `cannot resolve host name ${name}`,
      'check the name and your DNS, or set HTTPS_PROXY if this network reaches out through a proxy',
      error,
    );
  }
  if (codes.includes('ECONNREFUSED')) {
    const where = via ? `proxy ${via}` : host;
    return new NetworkError(
      'refused',
      host,
      `connection refused by ${where}`,
      via
        ? 'check HTTPS_PROXY/HTTP_PROXY, or add the host to NO_PROXY'
        : 'check the host and port, and that the server is running',
      error,
    );
  }
  if (has(TLS_UNTRUSTED)) {
    return new NetworkError(
      'tls-untrusted',
      host,
      `the TLS certificate of ${host} is not trusted (${detail})`,
      'pass the CA certificate that signed it with --cacert FILE (or SSL_CERT_FILE), or use --insecure on a trusted network',
      error,
    );
  }
  if (has(NOT_TLS)) {
    return new NetworkError(
      'not-tls',
      host,
      `${host} does not speak TLS on this port`,
      'use an https endpoint, or --insecure to allow plain HTTP',
      error,
    );
  }
  if (has(TIMEOUT)) {
    return new NetworkError(
      'timeout',
      host,
      `${host} did not answer in time (${detail})`,
      'check the network path and proxy settings, or raise --timeout',
      error,
    );
  }
  if (has(RESET)) {
    return new NetworkError(
      'reset',
      host,
      `the connection to ${host} was closed unexpectedly (${detail})`,
      'retry later; if it persists, a proxy or firewall may be cutting the connection',
      error,
    );
  }
  if (codes.some((code) => code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return new NetworkError(
      'tls-handshake',
      host,
      `TLS handshake with ${host} failed (${detail})`,
      'check that the server speaks TLS on this port, or pass --cacert / --insecure',
      error,
    );
  }
  if (codes.includes('UND_ERR_ABORTED') && via) {
    return new NetworkError(
      'proxy',
      host,
      `the proxy ${via} refused the connection to ${host} (${detail})`,
      'check the proxy settings',
      error,
    );
  }
  return new NetworkError(
    'other',
    host,
    `cannot reach ${host}: ${detail}`,
    'check the network connection and proxy settings',
    error,
  );
}
