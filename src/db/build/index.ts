export { type DbMetadata, dbMetadata, goTimeText, TRIVY_DB_SCHEMA_VERSION, writeDbArchive } from './artifact.ts';
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
