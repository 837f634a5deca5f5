export { type DatabaseCoverage, renderDatabaseCoverage } from './coverage.ts';
export { renderJsonReport } from './json-writer.ts';
export type { TableOptions } from './table-writer.ts';
export { renderTableReport } from './table-writer.ts';
export type {
  CauseMetadata,
  CodeLine,
  CvssScore,
  DataSource,
  DetectedMisconfiguration,
  DetectedVulnerability,
  MisconfSummary,
  ModifiedFinding,
  Report,
  ReportMetadata,
  ReportOs,
  Result,
  Severity,
} from './types.ts';
export { compareVulnerabilities, SEVERITIES, severityRank } from './types.ts';
