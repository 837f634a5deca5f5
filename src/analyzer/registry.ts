import { osAnalyzers } from './os/index.ts';
import { pkgAnalyzers } from './pkg/index.ts';
import type { Analyzer } from './types.ts';

/**
 * Every analyzer Vigil runs, in a fixed order (OS files first, most specific first). The scan
 * picks those whose scan kinds include the current one.
 */
export function allAnalyzers(): Analyzer[] {
  return [...osAnalyzers, ...pkgAnalyzers];
}
