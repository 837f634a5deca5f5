export { parseBunLock } from './bun-lock.ts';
export { installedLicenses, licenseFileReference } from './installed-licenses.ts';
export { bunAnalyzer, npmAnalyzer, pnpmAnalyzer } from './lock-file-analyzers.ts';
export { isPackageRoot, nodePkgAnalyzer } from './node-pkg-analyzer.ts';
export { isValidPackageName, type PackageJson, parsePackageJson } from './package-json.ts';
export { parsePackageLock } from './package-lock.ts';
export { parsePnpmLock } from './pnpm-lock.ts';
export { yarnAnalyzer } from './yarn-analyzer.ts';
export { parseYarnLock, type YarnLock } from './yarn-lock.ts';
