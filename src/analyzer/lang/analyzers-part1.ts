import type { Analyzer } from '../types.ts';
import { cocoapodsAnalyzer } from './cocoapods/index.ts';
import { conanAnalyzer } from './conan/index.ts';
import { condaEnvironmentAnalyzer, condaPackageAnalyzer } from './conda/index.ts';
import { pubAnalyzer } from './dart/index.ts';
import { dotnetDepsAnalyzer, nugetAnalyzer, packagesPropsAnalyzer } from './dotnet/index.ts';
import { mixAnalyzer } from './elixir/index.ts';
import { juliaAnalyzer } from './julia/index.ts';
import { bunAnalyzer, nodePkgAnalyzer, npmAnalyzer, pnpmAnalyzer, yarnAnalyzer } from './nodejs/index.ts';
import { composerAnalyzer, composerVendorAnalyzer } from './php/index.ts';
import {
  pipAnalyzer,
  pipenvAnalyzer,
  poetryAnalyzer,
  pylockAnalyzer,
  pythonEggAnalyzer,
  pythonPackageAnalyzer,
  uvAnalyzer,
} from './python/index.ts';
import { bundlerAnalyzer, gemspecAnalyzer } from './ruby/index.ts';
import { cargoAnalyzer } from './rust/index.ts';
import { swiftAnalyzer } from './swift/index.ts';

/**
 * Language analyzers for Node.js, Python, Ruby, PHP, Rust (Cargo.lock), .NET, Dart, Swift,
 * CocoaPods, Conan, Elixir, Julia and Conda. Each declares the scan kinds it runs in, following
 * Trivy's analyzer groups: lock files in `fs` scans, installed metadata in `rootfs`/`image`
 * scans, and formats in neither group (Cargo.lock, NuGet, .NET deps, Julia…) in both.
 */
export const languageAnalyzersPart1: Analyzer[] = [
  npmAnalyzer,
  nodePkgAnalyzer,
  yarnAnalyzer,
  pnpmAnalyzer,
  bunAnalyzer,
  pipAnalyzer,
  pipenvAnalyzer,
  poetryAnalyzer,
  uvAnalyzer,
  pylockAnalyzer,
  pythonPackageAnalyzer,
  pythonEggAnalyzer,
  bundlerAnalyzer,
  gemspecAnalyzer,
  composerAnalyzer,
  composerVendorAnalyzer,
  cargoAnalyzer,
  nugetAnalyzer,
  dotnetDepsAnalyzer,
  packagesPropsAnalyzer,
  pubAnalyzer,
  swiftAnalyzer,
  cocoapodsAnalyzer,
  mixAnalyzer,
  conanAnalyzer,
  juliaAnalyzer,
  condaEnvironmentAnalyzer,
  condaPackageAnalyzer,
];
