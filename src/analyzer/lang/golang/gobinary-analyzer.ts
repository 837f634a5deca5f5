import { isVigilError } from '../../../errors/index.ts';
import type { Analyzer } from '../../types.ts';
import { binaryAnalyzer } from '../binary-analyzer.ts';
import { parseGoBinary } from './binary-parser.ts';

/** Trivy's application type for Go binaries. */
export const GO_BINARY = 'gobinary';

/** Go binaries (build info) in images and root file systems; non-Go executables are skipped silently. */
export const goBinaryAnalyzer: Analyzer = binaryAnalyzer({
  type: GO_BINARY,
  version: 1,
  label: 'Go binary',
  parse: parseGoBinary,
  // Trivy's two silent outcomes: not an executable it can read, or no Go build info.
  isNotApplicable: (error) =>
    isVigilError(error) && (error.code === 'GO_UNRECOGNIZED_EXE' || error.code === 'GO_NOT_GO_BINARY'),
});
