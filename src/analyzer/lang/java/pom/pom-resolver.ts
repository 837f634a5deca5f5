import { posix } from 'node:path';
import { describeError } from '../../../../errors/index.ts';
import type { Package } from '../../../types.ts';
import type { Dependency } from '../../application.ts';
import {
  artifactName,
  type Environment,
  emptyPomContent,
  evaluateVariable,
  isEmptyArtifact,
  isProperty,
  type MavenArtifact,
  newArtifact,
  overrides,
  type Pom,
  type PomDependency,
  parsePomContent,
  pomArtifact,
  pomProperties,
  requestedVersion,
} from './pom-model.ts';
import { pomPackageId } from './pom-package-id.ts';

/**
 * Maven dependency resolution without a network, after Trivy's pom parser: parents (relative
 * path, `../pom.xml`, then the local repository), properties, dependencyManagement with
 * imported BOMs, the root pom's managed versions overriding transitive ones, exclusions
 * (wildcards too), scopes and optional dependencies, soft and hard version requirements, and
 * modules resolved as workspaces of their own.
 */
export interface PomFileSource {
  /** The file's bytes, or undefined when there is no such file. */
  read(path: string): Buffer | undefined;
  isDirectory(path: string): boolean;
}

export interface PomResolverOptions {
  /** The scanned tree (relative paths) and, under `localRepository`, a Maven repository. */
  files: PomFileSource;
  /** Path of the local repository within `files` (Trivy's `~/.m2/repository`); none when undefined. */
  localRepository?: string;
  /** For `${env.X}`. */
  env?: Environment;
  /** Reports what could not be resolved (missing parents, unreadable poms). */
  debug?: (message: string) => void;
}

export interface PomParseResult {
  packages: Package[];
  dependencies: Dependency[];
}

interface AnalysisResult {
  filePath: string;
  artifact: MavenArtifact;
  dependencies: MavenArtifact[];
  dependencyManagement: PomDependency[];
  properties: Record<string, string>;
  modules: string[];
}

interface AnalysisOptions {
  exclusions?: Set<string>;
  depManagement?: PomDependency[];
  rootFilePath: string;
}

/** Parents deeper than this are taken as a cycle. */
const MAX_PARENT_DEPTH = 64;

const emptyResult = (): AnalysisResult => ({
  filePath: '',
  artifact: newArtifact('', '', '', [], undefined, {}),
  dependencies: [],
  dependencyManagement: [],
  properties: {},
  modules: [],
});

function findDependency(name: string, list: readonly PomDependency[] | undefined): PomDependency | undefined {
  return list?.find((dep) => artifactName(dep) === name);
}

function mergeManagements(...lists: (readonly PomDependency[])[]): PomDependency[] {
  const seen = new Set<string>();
  const merged: PomDependency[] = [];
  for (const list of lists) {
    for (const dep of list) {
      const name = artifactName(dep);
      if (seen.has(name)) continue;
      seen.add(name);
      merged.push(dep);
    }
  }
  return merged;
}

function excluded(exclusions: ReadonlySet<string>, art: MavenArtifact): boolean {
  if (exclusions.has(artifactName(art))) return true;
  for (const exclusion of exclusions) {
    const [group = '', artifact = ''] = exclusion.split(':');
    if ((group === art.groupId || group === '*') && (artifact === art.artifactId || artifact === '*')) return true;
  }
  return false;
}

export class PomResolver {
  private readonly options: PomResolverOptions;
  private readonly env: Environment;
  private readonly cache = new Map<string, AnalysisResult>();

  constructor(options: PomResolverOptions) {
    this.options = options;
    this.env = options.env ?? {};
  }

  private debug(message: string): void {
    this.options.debug?.(message);
  }

  /** Per scanned pom (or module): its managed versions shape every transitive resolution. */
  private cacheKey(art: MavenArtifact): string {
    return `${artifactName(art)}:${art.version.text}\u0000${art.rootFilePath}`;
  }

  /** Resolves the pom at `filePath` (content given) into packages and their graph. */
  parse(filePath: string, xml: Buffer | string): PomParseResult {
    const root: Pom = { filePath, content: parsePomContent(xml, true) };
    const result = this.analyze(root, { rootFilePath: filePath });
    this.cache.set(this.cacheKey(result.artifact), result);
    const rootArtifact = { ...result.artifact, relationship: 'root' as const };
    return this.parseRoot(rootArtifact, new Set());
  }

