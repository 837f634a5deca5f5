import type { Analyzer } from '../../types.ts';
import { baseName, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parsePackageResolved } from './package-resolved.ts';

export { parsePackageResolved };

export const swiftAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'swift',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'Package.resolved',
  parse: (text) => parsePackageResolved(text),
});
