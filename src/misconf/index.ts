/**
 * Misconfiguration scanning: Dockerfile and Kubernetes inputs in Trivy's shapes, check loading
 * (checks bundle, embedded checks, --config-check), selectors, evaluation with the Rego engine and
 * Trivy's `config` results.
 */

export type { CheckOrigin, RegoFile } from './check-files.ts';
export { collectRegoFiles, isCheckFile } from './check-files.ts';
export type { CheckMetadata, CheckSelector } from './check-metadata.ts';
export type { CheckInput, CheckOutcome, ConfigType } from './check-runner.ts';
export { isCheckApplicable, runChecks } from './check-runner.ts';
export type { Check, CheckSet, CheckSetOptions } from './check-set.ts';
export { BUILTIN_NAMESPACES, buildCheckSet } from './check-set.ts';
export type { ChecksBundleInfo, ObtainChecksOptions } from './checks-bundle.ts';
export {
  cachedChecksBundle,
  checksBundleFrom,
  EMBEDDED_CHECKS_DIR,
  embeddedChecks,
  obtainChecksBundle,
} from './checks-bundle.ts';
export { loadConfigData } from './config-data.ts';
export type { ConfigFilesResult } from './config-files.ts';
export { collectConfigFiles, misconfigAnalyzer } from './config-files.ts';
export type { DockerfileCommand, DockerfileDocument, DockerfileStage } from './dockerfile/parse.ts';
export { DockerfileSyntaxError, parseDockerfile } from './dockerfile/parse.ts';
export type { MisconfFilter } from './filter.ts';
export { countMisconfigurationFailures, filterMisconfigurations } from './filter.ts';
export { looksLikeKubernetes, ManifestSyntaxError, parseKubernetesManifests } from './kubernetes/parse.ts';
export type { LoadChecksOptions, LoadedChecks } from './load-checks.ts';
export { describeChecksBundle, loadChecks } from './load-checks.ts';
export { buildConfigResults, codeLines } from './results.ts';
export type { ConfigFile, MisconfScanOptions } from './scan.ts';
export { configTypeOf, isConfigCandidate, isDockerfileName, mightBeConfig, scanMisconfigurations } from './scan.ts';