  private parseRoot(root: MavenArtifact, modules: Set<string>): PomParseResult {
    const queue: MavenArtifact[] = [{ ...root, module: false }];
    const packages: Package[] = [];
    const dependencies: Dependency[] = [];
    let rootDepManagement: PomDependency[] = [];
    const unique = new Map<string, MavenArtifact>();
    const uniqueDeps = new Map<string, string[]>();

    for (let art = queue.shift(); art; art = queue.shift()) {
      if (art.module) {
        const id = pomPackageId(artifactName(art), art.version.text, art.rootFilePath);
        if (modules.has(id)) continue;
        modules.add(id);
        const nested = this.parseRoot(art, modules);
        packages.push(...nested.packages);
        dependencies.push(...nested.dependencies);
        continue;
      }
      const known = unique.get(artifactName(art));
      if (known) {
        // A soft requirement met before wins; a hard one overrides it, keeping how it was reached.
        if (!overrides(known.version, art.version)) continue;
        if (['root', 'workspace', 'direct'].includes(known.relationship)) art.relationship = known.relationship;
        if (known.locations) art.locations = known.locations;
      }
      const result = this.resolve(art, rootDepManagement);
      if (art.relationship === 'root' || art.relationship === 'workspace') {
        // Managed versions in the root pom apply to every transitive dependency.
        rootDepManagement = this.resolveDepManagement(result.properties, result.dependencyManagement);
        result.dependencies = result.dependencies.map((dep) => ({ ...dep, relationship: 'direct' }));
      }
      for (const relativePath of result.modules) {
        try {
          queue.push(this.parseModule(result.filePath, relativePath));
        } catch (error) {
          this.debug(`unable to parse module ${relativePath} of ${result.filePath}: ${describeError(error)}`);
        }
      }
      queue.push(...result.dependencies);
      if (art.groupId !== '' && art.artifactId !== '') {
        unique.set(artifactName(art), { ...art, licenses: result.artifact.licenses });
        uniqueDeps.set(
          pomPackageId(artifactName(art), art.version.text, root.rootFilePath),
          result.dependencies.map(artifactName),
        );
      }
    }

    for (const [name, art] of unique) {
      const id = pomPackageId(name, art.version.text, root.rootFilePath);
      const pkg: Package = { ID: id, Name: name, Version: art.version.text, Relationship: art.relationship };
      if (art.licenses.length > 0) pkg.Licenses = art.licenses;
      if (art.locations) pkg.Locations = art.locations;
      packages.push(pkg);
      const dependsOn = (uniqueDeps.get(id) ?? []).flatMap((depName) => {
        const version = unique.get(depName)?.version.text ?? '';
        return version === '' ? [] : [pomPackageId(depName, version, root.rootFilePath)];
      });
      // Like `mvn`, every module (nested ones too) hangs directly under the root.
      if (art.relationship === 'root') dependsOn.push(...modules);
      if (dependsOn.length > 0) dependencies.push({ ID: id, DependsOn: dependsOn.sort() });
    }
    return { packages, dependencies };
  }

  private parseModule(currentPath: string, relativePath: string): MavenArtifact {
    const module = this.openRelativePom(currentPath, relativePath);
    const result = this.analyze(module, { rootFilePath: module.filePath });
    const art: MavenArtifact = {
      ...pomArtifact(module, this.env),
      module: true,
      rootFilePath: module.filePath,
      relationship: 'workspace',
    };
    this.cache.set(this.cacheKey(art), result);
    return art;
  }

  private resolve(art: MavenArtifact, rootDepManagement: PomDependency[] | undefined): AnalysisResult {
    const cached = this.cache.get(this.cacheKey(art));
    if (cached) return cached;
    if (art.version.text === '') return { ...emptyResult(), artifact: art };
    let pom: Pom | undefined;
    try {
      pom = this.fromRepository(art.groupId, art.artifactId, art.version.text);
    } catch (error) {
      this.debug(describeError(error));
    }
    const result = pom
      ? this.analyze(pom, {
          exclusions: art.exclusions,
          depManagement: rootDepManagement,
          rootFilePath: art.rootFilePath,
        })
      : emptyResult();
    this.cache.set(this.cacheKey(art), result);
    return result;
  }

