import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult, Analyzer, Application, Package } from '../../types.ts';
import { buildApplication, packageId, uniquePackages } from '../application.ts';
import { analysisResult, parseWarning, readText } from '../lock-file-analyzer.ts';
import { pomLicenseName } from './license-refs.ts';
import { child, children, childText, parseXml } from './xml-tree.ts';

/** Trivy's application type for Gradle lock files. */
export const GRADLE = 'gradle';

/**
 * `gradle.lockfile` lines (`group:artifact:version=conf1,conf2`); a dependency only in `test…`
 * configurations is a dev dependency.
 */
export function parseGradleLockfile(text: string): Package[] {
  const packages: Package[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith('#')) return;
    const parts = line.split(':');
    if (parts.length !== 3) return;
    const [group = '', artifact = '', rest = ''] = parts;
    const eq = rest.indexOf('=');
    const version = eq === -1 ? rest : rest.slice(0, eq);
    const configurations = eq === -1 ? [''] : rest.slice(eq + 1).split(',');
    const name = `${group}:${artifact}`;
    packages.push({
      ID: packageId(name, version, ':'),
      Name: name,
      Version: version,
      Locations: [{ StartLine: index + 1, EndLine: index + 1 }],
      Dev: configurations.every((configuration) => configuration.startsWith('test')),
    });
  });
  return uniquePackages(packages);
}

/** What the Gradle cache's pom files add: licences and each artifact's own dependencies. */
export interface GradleCachePom {
  groupId: string;
  artifactId: string;
  version: string;
  licenses: string[];
  dependencies: { groupId: string; artifactId: string; version: string }[];
}

/**
 * A pom from `caches/modules-2/files-2.1/<group>/<artifact>/<version>/<hash>/<file>.pom`: group
 * and version fall back to the path; `${property}` versions come from its own properties.
 * Undefined when it has neither licences nor dependencies; throws when a version cannot be resolved.
 */
export function parseGradleCachePom(xml: string | Buffer, path: string): GradleCachePom | undefined {
  const project = parseXml(xml);
  const licenses = children(child(project, 'licenses'), 'license')
    .map((license) => pomLicenseName(childText(license, 'name'), childText(license, 'url')))
    .filter((name) => name !== '');
  const declared = children(child(project, 'dependencies'), 'dependency');
  if (licenses.length === 0 && declared.length === 0) return undefined;
  const properties = new Map(child(project, 'properties')?.children.map((p) => [p.name, p.text.trim()]) ?? []);
  const dirs = path.split('/');
  const pom: GradleCachePom = {
    groupId: childText(project, 'groupId') || (dirs[dirs.length - 5] ?? ''),
    artifactId: childText(project, 'artifactId'),
    version: childText(project, 'version') || (dirs[dirs.length - 3] ?? ''),
    licenses,
    dependencies: [],
  };
  for (const dependency of declared) {
    let version = childText(dependency, 'version');
    const property = /^\$\{(.+)\}$/.exec(version)?.[1];
    if (property !== undefined) {
      const resolved = properties.get(property);
      if (resolved === undefined) throw new Error(`unable to resolve ${version} in ${path}`);
      version = resolved;
    }
    pom.dependencies.push({
      groupId: childText(dependency, 'groupId'),
      artifactId: childText(dependency, 'artifactId'),
      version,
    });
  }
  return pom;
}

const MAX_POM = 1024 * 1024;
const MAX_POMS = 500_000;

/** Every parsable pom under a Gradle `caches` directory, by `group:artifact:version`. */
export function readGradleCachePoms(cachesDir: string): Map<string, GradleCachePom> {
  const poms = new Map<string, GradleCachePom>();
  let seen = 0;
  const walk = (relative: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(cachesDir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (seen >= MAX_POMS) return;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.pom')) {
        seen += 1;
        try {
          const file = join(cachesDir, path);
          if (statSync(file).size > MAX_POM) continue;
          const pom = parseGradleCachePom(readFileSync(file), path);
          if (pom && pom.artifactId !== '')
            poms.set(packageId(`${pom.groupId}:${pom.artifactId}`, pom.version, ':'), pom);
        } catch {
          // Trivy skips poms it cannot read.
        }
      }
    }
  };
  walk('');
  return poms;
}

export interface GradleAnalyzerOptions {
  /** `$GRADLE_USER_HOME/caches` (default `~/.gradle/caches`) on the scanning machine, if any. */
  gradleCachesDir?: string;
}

/**
 * `*gradle.lockfile` in directory scans; licences and dependency edges come from the poms in
 * the Gradle cache, read once per analysis when a lock file is found.
 */
export function createGradleLockAnalyzer(options: GradleAnalyzerOptions = {}): Analyzer {
  return {
    type: 'gradle-lockfile',
    version: 2,
    scanKinds: ['fs'],
    required: (path) => path.endsWith('gradle.lockfile'),
    analyze: async (files, context): Promise<AnalysisResult> => {
      const applications: Application[] = [];
      const warnings: string[] = [];
      let poms: Map<string, GradleCachePom> | undefined;
      for (const path of [...files.paths()].sort()) {
        let packages: Package[];
        try {
          packages = parseGradleLockfile(await readText(files, path));
        } catch (error) {
          warnings.push(parseWarning(path, error));
          continue;
        }
        if (options.gradleCachesDir && packages.length > 0) {
          poms ??= readGradleCachePoms(options.gradleCachesDir);
          const ids = new Set(packages.map((pkg) => pkg.ID));
          for (const pkg of packages) {
            const pom = poms.get(pkg.ID ?? '');
            if (!pom) continue;
            if (pom.licenses.length > 0) pkg.Licenses = pom.licenses;
            const dependsOn = pom.dependencies
              .map((dep) => packageId(`${dep.groupId}:${dep.artifactId}`, dep.version, ':'))
              .filter((id) => ids.has(id));
            if (dependsOn.length > 0) pkg.DependsOn = dependsOn.sort();
          }
        }
        const app = buildApplication(GRADLE, path, { packages }, context);
        if (app) applications.push(app);
      }
      return analysisResult(applications, warnings);
    },
  };
}
