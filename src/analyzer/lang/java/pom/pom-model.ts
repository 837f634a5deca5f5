import type { Location, Relationship } from '../../../types.ts';
import { pomLicenseName } from '../license-refs.ts';
import { child, children, childText, parseXml, type XmlElement } from '../xml-tree.ts';

/**
 * The parts of a pom.xml that dependency resolution reads, and Maven's property syntax, as
 * Trivy's pom parser models them (trivy pkg/dependency/parser/java/pom: pom.go, artifact.go).
 */
export interface PomExclusion {
  groupId: string;
  artifactId: string;
}

export interface PomDependency {
  groupId: string;
  artifactId: string;
  version: string;
  scope: string;
  optional: boolean;
  exclusions: PomExclusion[];
  /** Lines of `<dependency>` and `</dependency>`; 0 for poms other than the scanned one. */
  startLine: number;
  endLine: number;
}

export interface PomParent {
  groupId: string;
  artifactId: string;
  version: string;
  relativePath: string;
}

export interface PomContent {
  parent: PomParent;
  groupId: string;
  artifactId: string;
  version: string;
  /** Scalar project fields (`name`, `packaging`, …) for `${project.*}` properties. */
  fields: Record<string, string>;
  licenses: string[];
  modules: string[];
  properties: Record<string, string>;
  dependencyManagement: PomDependency[];
  dependencies: PomDependency[];
}

/** A pom and where it came from ('' for one without a local file). */
export interface Pom {
  filePath: string;
  content: PomContent;
}

export const emptyPomContent = (): PomContent => ({
  parent: { groupId: '', artifactId: '', version: '', relativePath: '' },
  groupId: '',
  artifactId: '',
  version: '',
  fields: {},
  licenses: [],
  modules: [],
  properties: {},
  dependencyManagement: [],
  dependencies: [],
});

function readDependencies(list: XmlElement | undefined, withLines: boolean): PomDependency[] {
  return children(list, 'dependency').map((dep) => ({
    groupId: childText(dep, 'groupId'),
    artifactId: childText(dep, 'artifactId'),
    version: childText(dep, 'version'),
    scope: childText(dep, 'scope'),
    optional: childText(dep, 'optional') === 'true',
    exclusions: children(child(dep, 'exclusions'), 'exclusion').map((e) => ({
      groupId: childText(e, 'groupId'),
      artifactId: childText(e, 'artifactId'),
    })),
    startLine: withLines ? dep.startLine : 0,
    endLine: withLines ? dep.endLine : 0,
  }));
}

const SCALAR_FIELDS = ['name', 'description', 'url', 'packaging', 'inceptionYear', 'modelVersion'];

/** Parses pom XML; `withLines` keeps dependency locations (only the scanned pom reports them). */
export function parsePomContent(xml: string | Buffer, withLines: boolean): PomContent {
  const project = parseXml(xml);
  const parent = child(project, 'parent');
  const content: PomContent = {
    parent: {
      groupId: childText(parent, 'groupId'),
      artifactId: childText(parent, 'artifactId'),
      version: childText(parent, 'version'),
      relativePath: childText(parent, 'relativePath'),
    },
    groupId: childText(project, 'groupId'),
    artifactId: childText(project, 'artifactId'),
    version: childText(project, 'version'),
    fields: Object.fromEntries(SCALAR_FIELDS.map((name) => [name, childText(project, name)])),
    licenses: children(child(project, 'licenses'), 'license')
      .map((license) => pomLicenseName(childText(license, 'name'), childText(license, 'url')))
      .filter((name) => name !== ''),
    modules: children(child(project, 'modules'), 'module').map((m) => m.text.trim()),
    properties: Object.fromEntries(child(project, 'properties')?.children.map((p) => [p.name, p.text.trim()]) ?? []),
    dependencyManagement: readDependencies(child(child(project, 'dependencyManagement'), 'dependencies'), false),
    dependencies: readDependencies(child(project, 'dependencies'), withLines),
  };
  return content;
}