  private analyze(pom: Pom, options: AnalysisOptions): AnalysisResult {
    const exclusions = options.exclusions ?? new Set<string>();
    this.resolveParent(pom, 0);
    const props = pomProperties(pom.content);
    const depManagement = pom.content.dependencyManagement;
    const deps = this.parseDependencies(pom.content.dependencies, props, depManagement, options).filter(
      (dep) => !excluded(exclusions, dep),
    );
    return {
      filePath: pom.filePath,
      artifact: { ...pomArtifact(pom, this.env), rootFilePath: options.rootFilePath },
      dependencies: deps,
      dependencyManagement: depManagement,
      properties: props,
      modules: pom.content.modules,
    };
  }

  /** Inherits group, version, licences, properties, managed and declared dependencies from the parents. */
  private resolveParent(pom: Pom, depth: number): void {
    const parent = this.parseParent(pom, depth);
    const c = pom.content;
    const p = parent.content;
    c.properties = { ...p.properties, ...c.properties };
    const own = pomArtifact(pom, this.env);
    const inherited = pomArtifact(parent, this.env);
    c.groupId = own.groupId || inherited.groupId;
    c.artifactId = own.artifactId;
    c.licenses = own.licenses.length > 0 ? own.licenses : inherited.licenses;
    const version = own.version.text || inherited.version.text;
    c.version = isProperty(version) ? evaluateVariable(version, c.properties, this.env) : version;
    c.dependencyManagement = mergeManagements(c.dependencyManagement, p.dependencyManagement);
    c.dependencies = mergeManagements(c.dependencies, p.dependencies);
  }

  private parseParent(pom: Pom, depth: number): Pom {
    const declared = pom.content.parent;
    const target = newArtifact(declared.groupId, declared.artifactId, declared.version, [], undefined, this.env);
    const empty: Pom = { filePath: '', content: emptyPomContent() };
    if (isEmptyArtifact(target) && !isProperty(declared.version)) return empty;
    if (depth >= MAX_PARENT_DEPTH) {
      this.debug(`parent chain of ${pom.filePath} is deeper than ${MAX_PARENT_DEPTH}`);
      return empty;
    }
    const failures: string[] = [];
    const attempts: (() => Pom)[] = [];
    if (declared.relativePath !== '') {
      attempts.push(() => this.tryRelativePath(target, pom.filePath, declared.relativePath, depth));
    }
    attempts.push(() => this.tryRelativePath(target, pom.filePath, '../pom.xml', depth));
    attempts.push(() => {
      const found = this.fromRepository(target.groupId, target.artifactId, target.version.text);
      this.resolveParent(found, depth + 1);
      return found;
    });
    for (const attempt of attempts) {
      try {
        return attempt();
      } catch (error) {
        failures.push(describeError(error));
      }
    }
    this.debug(`parent ${artifactName(target)} of ${pom.filePath || 'a pom'} not found: ${failures.join('; ')}`);
    return empty;
  }

  private tryRelativePath(target: MavenArtifact, currentPath: string, relativePath: string, depth: number): Pom {
    const parent = this.openRelativePom(currentPath, relativePath);
    // Only the artifact ID can be compared before the parent's own parents are resolved.
    if (pomArtifact(parent, this.env).artifactId !== target.artifactId) {
      throw new Error("'parent.relativePath' points at wrong local POM");
    }
    this.resolveParent(parent, depth + 1);
    const found = pomArtifact(parent, this.env);
    // Trivy's check: any one of group, artifact or version in common.
    if (
      found.groupId !== target.groupId &&
      found.artifactId !== target.artifactId &&
      found.version.text !== target.version.text
    ) {
      throw new Error("'parent.relativePath' points at wrong local POM");
    }
    return parent;
  }

  private openRelativePom(currentPath: string, relativePath: string): Pom {
    let path = posix.normalize(posix.join(posix.dirname(currentPath), relativePath));
    if (this.options.files.isDirectory(path)) path = posix.join(path, 'pom.xml');
    return this.openPom(path);
  }

  private openPom(path: string): Pom {
    const data = this.options.files.read(path);
    if (!data) throw new Error(`${path}: no such file`);
    return { filePath: path, content: parsePomContent(data, false) };
  }

