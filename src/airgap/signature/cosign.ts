import { sign, verify } from 'node:crypto';
import { VigilError } from '../../errors/index.ts';
import type { Descriptor } from '../../oci/image/index.ts';
import { MEDIA_TYPES } from '../../oci/image/index.ts';
import {
  type ArtifactRepository,
  type ArtifactRepositoryWriter,
  MemoryBlobs,
  readSmallBlob,
  type StoredManifest,
  signatureTag,
  storedManifest,
} from '../store/index.ts';
import type { SigningKey, VerificationKey } from './keys.ts';

/**
 * cosign's key-based signatures (sigstore/cosign pkg/oci/static, sigstore payload): the tag
 * `sha256-<hex>.sig` of the signed manifest's repository holds an image manifest whose layers are
 * simple-signing JSON payloads naming the manifest digest, each with its base64 ASN.1 DER ECDSA
 * signature in an annotation. Verification needs nothing but the key and the repository, so it
 * works offline and survives mirroring (the payload names the digest, not where it is stored).
 */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';
const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_SIGNATURE_LAYERS = 64;

/** The simple-signing payload, in the field order cosign writes it. */
export function simpleSigningPayload(dockerReference: string, manifestDigest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': manifestDigest },
        type: COSIGN_SIGNATURE_TYPE,
      },
      optional: null,
    }),
  );
}

/** ECDSA P-256 over SHA-256, DER encoded, in base64 (what the annotation holds). */
export function signPayload(payload: Buffer, key: SigningKey): string {
  return sign('sha256', payload, { key: key.privateKey, dsaEncoding: 'der' }).toString('base64');
}

function signatureValid(payload: Buffer, base64: string, key: VerificationKey): boolean {
  const signature = Buffer.from(base64, 'base64');
  if (signature.length === 0 || signature.length > 256) return false;
  try {
    return verify('sha256', payload, { key: key.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

interface SignedPayload {
  readonly layer: Descriptor;
  readonly payload: Buffer;
  readonly signature: string;
  readonly digest: string | undefined;
}

/** The payload's claims, when it is a cosign container image signature. */
function claimedDigest(payload: Buffer): string | undefined {
  try {
    const document = JSON.parse(payload.toString('utf8')) as {
      critical?: { type?: unknown; image?: { 'docker-manifest-digest'?: unknown } };
    };
    const critical = document.critical;
    if (critical?.type !== COSIGN_SIGNATURE_TYPE) return undefined;
    const digest = critical.image?.['docker-manifest-digest'];
    return typeof digest === 'string' ? digest : undefined;
  } catch {
    return undefined;
  }
}

async function signedPayloads(
  repository: ArtifactRepository,
  signatures: StoredManifest,
  signal?: AbortSignal,
): Promise<SignedPayload[]> {
  const layers = (signatures.manifest?.layers ?? []).filter(
    (layer) => layer.mediaType === SIMPLE_SIGNING_MEDIA_TYPE && layer.annotations?.[SIGNATURE_ANNOTATION],
  );
  const found: SignedPayload[] = [];
  for (const layer of layers.slice(0, MAX_SIGNATURE_LAYERS)) {
    const payload = await readSmallBlob(repository, layer, MAX_PAYLOAD_BYTES, signal);
    found.push({
      layer,
      payload,
      signature: layer.annotations?.[SIGNATURE_ANNOTATION] as string,
      digest: claimedDigest(payload),
    });
  }
  return found;
}

export interface VerifiedSignature {
  readonly keyId: string;
  readonly keyPath: string;
  /** The digest of the `.sig` manifest that held the signature. */
  readonly signatureDigest: string;
}

/**
 * Checks that `manifestDigest` carries a signature by one of `keys`; throws a clear error when it
 * is unsigned or signed only by other keys (or for another digest).
 */
export async function verifyArtifactSignature(
  repository: ArtifactRepository,
  manifestDigest: string,
  keys: readonly VerificationKey[],
  what: string,
  signal?: AbortSignal,
): Promise<VerifiedSignature> {
  const tag = signatureTag(manifestDigest);
  const signatures = await repository.findManifest(tag, signal);
  const keyNames = keys.map((key) => key.path).join(', ');
  if (!signatures) {
    throw new VigilError(
      'ARTIFACT_UNSIGNED',
      `${what} (${manifestDigest}) is not signed: ${repository.description} has no ${tag}`,
      {
        hint: `sign it with 'vigil db sign --key KEY' (or cosign sign --key), or drop --db-signature-key to accept unsigned databases`,
      },
    );
  }
  const payloads = await signedPayloads(repository, signatures, signal);
  for (const entry of payloads) {
    if (entry.digest !== manifestDigest) continue;
    for (const key of keys) {
      if (signatureValid(entry.payload, entry.signature, key)) {
        return { keyId: key.keyId, keyPath: key.path, signatureDigest: signatures.digest };
      }
    }
  }
  const forOther = payloads.filter((entry) => entry.digest !== manifestDigest).length;
  const detail =
    payloads.length === 0
      ? 'its signature manifest holds no cosign signature'
      : `none of its ${payloads.length} signature(s) is by ${keyNames}${forOther > 0 ? ` (${forOther} name another digest)` : ''}`;
  throw new VigilError('SIGNATURE_MISMATCH', `${what} (${manifestDigest}) failed signature verification: ${detail}`, {
    hint: 'the artifact was signed with another key or altered; get it from a trusted source, or check --db-signature-key',
  });
}

/** The `.sig` manifest cosign writes: an OCI image whose layers are the payloads. */
function signatureManifestBytes(config: Descriptor, layers: readonly Descriptor[]): Buffer {
  const descriptor = (entry: Descriptor) => ({
    mediaType: entry.mediaType,
    size: entry.size,
    digest: entry.digest,
    ...(entry.annotations ? { annotations: entry.annotations } : {}),
  });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: descriptor(config),
      layers: layers.map(descriptor),
    }),
  );
}

/** An image config naming the layers, as go-containerregistry's empty image gets when layers are appended. */
function signatureConfigBytes(layers: readonly Descriptor[]): Buffer {
  const zero = '0001-01-01T00:00:00Z';
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      created: zero,
      history: layers.map(() => ({ created: zero })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
      config: {},
    }),
  );
}

