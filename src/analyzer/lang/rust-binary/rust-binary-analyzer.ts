import { isVigilError } from '../../../errors/index.ts';
import type { Analyzer } from '../../types.ts';
import { binaryAnalyzer } from '../binary-analyzer.ts';
import { parseRustBinary } from './rust-binary-parser.ts';

/** Trivy's application type for Rust binaries built with cargo-auditable. */
export const RUST_BINARY = 'rustbinary';

/** cargo-auditable binaries in images and root file systems; binaries without audit data are skipped silently. */
export const rustBinaryAnalyzer: Analyzer = binaryAnalyzer({
  type: RUST_BINARY,
  version: 1,
  label: 'Rust binary',
  parse: parseRustBinary,
  isNotApplicable: (error) =>
    isVigilError(error) && (error.code === 'RUST_UNRECOGNIZED_EXE' || error.code === 'RUST_NOT_AUDITABLE'),
});
