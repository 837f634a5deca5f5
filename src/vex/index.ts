/**
 * VEX: OpenVEX, CSAF and CycloneDX documents, VEX repositories (spec 0.1), and filtering
 * findings with them (trivy-compat §8).
 */
export { type ExpectedFormat, loadVexFile, MAX_VEX_DOCUMENT_BYTES, parseVexDocument } from './document.ts';
export {
  suppresses,
  type VexComponent,
  type VexDocument,
  type VexFormat,
  type VexProduct,
  type VexStatement,
  type VexStatus,
} from './model.ts';
export { type ParsedPurl, parsePurl, purlMatches, repositoryPackageKey } from './purl-match.ts';
export { applyVexToReport, ociImagePurl, type ReportVexOptions, type ReportVexOutcome } from './report-filter.ts';
export { type ArchiveKind, DEFAULT_EXTRACT_LIMITS, type ExtractLimits, extractArchive } from './repository/archive.ts';
export { type BuildOptions, type BuildResult, buildRepository } from './repository/build.ts';
export {
  DEFAULT_REPOSITORY_NAME,
  initRepositoryConfig,
  loadRepositoryConfig,
  parseRepositoryConfig,
  type RepositoryConfig,
  type RepositoryConfigEntry,
  readRepositoryConfig,
  repositoryConfigPath,
  VEX_HUB_URL,
} from './repository/config.ts';
export {
  type IndexEntry,
  LocalRepository,
  openLocalRepository,
  parseRepositoryIndex,
  type RepositoryIndex,
} from './repository/local-repository.ts';
export {
  parseGoDuration,
  parseManifest,
  type RepositoryManifest,
  SPEC_VERSION,
  selectVersion,
  splitLocation,
} from './repository/manifest.ts';
export {
  type CacheMetadata,
  manifestUrl,
  type RepositoryNetwork,
  readCacheMetadata,
  repositoryDir,
  type UpdateOptions,
  type UpdateOutcome,
  updateRepository,
} from './repository/update.ts';
export {
  documentSource,
  type LoadedVex,
  type LoadVexOptions,
  loadVexSources,
  type VexSourceReport,
} from './sources.ts';
export { DocumentMatcher, type MatchedStatement } from './statement-matcher.ts';
export {
  applyVex,
  type VexComponentNode,
  type VexFilterResult,
  type VexFinding,
  type VexSource,
  type VexSuppression,
} from './suppress.ts';
