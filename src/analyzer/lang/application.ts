import { languagePurl } from '../purl.ts';
import type { AnalyzerContext, Application, Location, Package } from '../types.ts';

/** One edge list of a lock file's dependency graph, by package ID. */
export interface Dependency {
  ID: string;
  DependsOn: string[];
}

/** What a lock-file parser returns: the packages and, where the file records it, the graph. */
export interface ParsedPackages {
  packages: Package[];
  dependencies?: Dependency[];
}

/** `name@version`, or the name alone when the version is empty, as Trivy's dependency.ID. */
export function packageId(name: string, version: string, separator = '@'): string {
  return version === '' ? name : `${name}${separator}${version}`;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareLocations(a: Location, b: Location): number {
  return a.StartLine - b.StartLine || a.EndLine - b.EndLine;
}

const RELATIONSHIP_ORDER: Readonly<Record<string, number>> = { root: 1, workspace: 2, direct: 3, indirect: 4 };
const relationshipRank = (pkg: Package): number => RELATIONSHIP_ORDER[pkg.Relationship ?? ''] ?? 5;

/** Trivy's package order: root, workspace, direct, indirect, then unknown; by name, version, path. */
export function comparePackages(a: Package, b: Package): number {
  return (
    relationshipRank(a) - relationshipRank(b) ||
    compareText(a.Name, b.Name) ||
    compareText(a.Version, b.Version) ||
    compareText(a.FilePath ?? '', b.FilePath ?? '')
  );
}

/**
 * Merges packages listed more than once under the same `name@version` (Trivy's
 * UniquePackages): a package is dev only if every listing is, and locations are combined.
 */
export function uniquePackages(packages: readonly Package[]): Package[] {
  const unique = new Map<string, Package>();
  for (const pkg of packages) {
    const key = `${pkg.Name}@${pkg.Version}`;
    const seen = unique.get(key);
    if (!seen) {
      unique.set(key, { ...pkg, Locations: pkg.Locations ? [...pkg.Locations] : undefined });
      continue;
    }
    if (!pkg.Dev) seen.Dev = pkg.Dev;
    if (pkg.Locations?.length) seen.Locations = [...(seen.Locations ?? []), ...pkg.Locations].sort(compareLocations);
  }
  return [...unique.values()].sort(comparePackages);
}

/**
 * Turns parser output into an Application as Trivy's analyzers do: `DependsOn` from the graph,
 * `Indirect` for indirect packages, empty fields dropped, a PURL per package; dev packages are
 * left out unless the scan includes them. No packages, no application.
 */
export function buildApplication(
  type: string,
  filePath: string,
  parsed: ParsedPackages,
  context: Pick<AnalyzerContext, 'includeDevDeps'>,
): Application | undefined {
  const graph = new Map<string, string[]>();
  for (const dependency of parsed.dependencies ?? []) graph.set(dependency.ID, dependency.DependsOn);
  const packages: Package[] = [];
  for (const source of parsed.packages) {
    if (source.Dev && !context.includeDevDeps) continue;
    const pkg: Package = { ...source };
    const dependsOn = (pkg.ID === undefined ? undefined : graph.get(pkg.ID)) ?? pkg.DependsOn;
    if (dependsOn?.length) pkg.DependsOn = [...dependsOn].sort(compareText);
    else delete pkg.DependsOn;
    if (pkg.Relationship === 'unknown') delete pkg.Relationship;
    if (pkg.Relationship === 'indirect') pkg.Indirect = true;
    if (!pkg.Indirect) delete pkg.Indirect;
    if (!pkg.Dev) delete pkg.Dev;
    if (!pkg.Licenses?.length) delete pkg.Licenses;
    if (!pkg.Locations?.length) delete pkg.Locations;
    if (pkg.ID === undefined || pkg.ID === '') delete pkg.ID;
    const purl = languagePurl(type, pkg);
    if (purl) pkg.Identifier = { ...pkg.Identifier, PURL: purl };
    packages.push(pkg);
  }
  if (packages.length === 0) return undefined;
  return { Type: type, FilePath: filePath, Packages: packages };
}