  private fromRepository(groupId: string, artifactId: string, version: string): Pom {
    if (version === '') throw new Error(`Version missing for ${groupId}:${artifactId}`);
    const repository = this.options.localRepository;
    if (repository === undefined)
      throw new Error(`${groupId}:${artifactId}:${version} was not found (no local repository)`);
    const path = posix.join(repository, ...groupId.split('.'), artifactId, version, `${artifactId}-${version}.pom`);
    try {
      return this.openPom(path);
    } catch (error) {
      throw new Error(
        `${groupId}:${artifactId}:${version} was not found in the local repository: ${describeError(error)}`,
      );
    }
  }

  private parseDependencies(
    deps: PomDependency[],
    props: Record<string, string>,
    depManagement: PomDependency[],
    options: AnalysisOptions,
  ): MavenArtifact[] {
    if (deps.length === 0) return [];
    const managed = this.resolveDepManagement(props, depManagement);
    const artifacts: MavenArtifact[] = [];
    for (const declared of deps) {
      const dep = this.resolveDependency(declared, props, managed, options.depManagement);
      if ((dep.scope !== '' && dep.scope !== 'compile' && dep.scope !== 'runtime') || dep.optional) continue;
      const exclusions = new Set(options.exclusions ?? []);
      for (const e of dep.exclusions) exclusions.add(`${e.groupId}:${e.artifactId}`);
      const art: MavenArtifact = {
        groupId: dep.groupId,
        artifactId: dep.artifactId,
        version: requestedVersion(dep.version),
        licenses: [],
        exclusions,
        module: false,
        relationship: 'indirect',
        rootFilePath: options.rootFilePath,
      };
      if (dep.startLine !== 0) art.locations = [{ StartLine: dep.startLine, EndLine: dep.endLine }];
      artifacts.push(art);
    }
    return artifacts;
  }

  /** Evaluates a dependency's variables and fills or overrides fields from dependencyManagement. */
  private resolveDependency(
    declared: PomDependency,
    props: Record<string, string>,
    depManagement: PomDependency[] | undefined,
    rootDepManagement: PomDependency[] | undefined,
  ): PomDependency {
    const evaluate = (text: string) => evaluateVariable(text, props, this.env);
    const dep: PomDependency = {
      ...declared,
      groupId: evaluate(declared.groupId),
      artifactId: evaluate(declared.artifactId),
      version: evaluate(declared.version),
      scope: evaluate(declared.scope),
    };
    const name = artifactName(dep);
    const managed = findDependency(name, depManagement);
    if (managed) {
      if (dep.version === '') dep.version = evaluate(managed.version);
      if (dep.scope === '') dep.scope = evaluate(managed.scope);
      if (!dep.optional) dep.optional = managed.optional;
      // Exclusions add up: the dependency's own and the managed ones both apply.
      dep.exclusions = [...dep.exclusions, ...managed.exclusions];
    }
    // The scanned pom's dependencyManagement governs every transitive dependency, except that
    // a test scope set closer to the dependency stays (Maven keeps it out of the build).
    const fromRoot = findDependency(name, rootDepManagement);
    if (fromRoot) {
      if (fromRoot.version !== '') dep.version = evaluate(fromRoot.version);
      if (fromRoot.scope !== '' && dep.scope !== 'test') dep.scope = evaluate(fromRoot.scope);
      if (fromRoot.optional) dep.optional = true;
      dep.exclusions = [...dep.exclusions, ...fromRoot.exclusions];
    }
    return dep;
  }

  /** dependencyManagement with variables evaluated and `import`-scoped BOMs expanded (after the rest). */
  private resolveDepManagement(props: Record<string, string>, depManagement: PomDependency[]): PomDependency[] {
    let resolved: PomDependency[] = [];
    const imports: PomDependency[] = [];
    for (const dep of depManagement) {
      if (dep.scope === 'import') imports.push(dep);
      else resolved.push(this.resolveDependency(dep, props, undefined, undefined));
    }
    for (const imported of imports) {
      const art = newArtifact(imported.groupId, imported.artifactId, imported.version, [], props, this.env);
      const result = this.resolve(art, undefined);
      const bomProps = { ...props, ...result.properties };
      const bom = this.resolveDepManagement(bomProps, result.dependencyManagement).map((dep) =>
        this.resolveDependency(dep, bomProps, undefined, undefined),
      );
      resolved = mergeManagements(resolved, bom);
    }
    return resolved;
  }
}
