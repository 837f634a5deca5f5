export {
  chooseMainVersion,
  elfSymbolVersion,
  type GoBinaryPackages,
  parseGoBinary,
  stdlibVersion,
} from './binary-parser.ts';
export { ERR_NOT_GO_BINARY, ERR_UNRECOGNIZED_EXE, type RawBuildInfo, readRawBuildInfo } from './buildinfo.ts';
export { isPseudoVersion, isValidGoSemver } from './go-semver.ts';
export { GO_BINARY, goBinaryAnalyzer } from './gobinary-analyzer.ts';
export { createGoModAnalyzer, defaultGoModCacheDir, GO_MODULE, type GoModAnalyzerOptions } from './gomod-analyzer.ts';
export {
  type GoModOptions,
  type GoModPackages,
  lessThanGo117,
  minimumToolchainVersion,
  parseGoMod,
  parseGoSum,
} from './gomod-parser.ts';
export { parseXFlags, splitShellWords, versionFromLdflags } from './ldflags.ts';
export { type ModFile, type ModReplace, type ModRequire, parseModFile } from './modfile.ts';
export { type GoBuildInfo, type GoBuildSetting, type GoModule, parseModInfo } from './modinfo.ts';
export { escapeModulePath, LICENSE_FILE } from './module-sources.ts';
