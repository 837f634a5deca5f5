export {
  createGradleLockAnalyzer,
  GRADLE,
  type GradleAnalyzerOptions,
  type GradleCachePom,
  parseGradleCachePom,
  parseGradleLockfile,
  readGradleCachePoms,
} from './gradle-lockfile.ts';
export { createJarAnalyzer, JAR, type JarAnalyzerOptions } from './jar-analyzer.ts';
export {
  artifactFromFileName,
  embeddedPomGav,
  isJarLicenseFile,
  isValidProperties,
  type MavenProperties,
  parsePomProperties,
  pomLicenses,
} from './jar-metadata.ts';
export {
  DEFAULT_JAR_LIMITS,
  type JarLimits,
  type JarParseOptions,
  type JarParseResult,
  type JavaDbProvider,
  parseJar,
  type UncheckedArchive,
} from './jar-parser.ts';
export { canonicalSpdxId, licenseFromUrl, parseBundleLicense, pomLicenseName } from './license-refs.ts';
export {
  type Manifest,
  type ManifestArtifact,
  manifestArtifact,
  manifestValue,
  parseManifest,
  pluginLicenseNameOfLine,
  pluginLicenseNames,
} from './manifest.ts';
export { createPomAnalyzer, POM, type PomAnalyzerOptions } from './pom/pom-analyzer.ts';
export {
  type Environment,
  evaluateVariable,
  type Pom,
  type PomContent,
  type PomDependency,
  parsePomContent,
} from './pom/pom-model.ts';
export { mavenGav, pomPackageId } from './pom/pom-package-id.ts';
export { type PomFileSource, type PomParseResult, PomResolver, type PomResolverOptions } from './pom/pom-resolver.ts';
export { parseSbtLockfile, SBT, sbtLockAnalyzer } from './sbt-lockfile.ts';
export { child, children, childText, decodeXmlBytes, parseXml, type XmlElement, xmlError } from './xml-tree.ts';
