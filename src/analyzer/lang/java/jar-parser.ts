import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { DEFAULT_ZIP_LIMITS, ZipArchive, type ZipEntry } from '../../../archive/zip/index.ts';
import type { JavaDb } from '../../../db/javadb/index.ts';
import { describeError } from '../../../errors/index.ts';
import { mavenVersionsEqual } from '../../../version/index.ts';
import type { Package } from '../../types.ts';
import { classifyLicenseText } from '../license-text.ts';
import {
  artifactFromFileName,
  embeddedPomGav,
  isJarLicenseFile,
  isValidProperties,
  type MavenProperties,
  parsePomProperties,
  pomLicenses,
} from './jar-metadata.ts';
import { parseBundleLicense } from './license-refs.ts';
import { type Manifest, manifestArtifact, manifestValue, parseManifest, pluginLicenseNames } from './manifest.ts';

/**
 * Java archives (jar, war, ear, par) identified as Trivy identifies them, nested archives
 * included: `pom.properties` matching the file name wins; else the MANIFEST.MF coordinates if
 * the Java DB knows that group and artifact; else the SHA-1 of the file in the Java DB; else
 * the artifact ID and version in the file name, with the group the Java DB lists most often.
 * Without a Java DB the manifest is taken as it is and the hash steps are skipped, and every
 * archive that needed them is reported.
 */

/** Opens the Java DB on first use; undefined when there is none. */
export type JavaDbProvider = () => Promise<JavaDb | undefined>;

export interface JarLimits {
  /** Deepest nesting of archives inside archives that is opened. */
  maxDepth: number;
  /** Largest nested archive or metadata file inflated. */
  maxEntrySize: number;
  /** Most bytes inflated from one top-level archive, nested ones included (zip-bomb guard). */
  maxTotalBytes: number;
}

export const DEFAULT_JAR_LIMITS: JarLimits = {
  maxDepth: 8,
  maxEntrySize: 256 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
};

/** An archive that would have been checked against the Java DB, had there been one. */
export interface UncheckedArchive {
  filePath: string;
  /** `group:artifact:version` taken from MANIFEST.MF without checking, if any. */
  identifiedAs?: string;
}

export interface JarParseResult {
  packages: Package[];
  warnings: string[];
  unchecked: UncheckedArchive[];
}

export interface JarParseOptions {
  /** Called when an archive first needs a DB lookup (callers memoize it). */
  javaDb: JavaDbProvider;
  /** Set `Digest: sha1:…` on every package (Trivy does so for SBOM output). */
  includeChecksum?: boolean;
  limits?: JarLimits;
}

const META_FILE_LIMIT = 4 * 1024 * 1024;
const ARCHIVE_EXTENSIONS = new Set(['.jar', '.war', '.ear']);

interface Context {
  options: JarParseOptions;
  limits: JarLimits;
  inflated: number;
  warnings: string[];
  unchecked: UncheckedArchive[];
}

const sha1Hex = (data: Buffer) => createHash('sha1').update(data).digest('hex');

function mavenPackage(props: MavenProperties, filePath: string, licenses?: string[]): Package {
  const pkg: Package = { Name: `${props.groupId}:${props.artifactId}`, Version: props.version, FilePath: filePath };
  if (licenses && licenses.length > 0) pkg.Licenses = licenses;
  return pkg;
}

function readEntry(archive: ZipArchive, entry: ZipEntry, context: Context, limit: number): Buffer {
  if (context.inflated + entry.size > context.limits.maxTotalBytes) {
    throw new Error(`more than ${context.limits.maxTotalBytes} bytes inflated from one archive (zip bomb?)`);
  }
  const data = archive.read(entry, limit);
  context.inflated += data.length;
  return data;
}

/** Licences of an embedded pom.xml; a pom that does not parse only costs its licences. */
function embeddedLicenses(xml: Buffer): string[] | undefined {
  try {
    return pomLicenses(xml);
  } catch {
    return undefined;
  }
}

interface ArchiveContents {
  packages: Package[];
  manifest?: Manifest;
  /** The pom.properties that names this very archive (its artifact ID and version match the file name). */
  own?: Package;
  licenseFiles: ZipEntry[];
}

async function traverse(
  filePath: string,
  archive: ZipArchive,
  fileName: ReturnType<typeof artifactFromFileName>,
  depth: number,
  context: Context,
): Promise<ArchiveContents> {
  const contents: ArchiveContents = { packages: [], licenseFiles: [] };
  const pomLicenseByName = new Map<string, string[]>();
  const pending: { pkg: Package; name: string }[] = [];
  let metaManifest: Manifest | undefined;
  let anyManifest: Manifest | undefined;
  for (const entry of archive.entries) {
    if (entry.kind === 'directory') continue;
    const base = posix.basename(entry.name);
    try {
      if (base === 'pom.properties') {
        const props = parsePomProperties(readEntry(archive, entry, context, META_FILE_LIMIT).toString('utf8'));
        if (!isValidProperties(props)) continue;
        const pkg = mavenPackage(props, filePath);
        contents.packages.push(pkg);
        pending.push({ pkg, name: pkg.Name });
        if (!contents.own && fileName?.artifactId === props.artifactId && fileName.version === props.version) {
          contents.own = pkg;
        }
      } else if (embeddedPomGav(entry.name)) {
        const gav = embeddedPomGav(entry.name);
        const licenses = embeddedLicenses(readEntry(archive, entry, context, META_FILE_LIMIT));
        if (gav && licenses) pomLicenseByName.set(`${gav.groupId}:${gav.artifactId}`, licenses);
      } else if (base === 'MANIFEST.MF') {
        const manifest = parseManifest(readEntry(archive, entry, context, META_FILE_LIMIT).toString('utf8'));
        if (entry.name === 'META-INF/MANIFEST.MF') metaManifest = manifest;
        anyManifest = manifest;
      } else if (isJarLicenseFile(entry.name)) {
        contents.licenseFiles.push(entry);
      } else if (ARCHIVE_EXTENSIONS.has(posix.extname(entry.name))) {
        const innerPath = posix.join(filePath, entry.name);
        // Zip slip: a member may not climb out of its archive.
        if (!innerPath.startsWith(posix.normalize(filePath))) continue;
        if (depth + 1 > context.limits.maxDepth) {
          context.warnings.push(`${innerPath}: not opened, archives nested deeper than ${context.limits.maxDepth}`);
          continue;
        }
        const data = readEntry(archive, entry, context, context.limits.maxEntrySize);
        contents.packages.push(...(await parseArchive(innerPath, data, depth + 1, context)));
      }
    } catch (error) {
      context.warnings.push(`${posix.join(filePath, entry.name)}: skipped: ${describeError(error)}`);
    }
  }
  for (const { pkg, name } of pending) {
    const licenses = pomLicenseByName.get(name);
    if (licenses) pkg.Licenses = licenses;
  }
  contents.manifest = metaManifest ?? anyManifest;
  return contents;
}

