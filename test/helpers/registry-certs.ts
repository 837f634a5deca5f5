import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM certificate, self-signed and marked as a CA, so it is its own trust anchor. */
  readonly certFile: string;
  readonly keyFile: string;
}

/** The names every test certificate covers: loopback, and a name only a test proxy can resolve. */
export const TEST_TLS_NAMES = ['127.0.0.1', 'localhost', 'registry.example'];

/** A self-signed server certificate made with openssl, as the recipes' make-certs.sh does. */
export function makeTestCertificate(dir: string, name = 'server'): TestCertificate {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '2',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:registry.example',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}
