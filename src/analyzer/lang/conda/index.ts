export { condaEnvironmentAnalyzer, condaPackageAnalyzer } from './analyzers.ts';
export { type CondaEnvironment, parseCondaEnvironment, parseCondaSpec } from './environment.ts';
export { parseCondaMeta } from './package-meta.ts';
