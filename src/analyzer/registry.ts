import { buildInfoAnalyzers } from './buildinfo/index.ts';
import { languageAnalyzersPart1 } from './lang/analyzers-part1.ts';
import type { LanguageAnalyzersPart2Deps } from './lang/analyzers-part2.ts';
import { languageAnalyzersPart2 } from './lang/analyzers-part2.ts';
import { osAnalyzers } from './os/index.ts';
import { pkgAnalyzers } from './pkg/index.ts';
import type { Analyzer } from './types.ts';

export type AnalyzerDeps = LanguageAnalyzersPart2Deps;

/**
 * Every analyzer Vigil runs, in a fixed order (OS files first, most specific first, then Red Hat
 * build information and package databases). The scan picks those whose scan kinds include the
 * current one.
 */
export function allAnalyzers(deps: AnalyzerDeps): Analyzer[] {
  return [
    ...osAnalyzers,
    ...buildInfoAnalyzers,
    ...pkgAnalyzers,
    ...languageAnalyzersPart1,
    ...languageAnalyzersPart2(deps),
  ];
}

/** For callers that scan without a Java DB (jars are then identified from their metadata only). */
export const NO_JAVA_DB: AnalyzerDeps = { javaDb: async () => undefined };
