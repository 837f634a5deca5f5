export { flattenRedHatAdvisories } from './redhat.ts';
export { type IdSearchResult, type PackageSearchResult, searchById, searchPackage } from './search.ts';
export {
  type AdvisoryHit,
  DATA_SOURCE_BUCKET,
  type OpenTrivyDbOptions,
  openTrivyDb,
  RED_HAT_BUCKET,
  RED_HAT_CPE_BUCKET,
  type RedHatCpeQuery,
  type TrivyDb,
  VULNERABILITY_BUCKET,
} from './trivy-db.ts';
export {
  type Advisory,
  type Cvss,
  type DataSource,
  LANGUAGE_ECOSYSTEMS,
  normalizePackageName,
  type RedHatEntry,
  SEVERITY_NAMES,
  type SeverityName,
  STATUS_NAMES,
  type StatusName,
  severityName,
  statusFromJson,
  statusName,
  type Vulnerability,
} from './types.ts';
