export { buildDockerfileAnalyzer, buildInfoAnalyzers, contentManifestAnalyzer } from './analyzers.ts';
export { BUILD_DOCKERFILE_DIR, isBuildDockerfilePath, parseBuildDockerfile } from './build-dockerfile.ts';
export {
  CONTENT_MANIFEST_DIRS,
  type ContentManifest,
  isContentManifestPath,
  parseContentManifest,
} from './content-manifest.ts';
export { mergeBuildInfo } from './merge.ts';
export { expandShellWord, MAX_EXPANDED_WORD, ShellWordError, WordLimitError } from './shell-words.ts';
