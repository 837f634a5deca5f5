/** cosign-compatible key-based signatures of OCI artifacts: sign, and verify offline. */
export {
  COSIGN_SIGNATURE_TYPE,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  type SignOutcome,
  signArtifact,
  signPayload,
  simpleSigningPayload,
  type VerifiedSignature,
  verifyArtifactSignature,
} from './cosign.ts';
export {
  loadSigningKey,
  loadVerificationKey,
  loadVerificationKeys,
  publicKeyId,
  type SigningKey,
  type VerificationKey,
} from './keys.ts';
