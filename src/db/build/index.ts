export { type ArchiveSummary, checkArtifactArchive } from './archive-check.ts';
export { type DbMetadata, dbMetadata, goTimeText, TRIVY_DB_SCHEMA_VERSION, writeDbArchive } from './artifact.ts';
export {
  type ArtifactPushPlan,
  artifactKindForFile,
  DB_ARTIFACT_TYPES,
  type DbArtifactKind,
  type DbArtifactType,
  OCI_MANIFEST_MEDIA_TYPE,
  type OciDescriptor,
  planArtifactPush,
  sha256File,
  TITLE_ANNOTATION,
} from './artifact-manifest.ts';
export { type BuildSummary, type BuildTrivyDbOptions, buildTrivyDb, buildTrivyTree, fixtureFiles } from './build.ts';
export { cvss3Score } from './cvss.ts';
export {
  finalizeTrivyLayout,
  isRejected,
  normalizeVulnerability,
  SOURCE_PRECEDENCE,
  type VulnerabilityDetail,
} from './finalize.ts';
export { fixtureValue, loadBoltFixtures } from './fixtures.ts';
export { goJson } from './go-json.ts';
export { addOsvEntry, listOsvFiles, loadOsvDirectories, type OsvLoadOptions } from './osv.ts';
export { parseAffectedVersions, rangeText } from './osv-ranges.ts';
export { type PushArtifactOptions, type PushArtifactResult, pushArtifactFile } from './push-artifact.ts';
