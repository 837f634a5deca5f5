import type { Analyzer } from '../types.ts';
import { apkAnalyzer } from './apk/apk-analyzer.ts';
import { dpkgAnalyzer } from './dpkg/dpkg-analyzer.ts';
import { rpmAnalyzer } from './rpm/rpm-analyzer.ts';

/** The OS package database analyzers, for the analyzer registry. */
export const pkgAnalyzers: readonly Analyzer[] = [dpkgAnalyzer, apkAnalyzer, rpmAnalyzer];