/** Licences for the package that is the archive itself: manifest headers, then one licence file. */
function ownLicenses(contents: ArchiveContents, archive: ZipArchive, context: Context, fromPom: boolean): string[] {
  const manifest = contents.manifest;
  if (manifest) {
    const bundle = parseBundleLicense(manifestValue(manifest, 'Bundle-License'));
    if (bundle.length > 0) return bundle;
    const plugin = pluginLicenseNames(manifest);
    if (plugin.length > 0) return plugin;
  }
  // A lone licence file speaks for an archive that pom.properties did not identify.
  const [only] = contents.licenseFiles;
  if (fromPom || contents.licenseFiles.length !== 1 || !only) return [];
  try {
    return classifyLicenseText(readEntry(archive, only, context, META_FILE_LIMIT).toString('utf8'));
  } catch {
    return [];
  }
}

async function parseArchive(filePath: string, data: Buffer, depth: number, context: Context): Promise<Package[]> {
  const archive = new ZipArchive(data, {
    ...DEFAULT_ZIP_LIMITS,
    maxEntrySize: Math.min(DEFAULT_ZIP_LIMITS.maxEntrySize, context.limits.maxEntrySize),
  });
  const fileName = artifactFromFileName(posix.basename(filePath));
  const contents = await traverse(filePath, archive, fileName, depth, context);
  const packages = contents.packages;
  let own: Package | undefined;
  if (contents.own) {
    own = contents.own;
    if (!own.Licenses) {
      const licenses = ownLicenses(contents, archive, context, true);
      if (licenses.length > 0) own.Licenses = licenses;
    }
  } else {
    own = await identifyByLookup(filePath, data, contents, fileName, context);
    if (own) {
      const licenses = ownLicenses(contents, archive, context, false);
      if (licenses.length > 0) own.Licenses = licenses;
      packages.push(own);
    }
  }
  if (context.options.includeChecksum) {
    const digest = `sha1:${sha1Hex(data)}`;
    for (const pkg of packages) if (pkg.FilePath === filePath) pkg.Digest = digest;
  }
  return packages;
}

/** MANIFEST.MF checked against the Java DB, then the SHA-1, then the file name. */
async function identifyByLookup(
  filePath: string,
  data: Buffer,
  contents: ArchiveContents,
  fileName: ReturnType<typeof artifactFromFileName>,
  context: Context,
): Promise<Package | undefined> {
  const fromManifest = contents.manifest ? manifestArtifact(contents.manifest) : undefined;
  const db = await context.options.javaDb();
  if (!db) {
    const identifiedAs = fromManifest
      ? `${fromManifest.groupId}:${fromManifest.artifactId}:${fromManifest.version}`
      : undefined;
    context.unchecked.push(identifiedAs ? { filePath, identifiedAs } : { filePath });
    return fromManifest ? mavenPackage(fromManifest, filePath) : undefined;
  }
  if (fromManifest && db.exists(fromManifest.groupId, fromManifest.artifactId)) {
    return mavenPackage(fromManifest, filePath);
  }
  const bySha1 = db.searchBySha1(sha1Hex(data));
  if (bySha1) return mavenPackage(bySha1, filePath);
  if (!fileName || fileName.artifactId === '' || fileName.version === '') return undefined;
  const groupId = db.searchByArtifactId(fileName.artifactId, fileName.version);
  return groupId ? mavenPackage({ groupId, ...fileName }, filePath) : undefined;
}

/** Drops a package listed again under the same name, file and (Maven-equal) version. */
function removeDuplicates(packages: Package[]): Package[] {
  const seen = new Map<string, string[]>();
  return packages.filter((pkg) => {
    const key = `${pkg.Name}::${pkg.FilePath ?? ''}`;
    const versions = seen.get(key) ?? [];
    if (versions.some((version) => mavenVersionsEqual(version, pkg.Version))) return false;
    versions.push(pkg.Version);
    seen.set(key, versions);
    return true;
  });
}

/** Parses one archive found at `filePath` (nested archives get `filePath/inner/path.jar`). */
export async function parseJar(filePath: string, data: Buffer, options: JarParseOptions): Promise<JarParseResult> {
  const context: Context = {
    options,
    limits: options.limits ?? DEFAULT_JAR_LIMITS,
    inflated: 0,
    warnings: [],
    unchecked: [],
  };
  const packages = await parseArchive(filePath, data, 0, context);
  return { packages: removeDuplicates(packages), warnings: context.warnings, unchecked: context.unchecked };
}
