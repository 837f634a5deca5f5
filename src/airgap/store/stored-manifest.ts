import { digestMismatch, parseManifestDocument, sha256Digest } from '../../oci/registry/index.ts';
import type { StoredManifest } from './types.ts';

/** Manifest bytes parsed and checked: when `expectedDigest` is given, the bytes must hash to it. */
export function storedManifest(
  bytes: Buffer,
  where: string,
  expectedDigest?: string,
  contentType?: string,
): StoredManifest {
  const digest = sha256Digest(bytes);
  if (expectedDigest !== undefined && expectedDigest !== digest) throw digestMismatch(where, expectedDigest, digest);
  const { mediaType, document } = parseManifestDocument(bytes, contentType, where);
  return {
    digest,
    mediaType,
    bytes,
    ...(document.kind === 'manifest' ? { manifest: document.manifest } : { index: document.index }),
  };
}

/** The tag cosign gives the signatures of a manifest: `sha256-<hex>.sig`. */
export function signatureTag(manifestDigest: string): string {
  return `${manifestDigest.replace(':', '-')}.sig`;
}
