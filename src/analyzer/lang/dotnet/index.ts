export { dotnetDepsAnalyzer, nugetAnalyzer, packagesPropsAnalyzer } from './analyzers.ts';
export { parseDepsJson } from './deps-json.ts';
export { parseNugetLock } from './nuget-lock.ts';
export { nuspecLicenses } from './nuspec.ts';
export { parsePackagesConfig } from './packages-config.ts';
export { parsePackagesProps } from './packages-props.ts';
