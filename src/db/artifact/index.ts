export { type ExtractLimits, type ExtractPlan, type ExtractResult, extractTarGz } from './archive-extract.ts';
export {
  ARTIFACT_SPECS,
  type ArtifactPaths,
  type ArtifactSpec,
  artifactPaths,
  SOURCE_FILE_NAME,
} from './artifact-kinds.ts';
export { type ArtifactStatus, allArtifactStatus, artifactStatus } from './artifact-status.ts';
export { absentCoverage, statusCoverage, usedDbCoverage } from './coverage.ts';
export { checkDbAge, DB_AGE_WARNING_MS, dbAgeMs, formatAge } from './db-age.ts';
export {
  type ArtifactDeps,
  type ArtifactUpdateOptions,
  type CachedChecks,
  type CachedDb,
  ensureChecksBundle,
  ensureJavaDb,
  ensureVulnDb,
  type PullOutcome,
  pullArtifactNow,
} from './ensure-artifact.ts';
export { bboltProblem, sqliteProblem } from './file-format.ts';
export {
  acquireInstallLock,
  createStaging,
  publishFiles,
  publishTree,
  removeAbandonedStaging,
  type StagingArea,
  writeDurably,
} from './install.ts';
export {
  type ChecksMetadataFile,
  checksMetadataText,
  type DbMetadataFile,
  dbMetadataText,
  parseDbMetadata,
  parseGoTime,
  readChecksMetadata,
  readDbMetadata,
  readSourceRecord,
  type SourceRecord,
  sourceRecordText,
} from './metadata.ts';
export { installChecks, installDb } from './publish-artifact.ts';
export {
  artifactShape,
  checkNotOlder,
  type PullDeps,
  type PullGuard,
  type StagedArtifact,
  stageArtifact,
  stageFromRepositories,
  type UnchangedArtifact,
} from './pull-artifact.ts';
export { allLocal, defaultArtifactRepositories, parseArtifactRepositories, pinnedDigests } from './repositories.ts';
export {
  decideChecksUpdate,
  decideDbUpdate,
  decideJavaDbUpdate,
  type LocalChecksState,
  type LocalDbState,
  missingArtifactHint,
  type UpdateDecision,
} from './update-decision.ts';
