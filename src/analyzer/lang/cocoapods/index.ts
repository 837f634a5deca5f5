import type { Analyzer } from '../../types.ts';
import { baseName, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parsePodfileLock } from './podfile-lock.ts';

export { parsePodfileLock };

export const cocoapodsAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'cocoapods',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'Podfile.lock',
  parse: (text) => parsePodfileLock(text),
});
