export { RUST_BINARY, rustBinaryAnalyzer } from './rust-binary-analyzer.ts';
export {
  ERR_NOT_RUST_BINARY,
  ERR_UNRECOGNIZED_EXE,
  parseRustBinary,
  type RustBinaryPackages,
} from './rust-binary-parser.ts';