export interface SignOutcome {
  readonly tag: string;
  readonly signatureDigest: string;
  /** False when the manifest already carried a signature by this key. */
  readonly added: boolean;
}

/**
 * Signs `manifestDigest` and stores the signature next to it (`sha256-<hex>.sig` in `writer`),
 * keeping any signatures already there, as cosign does.
 */
export async function signArtifact(
  source: ArtifactRepository,
  writer: ArtifactRepositoryWriter,
  manifestDigest: string,
  dockerReference: string,
  key: SigningKey,
  signal?: AbortSignal,
): Promise<SignOutcome> {
  const tag = signatureTag(manifestDigest);
  const existing = await source.findManifest(tag, signal);
  const previous = existing ? await signedPayloads(source, existing, signal) : [];
  const mine = { path: key.path, keyId: key.keyId, publicKey: key.privateKey };
  if (
    existing &&
    previous.some((entry) => entry.digest === manifestDigest && signatureValid(entry.payload, entry.signature, mine))
  ) {
    return { tag, signatureDigest: existing.digest, added: false };
  }
  const generated = new MemoryBlobs();
  const payload = simpleSigningPayload(dockerReference, manifestDigest);
  const layer = generated.add(payload, SIMPLE_SIGNING_MEDIA_TYPE, {
    [SIGNATURE_ANNOTATION]: signPayload(payload, key),
  });
  const layers = [...(existing?.manifest?.layers ?? []), layer];
  const config = generated.add(signatureConfigBytes(layers), OCI_CONFIG_MEDIA_TYPE);
  for (const blob of existing?.manifest?.layers ?? []) await writer.putBlob(blob, source, { signal });
  await writer.putBlob(layer, generated, { signal });
  await writer.putBlob(config, generated, { signal });
  const manifest = storedManifest(signatureManifestBytes(config, layers), `signature manifest ${tag}`);
  await writer.putManifest(manifest, tag, signal);
  return { tag, signatureDigest: manifest.digest, added: true };
}
