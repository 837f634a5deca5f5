import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { SecureContext } from 'node:tls';
import { VigilError } from '../errors/index.ts';
import type { Environment } from './types.ts';

const MAX_CA_FILE_BYTES = 16 * 1024 * 1024;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Where a trusted certificate came from, for messages. */
export interface CaSource {
  readonly path: string;
  /** The option or variable that named it. */
  readonly origin: string;
}

/**
 * The CA certificates every TLS connection trusts: Node's bundled roots and the system store, plus
 * NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and --cacert. Node reads neither SSL_CERT_FILE nor (for an
 * injected environment) NODE_EXTRA_CA_CERTS itself, so they are loaded here explicitly.
 */
export function trustedCertificates(caFiles: readonly string[], env: Environment): string[] {
  const sources: CaSource[] = [];
  if (env.NODE_EXTRA_CA_CERTS) sources.push({ path: env.NODE_EXTRA_CA_CERTS, origin: 'NODE_EXTRA_CA_CERTS' });
  if (env.SSL_CERT_FILE) sources.push({ path: env.SSL_CERT_FILE, origin: 'SSL_CERT_FILE' });
  for (const path of caFiles) sources.push({ path, origin: '--cacert' });
  const certificates = new Set<string>([...systemCertificates()]);
  for (const source of sources) {
    for (const pem of readCaFile(source)) certificates.add(pem);
  }
  return [...certificates];
}

/**
 * One TLS context holding every trusted CA, for all of a client's connections: given the CA list
 * instead, Node parses all ~270 certificates again for each connection (~17 ms and 2 MB, measured).
 */
export function trustedSecureContext(caFiles: readonly string[], env: Environment): SecureContext {
  const { createSecureContext } = process.getBuiltinModule('node:tls');
  return createSecureContext({ ca: trustedCertificates(caFiles, env) });
}

let systemCache: readonly string[] | undefined;

function systemCertificates(): readonly string[] {
  if (!systemCache) {
    // node:tls is loaded only once a TLS connection is about to be made: offline and plain-HTTP
    // runs never pay for it (about 10 MB of memory and 50 ms, measured).
    const { getCACertificates } = process.getBuiltinModule('node:tls');
    const all = new Set<string>(getCACertificates('bundled'));
    try {
      for (const pem of getCACertificates('system')) all.add(pem);
    } catch {
      // No readable system store: the bundled roots still apply.
    }
    systemCache = [...all];
  }
  return systemCache;
}

/** The PEM certificates of one file; a missing, unreadable or certificate-free file is a clear error. */
export function readCaFile(source: CaSource): string[] {
  const fail = (why: string): never => {
    throw new VigilError(
      'CA_FILE_INVALID',
      `cannot use ${source.path} (from ${source.origin}) as CA certificates: ${why}`,
      {
        hint: `point ${source.origin} at a PEM file holding one or more "BEGIN CERTIFICATE" blocks`,
      },
    );
  };
  let text: string;
  try {
    const size = statSync(source.path).size;
    if (size > MAX_CA_FILE_BYTES) fail('larger than 16 MiB');
    text = readFileSync(source.path, 'utf8');
  } catch (error) {
    if (error instanceof VigilError) throw error;
    return fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) fail('no PEM certificate in it');
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      fail(`a certificate does not parse (${(error as Error).message})`);
    }
  }
  return blocks;
}
