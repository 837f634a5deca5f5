export { type BlobFileSink, openBlobFileSink, type VerifiedBlobWrite, writeVerifiedBlob } from './blob-download.ts';
export { type AuthChallenge, parseChallenges, preferredChallenge } from './challenge.ts';
export {
  ANONYMOUS,
  type CredentialOptions,
  type CredentialProvider,
  createCredentialProvider,
  type RegistryCredential,
  staticCredentials,
} from './credentials.ts';
export {
  assertSha256Digest,
  blobTooLong,
  blobTruncated,
  DigestVerifier,
  digestMismatch,
  sha256Digest,
} from './digest-verifier.ts';
export {
  type AuthFile,
  type CredentialHelperRunner,
  credentialFromAuthFile,
  credentialHelperRunner,
  findAuthFile,
  type HelperAnswer,
  loadAuthFile,
} from './docker-config.ts';
export {
  MANIFEST_ACCEPT,
  MAX_MANIFEST_BYTES,
  type ManifestDocument,
  parseManifestDocument,
} from './manifest-document.ts';
export {
  DOCKER_HUB,
  formatReference,
  isDigest,
  isDockerHub,
  isLoopbackRegistry,
  manifestIdentifier,
  type ParseReferenceOptions,
  parseReference,
  type Reference,
  registryApiHost,
} from './reference.ts';
export {
  type BlobReadOptions,
  type FetchedManifest,
  type ManifestHead,
  RegistryClient,
  type RegistryClientOptions,
} from './registry-client.ts';
export { RegistryError, registryError } from './registry-error.ts';
export type { BlobContent, PushBlobOptions, PushBlobResult } from './registry-push.ts';
export {
  type RegistryEndpoint,
  RegistrySession,
  type RegistrySessionOptions,
  type RepositoryAction,
  type RepositoryTarget,
} from './registry-session.ts';
