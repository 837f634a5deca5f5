import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { describeError, VigilError } from '../../errors/index.ts';

/**
 * ECDSA P-256 keys as PEM files, the key type cosign generates. Private keys are unencrypted
 * PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`); public keys are SPKI
 * (`BEGIN PUBLIC KEY`, the format of cosign.pub).
 */
export interface SigningKey {
  readonly path: string;
  readonly privateKey: KeyObject;
  readonly keyId: string;
}

export interface VerificationKey {
  readonly path: string;
  readonly publicKey: KeyObject;
  /** sha256 of the key's SubjectPublicKeyInfo, in hex: names the key in records and messages. */
  readonly keyId: string;
}

const MAX_KEY_BYTES = 64 * 1024;
const CONVERT_HINT =
  'use an unencrypted PKCS#8 EC P-256 key, e.g. openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt -out vigil.key ' +
  '(cosign import-key-pair --key vigil.key makes a cosign key of it, so both tools sign with one key)';

async function readKeyFile(path: string, what: string): Promise<string> {
  try {
    const info = await stat(path);
    if (info.size > MAX_KEY_BYTES) throw new Error('larger than 64 KiB');
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new VigilError('KEY_UNREADABLE', `cannot read the ${what} ${path}: ${describeError(error)}`, {
      hint: 'give the path of a PEM file',
    });
  }
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function checkP256(key: KeyObject, path: string, what: string): void {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    const kind =
      key.asymmetricKeyType === 'ec' ? `an EC ${details?.namedCurve ?? ''} key` : `a ${key.asymmetricKeyType} key`;
    throw new VigilError('KEY_UNSUPPORTED', `the ${what} ${path} is ${kind}, not ECDSA P-256`, { hint: CONVERT_HINT });
  }
}

export async function loadSigningKey(path: string): Promise<SigningKey> {
  const text = await readKeyFile(path, 'signing key');
  if (/-----BEGIN ENCRYPTED (?:SIGSTORE|COSIGN) PRIVATE KEY-----/.test(text)) {
    throw new VigilError('KEY_UNSUPPORTED', `${path} is in cosign's encrypted key format, which Vigil does not read`, {
      hint: CONVERT_HINT,
    });
  }
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw new VigilError('KEY_UNSUPPORTED', `${path} is a password-protected key`, { hint: CONVERT_HINT });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(text);
  } catch (error) {
    throw new VigilError('KEY_INVALID', `${path} is not a PEM private key: ${describeError(error)}`, {
      hint: CONVERT_HINT,
    });
  }
  checkP256(privateKey, path, 'signing key');
  return { path, privateKey, keyId: publicKeyId(createPublicKey(privateKey)) };
}

export async function loadVerificationKey(path: string): Promise<VerificationKey> {
  const text = await readKeyFile(path, 'public key');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(text);
  } catch (error) {
    throw new VigilError('KEY_INVALID', `${path} is not a PEM public key: ${describeError(error)}`, {
      hint: 'give the public key (BEGIN PUBLIC KEY), such as cosign.pub',
    });
  }
  checkP256(publicKey, path, 'public key');
  return { path, publicKey, keyId: publicKeyId(publicKey) };
}

export function loadVerificationKeys(paths: readonly string[]): Promise<VerificationKey[]> {
  return Promise.all(paths.map((path) => loadVerificationKey(path)));
}
