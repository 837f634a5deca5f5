import type { MatchOptions, SchemeName } from './types.ts';

/**
 * trivy-db's language ecosystems (`pkg/ecosystem`): advisories for one live in the buckets named
 * `<ecosystem>::<data source>`, e.g. `npm::GitHub Security Advisory npm`.
 */
export type Ecosystem =
  | 'npm'
  | 'composer'
  | 'pip'
  | 'rubygems'
  | 'cargo'
  | 'julia'
  | 'nuget'
  | 'maven'
  | 'go'
  | 'conan'
  | 'erlang'
  | 'pub'
  | 'swift'
  | 'cocoapods'
  | 'bitnami'
  | 'k8s';

export interface LanguageEcosystem {
  readonly ecosystem: Ecosystem;
  /** The scheme its advisories' ranges are written in. */
  readonly scheme: SchemeName;
  /** How Trivy matches its advisories (npm and pip include pre-releases). */
  readonly matchOptions: MatchOptions;
}

/** Trivy's comparer per ecosystem (pkg/detector/library/driver.go): everything not listed is generic. */
const ECOSYSTEM_SCHEMES: Partial<Readonly<Record<Ecosystem, SchemeName>>> = {
  npm: 'npm',
  pip: 'pep440',
  rubygems: 'rubygems',
  cocoapods: 'rubygems',
  maven: 'maven',
  bitnami: 'bitnami',
};

const PRERELEASES_INCLUDED: Partial<Readonly<Record<Ecosystem, MatchOptions>>> = {
  npm: { includePrerelease: true },
  pip: { includePrerelease: true },
};

export function ecosystemScheme(ecosystem: Ecosystem): SchemeName {
  return ECOSYSTEM_SCHEMES[ecosystem] ?? 'generic';
}

export function ecosystemMatchOptions(ecosystem: Ecosystem): MatchOptions {
  return PRERELEASES_INCLUDED[ecosystem] ?? {};
}

/** Trivy application types (`Application.Type`) → their ecosystem (NewDriver in driver.go). */
const APPLICATION_ECOSYSTEMS: Readonly<Record<string, Ecosystem>> = {
  bundler: 'rubygems',
  gemspec: 'rubygems',
  cargo: 'cargo',
  rustbinary: 'cargo',
  composer: 'composer',
  'composer-vendor': 'composer',
  gomod: 'go',
  gobinary: 'go',
  jar: 'maven',
  pom: 'maven',
  gradle: 'maven',
  sbt: 'maven',
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  bun: 'npm',
  'node-pkg': 'npm',
  javascript: 'npm',
  nuget: 'nuget',
  'dotnet-core': 'nuget',
  'packages-props': 'nuget',
  pip: 'pip',
  pipenv: 'pip',
  poetry: 'pip',
  uv: 'pip',
  pylock: 'pip',
  'python-pkg': 'pip',
  pub: 'pub',
  hex: 'erlang',
  conan: 'conan',
  swift: 'swift',
  cocoapods: 'cocoapods',
  bitnami: 'bitnami',
  kubernetes: 'k8s',
  julia: 'julia',
};

/** Application types Trivy inventories but never checks for vulnerabilities (Conda). */
export const UNCHECKED_APPLICATION_TYPES: ReadonlySet<string> = new Set(['conda-pkg', 'conda-environment']);

/** The ecosystem, scheme and match options for an application type; undefined when Trivy does not check it. */
export function languageEcosystem(applicationType: string): LanguageEcosystem | undefined {
  if (!Object.hasOwn(APPLICATION_ECOSYSTEMS, applicationType)) return undefined;
  const ecosystem = APPLICATION_ECOSYSTEMS[applicationType] as Ecosystem;
  return { ecosystem, scheme: ecosystemScheme(ecosystem), matchOptions: ecosystemMatchOptions(ecosystem) };
}

/** The prefix of the ecosystem's advisory buckets: `npm::`, `pip::`, … */
export function advisoryBucketPrefix(ecosystem: Ecosystem): string {
  return `${ecosystem}::`;
}

/**
 * A package name as trivy-db keys its advisories (`vulnerability.NormalizePkgName`): PyPI names
 * lower-cased with `_` as `-`; Swift package URLs without `https://` and `.git`; Go module paths,
 * CocoaPods and Julia names as they are; everything else (npm, Maven `group:artifact`, NuGet, …)
 * lower-cased.
 */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  switch (ecosystem) {
    case 'pip':
      return name.toLowerCase().replaceAll('_', '-');
    case 'swift': {
      const withoutScheme = name.startsWith('https://') ? name.slice('https://'.length) : name;
      return withoutScheme.endsWith('.git') ? withoutScheme.slice(0, -'.git'.length) : withoutScheme;
    }
    case 'go':
    case 'cocoapods':
    case 'julia':
      return name;
    default:
      return name.toLowerCase();
  }
}
