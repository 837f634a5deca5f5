/**
 * Air-gap in one command: mirroring the databases into a private registry or an OCI layout,
 * one-file offline bundles, and cosign-compatible signatures. The stores (`store/`) and
 * signatures (`signature/`) are lower layers the DB lifecycle uses too.
 */
export {
  type BundleContents,
  type BundleEntry,
  type BundleEntryKind,
  entryAgeMs,
  inspectBundle,
} from './bundle-contents.ts';
export {
  type BundleCreateDeps,
  type BundleCreateRequest,
  type BundledArtifact,
  createBundle,
  type VexRepositoryToBundle,
} from './bundle-create.ts';
export {
  type BundleImportDeps,
  type BundleImportRequest,
  type ImportedArtifact,
  importBundle,
} from './bundle-import.ts';
export { BUNDLE_ANNOTATIONS } from './bundle-writer.ts';
export type { CopyTally } from './copy-artifact.ts';
export {
  type MirrorDeps,
  type MirroredArtifact,
  type MirrorRequest,
  type MirrorTarget,
  mirrorArtifacts,
  mirrorDestination,
  parseMirrorTarget,
} from './mirror.ts';
export {
  loadSigningKey,
  loadVerificationKeys,
  type SignOutcome,
  signArtifact,
  verifyArtifactSignature,
} from './signature/index.ts';
export { type BundleVexOptions, recordImportedVexRepositories, vexRepositoriesToBundle } from './vex-repositories.ts';
