import type { Analyzer } from '../types.ts';
import { createGoModAnalyzer, goBinaryAnalyzer } from './golang/index.ts';
import {
  createGradleLockAnalyzer,
  createJarAnalyzer,
  createPomAnalyzer,
  type Environment,
  type JavaDbProvider,
  sbtLockAnalyzer,
} from './java/index.ts';
import { rustBinaryAnalyzer } from './rust-binary/index.ts';

/** What the Go, Java and Rust-binary analyzers need from the rest of Vigil. */
export interface LanguageAnalyzersPart2Deps {
  /** Opens the Java DB when the first jar needs it (see createJarAnalyzer). */
  javaDb: JavaDbProvider;
  /** Digest `sha1:…` on jar packages (Trivy does this for SBOM output formats). */
  includeChecksum?: boolean;
  /** `$GOPATH/pkg/mod` of the scanning machine, for go.mod licences and graphs. */
  goModuleCacheDir?: string;
  /** `stdlib` from go.mod's toolchain/go lines (`--detection-priority comprehensive`). */
  goModStdlib?: boolean;
  /** `$GRADLE_USER_HOME/caches` of the scanning machine, for gradle.lockfile licences and graphs. */
  gradleCachesDir?: string;
  /** The local Maven repository of the scanning machine, for pom.xml parents and dependencies. */
  mavenLocalRepository?: string;
  /** The scan root as typed (`vigil fs DIR`), which Trivy's pom package IDs hash. */
  rootDir?: string;
  /** Environment for `${env.X}` in poms. */
  env?: Environment;
}

/**
 * Where Trivy looks on the scanning machine, from the environment and the home directory:
 * `$GOPATH/pkg/mod` (GOPATH defaults to ~/go), `$GRADLE_USER_HOME/caches` (~/.gradle), and
 * `~/.m2/repository`. Pass the results on only where the directories should be used.
 */
export function trivyLocalCacheDirs(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): Pick<LanguageAnalyzersPart2Deps, 'goModuleCacheDir' | 'gradleCachesDir' | 'mavenLocalRepository'> {
  return {
    goModuleCacheDir: `${env.GOPATH || `${home}/go`}/pkg/mod`,
    gradleCachesDir: `${env.GRADLE_USER_HOME || `${home}/.gradle`}/caches`,
    mavenLocalRepository: `${home}/.m2/repository`,
  };
}

/**
 * Language analyzers for Go (go.mod, binaries), Java (jar/war/ear/par, pom.xml,
 * gradle.lockfile, build.sbt.lock) and Rust binaries (cargo-auditable). Lock files run in `fs`
 * scans, binaries and archives in `rootfs`/`image` scans, as in Trivy.
 */
export function languageAnalyzersPart2(deps: LanguageAnalyzersPart2Deps): Analyzer[] {
  return [
    createGoModAnalyzer({ moduleCacheDir: deps.goModuleCacheDir, stdlib: deps.goModStdlib }),
    goBinaryAnalyzer,
    createJarAnalyzer({ javaDb: deps.javaDb, includeChecksum: deps.includeChecksum }),
    createPomAnalyzer({ localRepository: deps.mavenLocalRepository, rootDir: deps.rootDir, env: deps.env }),
    createGradleLockAnalyzer({ gradleCachesDir: deps.gradleCachesDir }),
    sbtLockAnalyzer,
    rustBinaryAnalyzer,
  ];
}
