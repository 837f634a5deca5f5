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
export { parseXFlags, splitShellWords, versionFromLdflags } from './ldflags.ts';
export { type GoBuildInfo, type GoBuildSetting, type GoModule, parseModInfo } from './modinfo.ts';