/**
 * `${project.groupId}`, `${groupId}` (deprecated), `${project.parent.version}` and the like,
 * plus the pom's own properties under `project.` too, as Trivy lists a pom's fields.
 */
function projectProperties(content: PomContent): Record<string, string> {
  const listed: Record<string, string> = {
    ...content.fields,
    groupId: content.groupId,
    artifactId: content.artifactId,
    version: content.version,
    'parent.groupId': content.parent.groupId,
    'parent.artifactId': content.parent.artifactId,
    'parent.version': content.parent.version,
    'parent.relativePath': content.parent.relativePath,
    ...content.properties,
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(listed)) {
    if (key.startsWith('project.')) continue;
    out[`project.${key}`] = value;
    out[key] = value;
  }
  return out;
}

/** The properties `${…}` may name in this pom: its own, overridden by the project fields. */
export function pomProperties(content: PomContent): Record<string, string> {
  return { ...content.properties, ...projectProperties(content) };
}

export type Environment = Readonly<Record<string, string | undefined>>;

const VARIABLE = /\$\{(\S+?)\}/g;

/**
 * Replaces `${name}` with its property (recursively; `${env.X}` from the environment); an
 * unknown name becomes empty, a property loop makes the whole value empty.
 */
export function evaluateVariable(
  text: string,
  props: Readonly<Record<string, string>> | undefined,
  env: Environment = {},
  seen: string[] = [],
): string {
  let result = text;
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? '';
    let value = '';
    if (name.startsWith('env.')) {
      value = env[name.slice(4)] ?? '';
    } else if (props && Object.hasOwn(props, name)) {
      const raw = props[name] ?? '';
      if (seen.includes(raw)) return '';
      value = evaluateVariable(raw, props, env, [...seen, raw]);
    }
    result = result.replaceAll(match[0], value);
  }
  return result;
}

export const isProperty = (text: string): boolean => text.startsWith('${') && text.endsWith('}');

/** A requested version: soft (`1.0`) or hard (`[1.0]`); ranges are not supported and read as none. */
export interface MavenVersion {
  text: string;
  hard: boolean;
}

export function requestedVersion(text: string): MavenVersion {
  let version = text;
  let hard = false;
  if (version.startsWith('[') && version.endsWith(']')) {
    version = version.replace(/^\[+|\]+$/g, '');
    hard = true;
  }
  if (/[,()[\]]/.test(version)) version = '';
  return { text: version, hard };
}

/** A hard requirement overrides a soft one found earlier. */
export const overrides = (current: MavenVersion, next: MavenVersion): boolean => !current.hard && next.hard;

/** An artifact on its way through resolution. */
export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: MavenVersion;
  licenses: string[];
  exclusions: Set<string>;
  module: boolean;
  relationship: Relationship;
  locations?: Location[];
  /** The scanned pom (or module pom) the artifact is resolved for; part of package IDs. */
  rootFilePath: string;
}

export function newArtifact(
  groupId: string,
  artifactId: string,
  version: string,
  licenses: string[],
  props: Readonly<Record<string, string>> | undefined,
  env: Environment,
): MavenArtifact {
  return {
    groupId: evaluateVariable(groupId, props, env),
    artifactId: evaluateVariable(artifactId, props, env),
    version: requestedVersion(evaluateVariable(version, props, env)),
    licenses,
    exclusions: new Set(),
    module: false,
    relationship: 'indirect',
    rootFilePath: '',
  };
}

export const artifactName = (a: { groupId: string; artifactId: string }): string => `${a.groupId}:${a.artifactId}`;

/** No group, artifact or version: nothing to resolve. */
export const isEmptyArtifact = (a: MavenArtifact): boolean =>
  a.groupId === '' || a.artifactId === '' || a.version.text === '';

/** The artifact a pom describes, its own values evaluated against its properties. */
export function pomArtifact(pom: Pom, env: Environment): MavenArtifact {
  const c = pom.content;
  return newArtifact(c.groupId, c.artifactId, c.version, c.licenses, c.properties, env);
}
