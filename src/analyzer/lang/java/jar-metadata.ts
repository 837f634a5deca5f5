import { pomLicenseName } from './license-refs.ts';
import { child, children, childText, parseXml } from './xml-tree.ts';

/**
 * The small files inside a jar that name it: `META-INF/maven/<g>/<a>/pom.properties` (and the
 * `pom.xml` beside it, for licences), the artifact ID and version in the file name, and the
 * licence files at the top of the archive.
 */
export interface MavenProperties {
  groupId: string;
  artifactId: string;
  version: string;
}

/** `groupId=`, `artifactId=` and `version=` lines, as Trivy reads pom.properties. */
export function parsePomProperties(text: string): MavenProperties {
  const props: MavenProperties = { groupId: '', artifactId: '', version: '' };
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line.startsWith('groupId=')) props.groupId = line.slice('groupId='.length);
    else if (line.startsWith('artifactId=')) props.artifactId = line.slice('artifactId='.length);
    else if (line.startsWith('version=')) props.version = line.slice('version='.length);
  }
  return props;
}

export const isValidProperties = (props: MavenProperties): boolean =>
  props.groupId !== '' && props.artifactId !== '' && props.version !== '';

/** Trivy's file-name pattern: `spring-core-5.3.4-SNAPSHOT.jar` → `spring-core`, `5.3.4-SNAPSHOT`. */
const JAR_FILE_NAME = /^([a-zA-Z0-9._-]*[^-*])-(\d\S*(?:-SNAPSHOT)?).jar$/;

export function artifactFromFileName(fileName: string): { artifactId: string; version: string } | undefined {
  const match = JAR_FILE_NAME.exec(fileName);
  return match ? { artifactId: match[1] ?? '', version: match[2] ?? '' } : undefined;
}

/** `META-INF/maven/<group>/<artifact>/pom.xml` → its group and artifact. */
export function embeddedPomGav(path: string): { groupId: string; artifactId: string } | undefined {
  const parts = path.split('/');
  if (parts.length !== 5 || parts[0] !== 'META-INF' || parts[1] !== 'maven' || parts[4] !== 'pom.xml') return undefined;
  const [, , groupId = '', artifactId = ''] = parts;
  return groupId !== '' && artifactId !== '' ? { groupId, artifactId } : undefined;
}

/** The licences a pom declares: each `<name>`, else its `<url>` when that is a known licence. */
export function pomLicenses(xml: string | Buffer): string[] | undefined {
  const project = parseXml(xml);
  const licenses = children(child(project, 'licenses'), 'license')
    .map((license) => pomLicenseName(childText(license, 'name'), childText(license, 'url')))
    .filter((name) => name !== '');
  return licenses.length > 0 ? licenses : undefined;
}

/**
 * Licence files at the top of the archive or directly in META-INF (`LICENSE`, `LICENSE.txt`,
 * `COPYRIGHT`…), never nested archives or vendored files such as `META-INF/x-LICENSE`.
 */
export function isJarLicenseFile(path: string): boolean {
  const parts = path.split('/');
  if (parts.length > 2 || (parts.length === 2 && parts[0] !== 'META-INF')) return false;
  return /^(licen[cs]e|copying|copyright)(\.(txt|md))?$/i.test(parts[parts.length - 1] ?? '');
}
